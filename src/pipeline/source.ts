// One source, start to finish: fetch, ingest, normalize what changed, dedupe, store in one transaction.
// The only place (with run.ts) where a source's failure is caught and turned into its report.
import type { DedupeHistory, NearCandidate } from '../dedupe/index.js';
import { describeError, FeedloomError } from '../errors.js';
import { decodeFetched, type FetchContext, fetchSource, fetchSourceEncoded } from '../fetch/index.js';
import type { ItemToSave, Store, StoredItemInfo, StoredSignature } from '../store/index.js';
import type {
  DedupeSettings,
  EncodedDocument,
  Fetched,
  FetchedDocument,
  Item,
  Source,
  SourceReport,
  Validators,
  Warning,
} from '../types.js';
import { withoutHash } from '../util/url.js';
import { advertisedInstead, fetchAdvertised, possiblePage } from './advertised.js';
import type { FetchedEncodedOk, ReadContent } from './content.js';
import type { ContentPool } from './content-pool.js';

/**
 * The stages that read content (HTML and XML parsers, about half of startup), loaded when the first
 * source answers with content and is read in this thread: a run where every source answers 304, or
 * whose content goes to the pool's workers, never loads them here.
 */
let readers:
  | Promise<typeof import('./content.js') & typeof import('./full-text.js') & typeof import('./pages.js')>
  | undefined;
const loadReaders = () =>
  (readers ??= Promise.all([import('./content.js'), import('./full-text.js'), import('./pages.js')]).then(
    ([content, fullText, pages]) => ({ ...content, ...fullText, ...pages }),
  ));
let dedupeStage: Promise<typeof import('../dedupe/index.js') & typeof import('./near-index.js')> | undefined;
const loadDedupe = () =>
  (dedupeStage ??= Promise.all([import('../dedupe/index.js'), import('./near-index.js')]).then(
    ([dedupe, nearIndex]) => ({ ...dedupe, ...nearIndex }),
  ));

export interface SourceContext {
  readonly store: Store;
  readonly fetch: FetchContext;
  /** Stories first seen before this are not matched any more (dedupe.windowDays). */
  readonly dedupeSince: Date;
  readonly dedupe: DedupeSettings;
  /** Identifies this run in the store (entries opened in it may still change representative). */
  readonly runId: number;
  /** Worker threads for parsing and normalizing (a run with many sources); absent: this thread. */
  readonly pool?: ContentPool;
  now(): Date;
}

