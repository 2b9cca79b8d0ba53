// An item's raw hash: what the store keeps to know an item it has already normalized (issue 7).
import type { RawItem } from '../types.js';
import { hashOf } from '../util/hash.js';

/**
 * The reader's own hash when it gave one (feed items), else the hash of the RawItem's JSON.
 *
 * @example
 * if (store.hasRaw(source.id, rawHashOf(raw))) return raw; // stored unchanged
 */
export function rawHashOf(raw: RawItem): string {
  return raw.rawHash ?? hashOf([JSON.stringify(raw)]);
}
