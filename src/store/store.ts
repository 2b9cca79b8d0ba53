// The persistent state behind every run. An interface, so SQLite can later be joined by a shared
// server-backed store (DESIGN.md "Growing past one machine") without touching the pipeline.
import type { Entry, Item, Validators } from '../types.js';
import type { PruneOptions, PruneReport } from './retention.js';

export interface SourceState {
  readonly validators: Validators;
  readonly lastStatus?: string;
  readonly lastError?: string;
  readonly lastFetchedAt?: Date;
  readonly lastOkAt?: Date;
  readonly consecutiveFailures: number;
  /** What the source calls itself (feed title), for display when sources.json gives no title. */
  readonly title?: string;
  readonly link?: string;
  /** Seconds between fetches the source's content asks for (RSS ttl, sy:updatePeriod). */
  readonly feedIntervalS?: number;
  /** Freshness lifetime of the last response (Cache-Control max-age, Expires), in seconds. */
  readonly maxAgeS?: number;
  /** Not to be fetched before this (a Retry-After longer than a run waits). */
  readonly retryAfterAt?: Date;
  /** First failure of the current streak; undefined when the last fetch did not fail. */
  readonly failingSince?: Date;
}

/** What is known of an item already stored, to decide whether a fresh copy changes anything. */
/**
 * Two groupings of items into stories are kept: `near` (every dedupe rule) and `exact` (guid, link
 * and identical text only), so an output can turn near-duplicate merging off for itself.
 */
export type Grouping = 'near' | 'exact';

export interface StoredItemInfo {
  readonly entryId: string;
  readonly exactEntryId: string;
  readonly published: Date;
  readonly publishedGuessed: boolean;
  readonly firstSeen: Date;
}

export interface ItemToSave {
  readonly item: Item;
  readonly rawHash: string;
  readonly entryId: string;
  readonly newEntry: boolean;
  /** Dedupe's keys for this item, indexed so later copies of the story find its entry. */
  readonly linkKey?: string;
  readonly contentKey?: string;
  /** Encoded near-duplicate signature (dedupe's encodeSignature) and its LSH bands. */
  readonly nearSignature?: Uint8Array;
  /** Integer LSH keys (band number and hash); see dedupe/fingerprint.ts. */
  readonly nearBands?: readonly number[];
  /** How the item joined its entry and the scores, kept for `feedloom explain`. */
  readonly matchedBy?: string;
  readonly matchDetail?: string;
  /** The source's priority: a higher one may take over as representative (see SourceRun.runId). */
  readonly priority: number;
  /** The item's story under exact keys only; the same as entryId/newEntry when omitted. */
  readonly exact?: { readonly entryId: string; readonly newEntry: boolean };
}

export interface SourceRun {
  /** Identifies one `run`: an entry opened in this run may still change its representative. */
  readonly runId: number;
  readonly sourceId: string;
  readonly at: Date;
  readonly status: 'ok' | 'recovered' | 'not-modified';
  readonly validators: Validators;
  readonly title?: string;
  readonly link?: string;
  /** Politeness hints to keep (see SourceState); absent ones are cleared. */
  readonly feedIntervalS?: number;
  readonly maxAgeS?: number;
  readonly items: readonly ItemToSave[];
  /** Raw hashes seen this run whose items were unchanged: only their last-seen time moves. */
  readonly seenRawHashes: readonly string[];
}

/** A stored signature: bytes, or base64 text in rows written before signatures were BLOBs. */
export type StoredSignature = Uint8Array | string;

export interface NearIndexRow {
  readonly signature: StoredSignature;
  readonly title: string;
  readonly contentHtml: string;
  readonly summary: string;
}

export interface NearReindexed {
  readonly bands: readonly number[];
  /** A new encoded signature, when the stored one could not be read. */
  readonly signature?: Uint8Array;
}

export interface NearCandidateRow {
  readonly entryId: string;
  readonly signature: StoredSignature;
  readonly sourceId: string;
}

/** One item of an entry as `feedloom explain` shows it. */
export interface ExplainedItem {
  readonly key: string;
  readonly sourceId: string;
  readonly title: string;
  readonly link: string;
  readonly published: Date;
  readonly firstSeen: Date;
  readonly representative: boolean;
  readonly matchedBy?: string;
  readonly matchDetail?: string;
}

