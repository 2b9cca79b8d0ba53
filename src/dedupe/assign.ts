import type { Item } from '../types.js';
import { hashOf } from '../util/hash.js';
import { type NearSignature, signatureOf } from './fingerprint.js';
import { contentKey, linkKey } from './keys.js';
import { findNearEntry, MAX_PER_BAND, MemoryNearIndex, type NearCandidate, type NearScores } from './near.js';

/** What dedupe needs to know of the past; the store answers, dedupe never imports it. */
export interface DedupeHistory {
  /** Entry of an item already stored under this key (same source, same guid). */
  entryForKey(key: string): string | undefined;
  entryForLink(link: string): string | undefined;
  entryForFingerprint(fingerprint: string): string | undefined;
  /** Earlier items sharing an LSH band, within the dedupe window, newest first, bounded in number. */
  nearCandidates?(bands: readonly number[]): Iterable<NearCandidate>;
}

export interface DedupeOptions {
  /** Near-duplicate matching; undefined turns it off and leaves exact keys only. */
  readonly near?: { readonly threshold: number };
}

export type MatchReason = 'key' | 'link' | 'fingerprint' | 'near';

export interface Assignment {
  readonly item: Item;
  readonly entryId: string;
  /** True when this item starts a new story. */
  readonly newEntry: boolean;
  readonly matchedBy?: MatchReason;
  /** The scores that joined a near-duplicate, for `feedloom explain`. */
  readonly scores?: NearScores;
  readonly linkKey?: string;
  readonly contentKey?: string;
  /** Present when near matching is on: indexed so later copies find this story. */
  readonly signature?: NearSignature;
}

/** An entry's id is derived from the item that opened it and is never recomputed afterwards. */
export function newEntryId(item: Item): string {
  return hashOf(['entry', item.key], 24);
}

/**
 * Gives each item the entry (story) it belongs to: the entry of the same item seen before, else of an
 * item with the same canonical link, else with the same text, else of a near-duplicate, else a new
 * one. Items of one batch are matched against each other as well as against history.
 */
export function assignEntries(
  items: readonly Item[],
  history: DedupeHistory,
  options: DedupeOptions = {},
): Assignment[] {
  const byKey = new Map<string, string>();
  const byLink = new Map<string, string>();
  const byText = new Map<string, string>();
  const batch = new MemoryNearIndex(MAX_PER_BAND, items.length);
  const out: Assignment[] = [];

  for (const item of items) {
    const link = linkKey(item);
    const text = contentKey(item);
    const signature = options.near ? signatureOf(item) : undefined;
    let matchedBy: MatchReason | undefined;
    let scores: NearScores | undefined;
    let entryId = byKey.get(item.key) ?? history.entryForKey(item.key);
    if (entryId) matchedBy = 'key';
    if (!entryId && link) {
      entryId = byLink.get(link) ?? history.entryForLink(link);
      if (entryId) matchedBy = 'link';
    }
    if (!entryId && text) {
      entryId = byText.get(text) ?? history.entryForFingerprint(text);
      if (entryId) matchedBy = 'fingerprint';
    }
    if (!entryId && signature && options.near) {
      const near = { ...options.near, sourceId: item.sourceId };
      const found = bestOf(
        findNearEntry(signature, batch, near),
        history.nearCandidates
          ? findNearEntry(
              signature,
              { candidates: (b) => history.nearCandidates?.(b) ?? [], add: () => {} },
              near,
            )
          : undefined,
      );
      if (found) {
        entryId = found.entryId;
        scores = found.scores;
        matchedBy = 'near';
      }
    }
    const newEntry = !entryId;
    const id = entryId ?? newEntryId(item);
    byKey.set(item.key, id);
    if (link && !byLink.has(link)) byLink.set(link, id);
    if (text && !byText.has(text)) byText.set(text, id);
    if (signature) batch.add(id, signature, item.sourceId);
    out.push({
      item,
      entryId: id,
      newEntry,
      ...(matchedBy ? { matchedBy } : {}),
      ...(scores ? { scores } : {}),
      ...(link ? { linkKey: link } : {}),
      ...(text ? { contentKey: text } : {}),
      ...(signature ? { signature } : {}),
    });
  }
  return out;
}

function bestOf<T extends { scores: NearScores }>(a: T | undefined, b: T | undefined): T | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.scores.score > a.scores.score ? b : a;
}
