// What a fetched source's content becomes before dedupe: ingested, its unchanged items skipped by raw
// hash, the rest normalized. Pure CPU work with no store and no network, so it runs the same in the
// main thread or in a worker of the content pool. Near-duplicate signatures are not made here but by
// dedupe, in the main thread: the worker is a cold run's busiest thread while the main thread waits
// on it a third of the time, and a signature is cheaper to make there than to post (medium cold run:
// 9.5 s instead of 10.4 s).

import { decodeFetched } from '../fetch/decode.js';
import { ingest } from '../ingest/index.js';
import { rawHashOf } from '../ingest/raw-hash.js';
import { normalize, sourceTitle } from '../normalize/index.js';
import type {
  EncodedDocument,
  Fetched,
  FetchedDocument,
  Ingested,
  Item,
  SourceMeta,
  Warning,
} from '../types.js';

/** A fetched source as the fetch stage hands it over: HTTP bodies not decoded yet. */
export type FetchedEncodedOk = Extract<Fetched<FetchedDocument | EncodedDocument>, { status: 'ok' }>;

export interface FreshItem {
  readonly item: Item;
  readonly rawHash: string;
}

export interface ReadContent {
  readonly meta: SourceMeta;
  readonly warnings: readonly Warning[];
  readonly recovered: boolean;
  /** Items the source carried, changed or not. */
  readonly itemCount: number;
  /** Items whose raw form is not stored yet: normalized. */
  readonly fresh: readonly FreshItem[];
  /** Raw hashes of items stored unchanged: not normalized again, only marked as seen. */
  readonly seen: readonly string[];
}

/** One fetched source for the content pool: structured-clone safe (no functions, no store). */
export interface ContentTask {
  /** Bodies still encoded: the worker decodes them, and their buffers move to it without a copy. */
  readonly fetched: FetchedEncodedOk;
  /** Raw hashes already stored for the source. */
  readonly known: readonly string[];
  /** The run's clock when the task was made (ingest dates undated items by it). */
  readonly nowMs: number;
}

/**
 * Incremental work (issue 7): an item whose raw form (the parsed item, before normalizing) is stored
 * for this source is not normalized again (nor deduped: it is not fresh); feed items already known
 * were not even parsed (`ingested.unchanged`).
 *
 * @example
 * const content = readIngested(await ingest(fetched, { now }), new Set(store.rawHashes(id)), fetched.fetchedAt);
 */
export function readIngested(ingested: Ingested, known: ReadonlySet<string>, fetchedAt: Date): ReadContent {
  const fresh: FreshItem[] = [];
  const seen: string[] = [...(ingested.unchanged ?? [])];
  for (const raw of ingested.items) {
    const rawHash = rawHashOf(raw);
    if (known.has(rawHash)) {
      seen.push(rawHash);
      continue;
    }
    fresh.push({ item: normalize(raw, { now: () => fetchedAt }), rawHash });
  }
  const { title: _asWritten, titleIsHtml: _isHtml, ...meta } = ingested.meta;
  const title = sourceTitle(ingested.meta);
  return {
    // The source's name in plain text, as its items' titles are.
    meta: title ? { ...meta, title } : meta,
    warnings: ingested.warnings,
    recovered: ingested.recovered,
    itemCount: ingested.items.length + (ingested.unchanged?.length ?? 0),
    fresh,
    seen,
  };
}

/** A whole task: what a worker of the content pool runs. */
export async function readContent(task: ContentTask): Promise<ReadContent> {
  const known = new Set(task.known);
  const ingested = await ingest(decodeFetched(task.fetched), { now: () => new Date(task.nowMs), known });
  return readIngested(ingested, known, task.fetched.fetchedAt);
}