export async function processSource(source: Source, ctx: SourceContext): Promise<SourceReport> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const { store } = ctx;
  try {
    const state = store.sourceState(source.id);
    const previous = state?.validators ?? {};
    // With a pool, bodies stay encoded: a worker decodes them, the main thread only moves the bytes.
    const first = ctx.pool
      ? await fetchSourceEncoded(source, previous, ctx.fetch)
      : await fetchSource(source, previous, ctx.fetch);
    // Started before the content is read, and only when there is content: a run where nothing
    // changed never loads dedupe. Awaited once the content is read; a read that fails first must
    // not leave it unhandled.
    const dedupeReady = first.status === 'ok' ? prepareDedupe(ctx) : undefined;
    dedupeReady?.catch(() => undefined);
    const got = first.status === 'ok' ? await readOrFollow(first, previous, ctx) : fetchedOnly(first);
    const { fetched } = got;
    // For logs: the HTTP status and wire bytes, where there were any.
    const wire = {
      ...(fetched.httpStatus !== undefined ? { httpStatus: fetched.httpStatus } : {}),
      ...(fetched.status === 'ok' ? { bytes: fetched.bytes } : {}),
    };
    if (!('ingested' in got)) {
      // 304 (or an unchanged local file): one request, nothing else to do.
      store.saveSourceRun({
        runId: ctx.runId,
        sourceId: source.id,
        at: fetched.fetchedAt,
        status: 'not-modified',
        validators: fetched.validators,
        // The body (and its ttl) did not change; the headers' max-age may have.
        ...(state?.feedIntervalS ? { feedIntervalS: state.feedIntervalS } : {}),
        ...(fetched.maxAgeS ? { maxAgeS: fetched.maxAgeS } : {}),
        items: [],
        seenRawHashes: [],
      });
      return {
        sourceId: source.id,
        outcome: 'not-modified',
        items: 0,
        newItems: 0,
        warnings: got.warnings,
        ms: ms(),
        ...wire,
      };
    }

    const { ingested } = got;
    const { assignEntries, decodeScoredSignature, encodeSignature } = await (dedupeReady ??
      prepareDedupe(ctx));
    const fresh: { item: Item; rawHash: string }[] = [];
    const stored = new Map<string, StoredItemInfo | undefined>();
    for (const f of ingested.fresh) {
      // One look-up per item, reused below: first-seen date, new-item count and both groupings.
      const before = store.item(f.item.key);
      fresh.push({ item: keepFirstSeenDate(f.item, before), rawHash: f.rawHash });
      stored.set(f.item.key, before);
    }

    const newItems = fresh.filter(({ item }) => !stored.get(item.key)).length;
    const history: DedupeHistory = {
      entryForKey: (key) => (stored.has(key) ? stored.get(key)?.entryId : store.item(key)?.entryId),
      entryForLink: (link) => store.entryForLink(link, ctx.dedupeSince),
      entryForFingerprint: (fp) => store.entryForFingerprint(fp, ctx.dedupeSince),
      nearCandidates: (bands) => nearCandidates(store, bands, ctx.dedupeSince, decodeScoredSignature),
    };
    const assignments = assignEntries(
      fresh.map((f) => f.item),
      history,
      ctx.dedupe.near ? { near: { threshold: ctx.dedupe.threshold } } : {},
    );
    // The same items under exact keys only, for outputs that leave near-duplicates apart.
    const exact = ctx.dedupe.near
      ? assignEntries(
          fresh.map((f) => f.item),
          {
            entryForKey: (key) =>
              stored.has(key) ? stored.get(key)?.exactEntryId : store.item(key)?.exactEntryId,
            entryForLink: (link) => store.entryForLink(link, ctx.dedupeSince, 'exact'),
            entryForFingerprint: (fp) => store.entryForFingerprint(fp, ctx.dedupeSince, 'exact'),
          },
        )
      : assignments;
    const items: ItemToSave[] = assignments.map((a, i) => ({
      item: a.item,
      rawHash: fresh[i]?.rawHash ?? '',
      entryId: a.entryId,
      newEntry: a.newEntry,
      priority: source.priority,
      exact: { entryId: exact[i]?.entryId ?? a.entryId, newEntry: exact[i]?.newEntry ?? a.newEntry },
      ...(a.linkKey ? { linkKey: a.linkKey } : {}),
      ...(a.contentKey ? { contentKey: a.contentKey } : {}),
      ...(a.signature ? { nearSignature: encodeSignature(a.signature), nearBands: a.signature.bands } : {}),
      ...(a.matchedBy ? { matchedBy: a.matchedBy } : {}),
      ...(a.scores ? { matchDetail: JSON.stringify(a.scores) } : {}),
    }));
    const outcome = ingested.recovered ? 'recovered' : 'ok';
    store.saveSourceRun({
      runId: ctx.runId,
      sourceId: source.id,
      at: fetched.fetchedAt,
      status: outcome,
      validators: fetched.validators,
      ...(ingested.meta.title ? { title: ingested.meta.title } : {}),
      ...(ingested.meta.link ? { link: ingested.meta.link } : {}),
      ...(ingested.meta.ttlMinutes ? { feedIntervalS: ingested.meta.ttlMinutes * 60 } : {}),
      ...(fetched.maxAgeS ? { maxAgeS: fetched.maxAgeS } : {}),
      items,
      seenRawHashes: ingested.seen,
    });
    return {
      sourceId: source.id,
      outcome,
      items: ingested.itemCount,
      newItems,
      warnings: [...got.warnings, ...ingested.warnings],
      ms: ms(),
      ...wire,
    };
  } catch (e) {
    const error = describeError(e);
    const httpStatus = e instanceof FeedloomError ? e.httpStatus : undefined;
    try {
      // Cancelled by our own stop: nothing is wrong with the source, so nothing is recorded.
      if (error.code !== 'FETCH_ABORTED') {
        store.recordFailure(
          source.id,
          ctx.now(),
          error.message,
          e instanceof FeedloomError ? e.retryAt : undefined,
        );
      }
    } catch {
      // The report below still carries the error; a store that cannot record it fails the run later.
    }
    return {
      sourceId: source.id,
      outcome: 'failed',
      items: 0,
      newItems: 0,
      warnings: [],
      error,
      ms: ms(),
      ...(httpStatus !== undefined ? { httpStatus } : {}),
    };
  }
}

type FetchedAny = Fetched<FetchedDocument | EncodedDocument>;

/** What a source's fetch came to: nothing new (not modified), or content read; with warnings. */
type Got =
  | {
      readonly fetched: Extract<FetchedAny, { status: 'not-modified' }>;
      readonly warnings: readonly Warning[];
    }
  | {
      readonly fetched: FetchedEncodedOk;
      readonly ingested: ReadContent;
      readonly warnings: readonly Warning[];
    };

function fetchedOnly(fetched: Extract<FetchedAny, { status: 'not-modified' }>): Got {
  return { fetched, warnings: movedWarnings(fetched.source, fetched.movedTo) };
}

