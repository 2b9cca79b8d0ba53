// What each adapter gives back for one document; index.ts merges them per source.
import type { RawItem, SourceMeta, Warning } from '../types.js';

export interface DocumentResult {
  readonly items: readonly RawItem[];
  readonly meta: SourceMeta;
  readonly warnings: readonly Warning[];
  readonly recovered: boolean;
  /** Raw hashes of items the reader knew from the store and did not read again. */
  readonly unchanged?: readonly string[];
}

/** Drops undefined fields so results compare and serialize cleanly. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
