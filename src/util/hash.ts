import { createHash } from 'node:crypto';

/** Hex SHA-256 of the parts, joined by a separator no input contains, cut to `length` hex digits. */
export function hashOf(parts: readonly (string | undefined)[], length = 32): string {
  // One update of the joined parts (the same bytes as one update per part and separator): each update
  // is a call into native code, and items hash a dozen parts several times over.
  let joined = '';
  for (const p of parts) joined += `${p ?? ''}\u0000`;
  return createHash('sha256').update(joined).digest('hex').slice(0, length);
}
