import { createHash } from 'node:crypto';

/** Hex SHA-256 of the parts, joined by a separator no input contains, cut to `length` hex digits. */
export function hashOf(parts: readonly (string | undefined)[], length = 32): string {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(p ?? '');
    h.update('\u0000');
  }
  return h.digest('hex').slice(0, length);
}