export interface EntryQuery {
  /** Only entries whose representative comes from one of these sources. */
  readonly sourceIds: readonly string[];
  readonly limit: number;
  readonly since?: Date;
  /** Which grouping makes the entries; `near` when omitted. */
  readonly grouping?: Grouping;
}

export interface Store {
  sourceState(sourceId: string): SourceState | undefined;
  /** The state of each of these sources that has one, in one query. */
  sourceStates(sourceIds: readonly string[]): Map<string, SourceState>;
  /** True when an item with exactly this raw form was stored for the source: skip normalizing it. */
  hasRaw(sourceId: string, rawHash: string): boolean;
  /** Every raw hash stored for the source: a worker skips these items without asking per item. */
  rawHashes(sourceId: string): string[];
  item(key: string): StoredItemInfo | undefined;
  /** Entry of an item with this link key first seen at or after `since` (the dedupe window). */
  entryForLink(link: string, since: Date, grouping?: Grouping): string | undefined;
  entryForFingerprint(fingerprint: string, since: Date, grouping?: Grouping): string | undefined;
  /** Items sharing a band, first seen since `since`: newest 50 per band, 200 at most. */
  nearCandidates(bands: readonly number[], since: Date): NearCandidateRow[];
  /**
   * Reads the bands of the window into memory now rather than at the first look-up, so that a caller
   * with idle time (waiting for a worker) takes the cost off the critical path. Idempotent.
   */
  loadNearWindow(since: Date): void;
  /**
   * Rebuilds the LSH bands of every item first seen since `since` from `index`, which returns the
   * bands of a stored signature and, when that signature is stale (another version), a new one made
   * from the item. Returns how many items were indexed.
   */
  reindexNear(since: Date, index: (row: NearIndexRow) => NearReindexed | undefined): number;
  /** The entry with this id, or holding an item with this link or guid, with all its items. */
  explain(linkOrId: string): { entryId: string; items: ExplainedItem[] } | undefined;
  /** Everything one source's fetch produced, committed in one transaction. */
  saveSourceRun(run: SourceRun): void;
  /** `retryAfterAt`: the server asked not to be asked again before then (kept until the next fetch). */
  recordFailure(sourceId: string, at: Date, error: string, retryAfterAt?: Date): void;
  /** Newest first by published time; `titleOf` names sources for display. */
  entries(query: EntryQuery, titleOf: (sourceId: string) => string): Entry[];
  /**
   * Grows whenever something an output could show may have changed: a source answered with content,
   * or old items were pruned. Unchanged between two calls: rendering again gives the same files.
   */
  dataVersion(): number;
  /** Small named values kept with the state (the stamp of the last render). */
  meta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  /** Commits the writes batched so far (also done by close, and by a timer within a second). */
  flush(): void;
  close(): void;
  /** Logs one fetch's duration and outcome (the newest FETCH_LOG_KEEP per source are kept). */
  recordFetch(sourceId: string, at: Date, ms: number, outcome: string): void;
  /** Health of each source for `feedloom status`: recent fetches, failure streak, items stored. */
  sourceHealth(sourceIds: readonly string[]): Map<string, SourceHealth>;
  /** The article extracted earlier from this page URL (full text for feeds), if any. */
  fullText(url: string): CachedFullText | undefined;
  /** Stores (or replaces) the article extracted from a page URL. */
  saveFullText(entry: CachedFullText): void;
  /** Deletes history no longer needed (retention.ts says what is kept), in its own transaction. */
  prune(options: PruneOptions): PruneReport;
}

/** Fetches kept per source in the fetch log: enough for a median, bounded over months. */
export const FETCH_LOG_KEEP = 20;

export interface FetchRecord {
  readonly at: Date;
  readonly ms: number;
  readonly outcome: string;
}

export interface SourceHealth {
  /** Newest first, at most FETCH_LOG_KEEP. */
  readonly fetches: readonly FetchRecord[];
  /** First failure of the current streak; undefined when the last fetch did not fail. */
  readonly failingSince?: Date;
  readonly items: number;
}

/** An article extracted from an item's page, cached by the page URL (issue 4: full text for feeds). */
export interface CachedFullText {
  readonly url: string;
  /** Hash of the feed item the page was fetched for: a changed item fetches its page again. */
  readonly itemHash: string;
  readonly html: string;
  /**
   * Length of the extracted plain text, to compare with the feed's own text; -1 for a fetch that failed
   * for a passing reason (no html), to be tried again later.
   */
  readonly textLength: number;
  /** When the page was fetched, or last failed. */
  readonly fetchedAt: Date;
}