/**
 * Reads a fetched source; a feed source whose URL turned out to be an HTML page reads the feed the
 * page advertises instead (advertised.ts), which may itself answer "not modified".
 */
async function readOrFollow(
  fetched: FetchedEncodedOk,
  previous: Validators,
  ctx: SourceContext,
): Promise<Got> {
  const page = possiblePage(fetched);
  try {
    const ingested = await readFetched(fetched, ctx);
    return { fetched, ingested, warnings: movedWarnings(fetched.source, fetched.movedTo) };
  } catch (e) {
    const feedUrl = page && (await advertisedInstead(page, e));
    if (feedUrl === undefined) throw withRedirectNoted(e, fetched);
    const followed = await fetchAdvertised(fetched, feedUrl, previous, ctx);
    const warnings = [followed.warning];
    if (followed.fetched.status === 'not-modified') return { fetched: followed.fetched, warnings };
    return { fetched: followed.fetched, ingested: await readFetched(followed.fetched, ctx), warnings };
  }
}

/**
 * A document that is no feed at a URL other than the source's says so: a feed URL that redirects to
 * a sign-in page, or to a site's new home, is otherwise reported under a URL the user never wrote.
 */
function withRedirectNoted(e: unknown, fetched: FetchedEncodedOk): unknown {
  const { location } = fetched.source;
  if (!(e instanceof FeedloomError) || e.code !== 'PARSE_UNKNOWN_FORMAT' || !('url' in location)) return e;
  if (withoutHash(location.url) === withoutHash(fetched.url)) return e;
  return new FeedloomError(e.code, `${e.message} (${location.url} redirected there)`, { cause: e });
}

/** A warning that the source's URL redirects permanently: it keeps working, but costs a hop each time. */
function movedWarnings(source: Source, movedTo: string | undefined): Warning[] {
  if (movedTo === undefined || !('url' in source.location)) return [];
  return [
    {
      sourceId: source.id,
      code: 'FETCH_MOVED',
      message:
        `fetch: ${source.location.url} has moved permanently to ${movedTo} (301/308 redirect): ` +
        'put the new URL in sources.json; the redirect is followed until then',
    },
  ];
}

/**
 * The dedupe stage, ready for look-ups: its module, the store's index made current (once per store)
 * and the window's bands in memory. Started before the content is read, so that this work fills the
 * time the main thread would spend waiting for a worker (0.3 s at 25,000 stored items) instead of
 * coming after it. A run where nothing changed never gets here, and never loads dedupe.
 */
async function prepareDedupe(ctx: SourceContext): Promise<Awaited<ReturnType<typeof loadDedupe>>> {
  const stage = await loadDedupe();
  stage.ensureNearIndex(ctx.store, ctx.dedupeSince);
  if (ctx.dedupe.near) ctx.store.loadNearWindow(ctx.dedupeSince);
  return stage;
}

/**
 * A fetched source's content, read in a worker of the pool when there is one and the source needs
 * nothing but its own documents; sources that fetch more (pages after the first, full text) are read
 * here, where the client is.
 */
async function readFetched(fetched: FetchedEncodedOk, ctx: SourceContext): Promise<ReadContent> {
  const { source } = fetched;
  const known = ctx.store.rawHashes(source.id);
  const moreRequests =
    (source.kind === 'feed' && source.fullText === true) ||
    (source.kind === 'page' && (source.maxPages ?? 1) > 1);
  if (ctx.pool && !moreRequests) {
    return ctx.pool.read({ fetched, known, nowMs: ctx.now().getTime() });
  }
  const { ingestPages, readIngested, withFullText } = await loadReaders();
  // A page source with maxPages > 1 also reads the pages after the first (issue 4).
  // fullText feeds: teaser items replaced by their extracted pages (issue 4).
  const knownSet = new Set(known);
  const ingested = await withFullText(
    source,
    await ingestPages(decodeFetched(fetched), { now: ctx.now, fetch: ctx.fetch, known: knownSet }),
    ctx,
  );
  return readIngested(ingested, knownSet, fetched.fetchedAt);
}

/** Stored signatures of earlier items sharing a band; one written by another version is skipped. */
function nearCandidates(
  store: Store,
  bands: readonly number[],
  since: Date,
  decodeSignature: (stored: StoredSignature) => NearCandidate['signature'] | undefined,
): NearCandidate[] {
  return store.nearCandidates(bands, since).flatMap((row) => {
    const signature = decodeSignature(row.signature);
    return signature ? [{ entryId: row.entryId, signature, sourceId: row.sourceId }] : [];
  });
}

/** An undated item keeps the time it was first seen, so it never jumps to the top of the feed again. */
function keepFirstSeenDate(item: Item, before: StoredItemInfo | undefined): Item {
  return item.publishedGuessed && before ? { ...item, published: before.published } : item;
}
