import type { Item } from '../types.js';
import { hashOf } from '../util/hash.js';
import { contentKey, linkKey } from './keys.js';

/** What dedupe needs to know of the past; the store answers, dedupe never imports it. */
export interface DedupeHistory {
  /** Entry of an item already stored under this key (same source, same guid). */
  entryForKey(key: string): string | undefined;
  entryForLink(link: string): string | undefined;
  entryForFingerprint(fingerprint: string): string | undefined;
}

export type MatchReason = 'key' | 'link' | 'fingerprint';

export interface Assignment {
  readonly item: Item;
  readonly entryId: string;
  /** True when this item starts a new story. */
  readonly newEntry: boolean;
  readonly matchedBy?: MatchReason;
  readonly linkKey?: string;
  readonly contentKey?: string;
}

/** An entry's id is derived from the item that opened it and is never recomputed afterwards. */
export function newEntryId(item: Item): string {
  return hashOf(['entry', item.key], 24);
}

/**
 * Gives each item the entry (story) it belongs to: the entry of the same item seen before, else of an
 * item with the same canonical link, else with the same text, else a new one. Items of one batch
 * are matched against each other as well as against history.
 */
export function assignEntries(items: readonly Item[], history: DedupeHistory): Assignment[] {
  const byKey = new Map<string, string>();
  const byLink = new Map<string, string>();
  const byText = new Map<string, string>();
  const out: Assignment[] = [];

  for (const item of items) {
    const link = linkKey(item);
    const text = contentKey(item);
    let matchedBy: MatchReason | undefined;
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
    const newEntry = !entryId;
    const id = entryId ?? newEntryId(item);
    byKey.set(item.key, id);
    if (link && !byLink.has(link)) byLink.set(link, id);
    if (text && !byText.has(text)) byText.set(text, id);
    out.push({
      item,
      entryId: id,
      newEntry,
      ...(matchedBy ? { matchedBy } : {}),
      ...(link ? { linkKey: link } : {}),
      ...(text ? { contentKey: text } : {}),
    });
  }
  return out;
}
