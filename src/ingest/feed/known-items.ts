// Items already stored are cut out of a feed's text before it is parsed (issue 7: a feed that gained
// 5 items parses 5, not 55). An item's raw hash is the hash of its XML text joined with the hash of
// the feed context its mapping reads (map.ts `itemContext`): the two determine the RawItem, so equal
// keys mean an equal item, without building and serializing it.
import { hash } from 'node:crypto';
import type { ItemSpan } from './item-spans.js';

const CHUNK_HEX = 32;
const CONTEXT_HEX = 8;
/**
 * Length of a feed item's raw hash; hashes of other RawItems (util/hash.ts, 32) never have it, nor do
 * items marked for a full-text retry (pipeline/full-text.ts appends a mark), which must be read again.
 */
export const FEED_ITEM_HASH_LENGTH = CHUNK_HEX + CONTEXT_HEX;

/** Hash of one item element's text. */
export function chunkHash(chunk: string): string {
  return hash('sha256', chunk, 'hex').slice(0, CHUNK_HEX);
}

/** Hash of the feed context, from map.ts `itemContext`. */
export function contextHash(context: string): string {
  return hash('sha256', context, 'hex').slice(0, CONTEXT_HEX);
}

/** The raw hash of a feed item, from its chunk hash and its feed's context hash. */
export function feedItemHash(chunkHashOfItem: string, contextHashOfFeed: string): string {
  return chunkHashOfItem + contextHashOfFeed;
}

/** The text with known items cut out, and what is needed to check the cut once the rest is parsed. */
export interface KnownCut {
  /** The document without the known items' elements. */
  readonly text: string;
  /** Chunk hashes of the items cut, in document order. */
  readonly cut: readonly string[];
  /** Chunk hashes of the items left in, in document order: the parser's items, one for one. */
  readonly kept: readonly string[];
}

/**
 * Cuts out the items whose chunk hash is stored for the source (under any context: the caller checks
 * the context once it has parsed the rest). Undefined when no item is known.
 *
 * @example
 * const cut = cutKnownItems(text, spans, spans.map((s) => chunkHash(text.slice(s.start, s.end))), known);
 */
export function cutKnownItems(
  text: string,
  spans: readonly ItemSpan[],
  hashes: readonly string[],
  known: ReadonlySet<string>,
): KnownCut | undefined {
  const knownChunks = new Set<string>();
  for (const k of known) if (k.length === FEED_ITEM_HASH_LENGTH) knownChunks.add(k.slice(0, CHUNK_HEX));
  if (knownChunks.size === 0) return undefined;
  const parts: string[] = [];
  const cut: string[] = [];
  const kept: string[] = [];
  let from = 0;
  spans.forEach((span, i) => {
    const h = hashes[i] ?? '';
    if (!knownChunks.has(h)) {
      kept.push(h);
      return;
    }
    cut.push(h);
    parts.push(text.slice(from, span.start));
    from = span.end;
  });
  if (cut.length === 0) return undefined;
  parts.push(text.slice(from));
  return { text: parts.join(''), cut, kept };
}
