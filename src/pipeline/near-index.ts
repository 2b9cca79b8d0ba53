// The LSH bands in the store must be this version's: after an upgrade that changed the band keys or
// the signature itself, the bands of the dedupe window are rebuilt once from what is stored, so an
// upgraded feedloom keeps recognising the stories of the last days instead of publishing them again.
import {
  bandsOf,
  decodeSignature,
  encodeSignature,
  SIGNATURE_VERSION,
  signatureOf,
} from '../dedupe/index.js';
import type { Store } from '../store/index.js';

const NEAR_INDEX = 'near_index';
/** Names the band layout and the signature version the stored bands were made with. */
const NEAR_INDEX_STAMP = `int-bands/${SIGNATURE_VERSION}`;
/** Stores found or made current by this process: asked for every source with content, read once. */
const current = new WeakSet<Store>();

/**
 * Rebuilds the near-duplicate index of items first seen since `since` when it was made by another
 * version; a no-op (one meta read) otherwise. Returns how many items were indexed.
 *
 * @example
 * ensureNearIndex(store, new Date(Date.now() - 7 * 86_400_000));
 */
export function ensureNearIndex(store: Store, since: Date): number {
  if (current.has(store)) return 0;
  current.add(store);
  if (store.meta(NEAR_INDEX) === NEAR_INDEX_STAMP) return 0;
  const indexed = store.reindexNear(since, (row) => {
    const stored = decodeSignature(row.signature);
    if (stored) return { bands: bandsOf(stored.minhash) };
    // Written by another signature version: made again from the stored item.
    const signature = signatureOf(row);
    return { bands: signature.bands, signature: encodeSignature(signature) };
  });
  store.setMeta(NEAR_INDEX, NEAR_INDEX_STAMP);
  store.flush();
  return indexed;
}
