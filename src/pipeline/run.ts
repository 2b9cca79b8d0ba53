// One pass over every source, then the outputs. Returns the report; never decides an exit code.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
// The writer only: the renderers (and the feed library) load when a run has something to render.
import { writerOf } from '../emit/manifest.js';
import { publishFiles } from '../emit/publish.js';
import { sweepTempFiles, writeFiles } from '../emit/write.js';
import { FeedloomError } from '../errors.js';
import { createHttpClient, createSemaphore, type HttpClient, postForm } from '../fetch/index.js';
import {
  type EntryQuery,
  type Grouping,
  openSqliteStore,
  retentionCutoff,
  retentionDays,
  type Store,
} from '../store/index.js';
import type { Config, RenderedFile, RunReport, Source, SourceReport, Validators, Warning } from '../types.js';
import { hashOf } from '../util/hash.js';
import { hostOf } from '../util/url.js';
import { VERSION } from '../util/version.js';
import { CONTENT_POOL_POLICY, ContentPool } from './content-pool.js';
import { outputPrefix, sourcesOf } from './output-sources.js';
import { processSource } from './source.js';
import { type DuePolicy, statusFile, statusReport } from './status.js';
import { changedFeedUrls, type PostForm, pingHub } from './websub.js';

export type ProgressEvent =
  | { readonly kind: 'start'; readonly total: number }
  | {
      readonly kind: 'source-done';
      readonly done: number;
      readonly total: number;
      readonly report: SourceReport;
    }
  | { readonly kind: 'emit' };

export interface RunOptions {
  now?(): Date;
  onProgress?(event: ProgressEvent): void;
  /** The schedule's rule (given by src/schedule): sources not due yet are skipped. Absent: all are fetched. */
  due?: DuePolicy;
  /** Fetch every source whatever `due` says (`run --all`); status.json still shows when each is due. */
  fetchAll?: boolean;
}

/** What fetchSources needs: a store and a client opened by the caller (one run, or a daemon's lifetime). */
export interface SourcesContext {
  readonly store: Store;
  readonly client: HttpClient;
  /** Identifies this pass in the store (entries opened in it may still change representative). */
  readonly runId: number;
  now(): Date;
  /** Sources whose `notBefore` is later than now are reported `not-due` and not fetched. */
  readonly due?: DuePolicy;
  /** Cancels fetches in flight (a stopping daemon). */
  readonly signal?: AbortSignal;
  /** Worker threads that read fetched content; absent: it is read in this thread. */
  readonly pool?: ContentPool;
  /** Called as each source finishes, in the order they finish. */
  onReport?(report: SourceReport): void;
}

/**
 * Fetches every source, stores what is new, and rewrites the outputs that changed.
 * @example
 * const report = await runOnce(loadConfig('sources.json'));
 */
export async function runOnce(config: Config, options: RunOptions = {}): Promise<RunReport> {
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const store = openSqliteStore(config.stateDir);
  const client = createHttpClient(config.fetch);
  const pool = ContentPool.forRun(config.sources.length);
  // A source without validators (never fetched, or its server sends none) answers with content, so
  // the pool will be needed: its worker starts now. Otherwise it starts with the first content, as a
  // run where every source answers 304 never needs it.
  if (pool) {
    const states = store.sourceStates(config.sources.map((s) => s.id));
    if (config.sources.some((s) => !hasValidators(states.get(s.id)?.validators))) pool.prestart();
  }
  try {
    const total = config.sources.length;
    options.onProgress?.({ kind: 'start', total });
    let done = 0;
    const reports = await fetchSources(config, config.sources, {
      store,
      client,
      now,
      runId: startedAt.getTime(),
      ...(pool ? { pool } : {}),
      ...(options.due && !options.fetchAll ? { due: options.due } : {}),
      onReport: (report) => {
        done++;
        options.onProgress?.({ kind: 'source-done', done, total, report });
      },
    });

    // The state could not be written (a full disk, a file-size limit, a failing device): the run
    // fails as a whole, leaving every output as it was, so cron sees a non-zero exit.
    const storeFailure = reports.find((r) => r.error?.code === 'STORE')?.error;
    if (storeFailure) {
      throw new FeedloomError('STORE', `${storeFailure.message}; the outputs were left as they were`);
    }
    // No source works: the outputs from the last good run stay as they are.
    const allFailed = everySourceFailing(reports);
    if (!allFailed) options.onProgress?.({ kind: 'emit' });
    const { written, removed, entries, warnings } = await writeOutputs(config, store, now(), {
      feeds: !allFailed,
      ...(options.due ? { due: options.due } : {}),
      post: (url, fields) => postForm(url, fields, client),
    });
    return {
      startedAt,
      sources: reports,
      written,
      ...(removed.length ? { removed } : {}),
      entries,
      workers: pool?.started ?? 0,
      ...(warnings.length ? { warnings } : {}),
    };
  } finally {
    try {
      await Promise.all([client.close(), pool?.close()]);
    } finally {
      store.close();
    }
  }
}

/**
 * Fetches, ingests and stores `sources` concurrently against an open store; each source's failure
 * becomes its report. Sources not due (per `ctx.due`) are reported `not-due` without a request.
 *
 * @example
 * const reports = await fetchSources(config, [source], { store, client, now: () => new Date(), runId: Date.now() });
 */
export async function fetchSources(
  config: Config,
  sources: readonly Source[],
  ctx: SourcesContext,
): Promise<SourceReport[]> {
  const { store, now } = ctx;
  const startedAt = now();
  const dedupeSince = new Date(startedAt.getTime() - config.dedupe.windowDays * 86_400_000);
  // Memory bounded (issue 7): with a pool, only so many sources are in progress at once. They are
  // admitted with hosts interleaved, so sources waiting on one busy host's cap cannot fill every slot.
  const admission = ctx.pool ? createSemaphore(CONTENT_POOL_POLICY.inProgress) : undefined;
  const reports: SourceReport[] = new Array(sources.length);
  await Promise.all(
    interleaveByHost(sources).map(async ({ source, index }) => {
      const state = store.sourceState(source.id);
      const notBefore = ctx.due?.notBefore(source, state);
      let report: SourceReport;
      if (notBefore && notBefore.getTime() > startedAt.getTime()) {
        report = notDue(source.id, notBefore, (state?.consecutiveFailures ?? 0) > 0);
      } else {
        const release = await admission?.acquire();
        report = await processSource(source, {
          store,
          fetch: { now, client: ctx.client, ...(ctx.signal ? { signal: ctx.signal } : {}) },
          now,
          dedupeSince,
          dedupe: config.dedupe,
          runId: ctx.runId,
          ...(ctx.pool ? { pool: ctx.pool } : {}),
        }).finally(() => release?.());
        // A fetch we cancelled ourselves says nothing about the source's health.
        if (report.error?.code !== 'FETCH_ABORTED') logFetch(store, report, now());
      }
      ctx.onReport?.(report);
      reports[index] = report;
    }),
  );
  return reports;
}

/** Sources in round-robin order of their hosts (local files count as one host), with their positions. */
function interleaveByHost(sources: readonly Source[]): { source: Source; index: number }[] {
  const byHost = new Map<string, { source: Source; index: number }[]>();
  sources.forEach((source, index) => {
    const host = 'url' in source.location ? hostOf(source.location.url) : '';
    const list = byHost.get(host) ?? [];
    list.push({ source, index });
    byHost.set(host, list);
  });
  const lists = [...byHost.values()];
  const out: { source: Source; index: number }[] = [];
  for (let i = 0; out.length < sources.length; i++) {
    for (const list of lists) {
      const next = list[i];
      if (next) out.push(next);
    }
  }
  return out;
}

/**
 * Renders and writes every output (when `feeds`), removes the files of earlier runs no output writes
 * any more, prunes the state, and writes output/status.json. The caller holds the state lock, so temp
 * files left in output/ are a killed writer's.
 *
 * @example
 * const { written } = await writeOutputs(config, store, new Date(), { feeds: true });
 */
export async function writeOutputs(
  config: Config,
  store: Store,
  now: Date,
  options: { readonly feeds: boolean; readonly due?: DuePolicy; readonly post?: PostForm },
): Promise<{ written: string[]; removed: string[]; entries: number; warnings: Warning[] }> {
  // Outputs only ever show what is committed: a crash after this point cannot publish lost items.
  store.flush();
  let written: string[] = [];
  let removed: string[] = [];
  let entries = 0;
  let warnings: Warning[] = [];
  const stamp = renderStamp(config, store, now);
  const unchanged = stamp === store.meta(RENDER_STAMP) && outputsPresent(config);
  if (options.feeds && unchanged) {
    // Incremental (issue 7): nothing any output shows changed since the files were written.
    entries = Number(store.meta(RENDER_ENTRIES) ?? 0);
  } else if (options.feeds) {
    // A run killed mid-write leaves its temp files; the caller holds the lock, so none is live.
    await sweepTempFiles(config.outDir);
    const files = await renderAll(config, store, now);
    entries = files.entries;
    // Also removes what a removed source or output left (listed in output/.feedloom-manifest.json).
    const published = await publishFiles(config.outDir, files.files, writerOf(config.path));
    written = published.written;
    removed = published.removed;
    warnings = published.warnings;
    store.setMeta(RENDER_STAMP, stamp);
    store.setMeta(RENDER_ENTRIES, String(entries));
    // After the outputs, so a prune that fails (a full disk) costs this run nothing already written.
    await prune(config, store, now);
    // WebSub (issue 6): one publish ping per feed file this run changed; schema requires feedBase.
    const base = config.site.feedBase;
    if (config.websub && base && options.post)
      warnings = [
        ...warnings,
        ...(await pingHub(config.websub.hub, changedFeedUrls(written, base), options.post)),
      ];
  }
  // Written even when every source failed (that is when monitoring needs it most). Not listed in
  // `written`: it changes every run, and "output/ unchanged" speaks of the feeds.
  await writeFiles(config.outDir, [statusFile(statusReport(config, store, now, options.due))]);
  return { written, removed, entries, warnings };
}

const RENDER_STAMP = 'render_stamp';
const RENDER_ENTRIES = 'render_entries';

/**
 * What the outputs are made of: the config, this version, the state's change counter, and the hour
 * when an output leaves out entries by age (they age out with the clock, not with a change).
 */
function renderStamp(config: Config, store: Store, now: Date): string {
  const ages = config.outputs.some((o) => o.maxAgeDays !== undefined);
  const hour = ages ? String(Math.floor(now.getTime() / 3_600_000)) : '';
  return hashOf([VERSION, JSON.stringify(config), String(store.dataVersion()), hour]);
}

/** A deleted output folder is written again even when nothing changed. */
function outputsPresent(config: Config): boolean {
  return config.outputs.every((o) => existsSync(join(config.outDir, outputPrefix(config, o), 'index.html')));
}

function notDue(sourceId: string, nextDue: Date, failing: boolean): SourceReport {
  return {
    sourceId,
    outcome: 'not-due',
    items: 0,
    newItems: 0,
    warnings: [],
    ms: 0,
    nextDue,
    ...(failing ? { failing: true } : {}),
  };
}

/**
 * Whether no source is working: each one fetched failed, and each one held back is held back after
 * failures (backoff, a dead source). Then the outputs stay as the last good run left them, and the
 * run says so, also on the runs between retries while every source waits out its backoff.
 */
export function everySourceFailing(reports: readonly SourceReport[]): boolean {
  const fetched = reports.filter((r) => r.outcome !== 'not-due');
  const failedNow = fetched.length > 0 && fetched.every((r) => r.outcome === 'failed');
  const heldBack = reports.filter((r) => r.outcome === 'not-due');
  return (failedNow || fetched.length === 0) && heldBack.every((r) => r.failing) && reports.length > 0;
}

async function renderAll(
  config: Config,
  store: Store,
  now: Date,
): Promise<{ files: RenderedFile[]; entries: number }> {
  const { renderOutputs } = await import('./outputs.js');
  const states = store.sourceStates(config.sources.map((s) => s.id));
  const titleOf = sourceTitles(config, store, states);
  const sources = config.sources.map((s) => {
    const state = states.get(s.id);
    return {
      id: s.id,
      title: titleOf(s.id),
      kind: s.kind,
      ...('url' in s.location ? { url: s.location.url } : {}),
      ...(state?.link ? { siteUrl: state.link } : {}),
    };
  });
  // Selection, filters, per-source folders, the root page's list and both OPML files: outputs.ts.
  return renderOutputs(config, { store, now, generator: `feedloom ${VERSION}`, titleOf, sources });
}

/** Retention (issue 5): what no output shows and dedupe no longer matches leaves the state. */
async function prune(config: Config, store: Store, now: Date): Promise<void> {
  const { entryPredicate, selectFiltered } = await import('./filter.js');
  const days = retentionDays({
    dedupeWindowDays: config.dedupe.windowDays,
    maxAgeDays: config.outputs.map((o) => o.maxAgeDays),
    ...(config.retention ? { override: config.retention.days } : {}),
  });
  // The selections renderOutputs makes (each per-source folder is one more): whatever an output
  // shows stays, however old. A filtered output may reach past its newest `limit`: keep its entries
  // by id, as the same filter picks them.
  const keep: EntryQuery[] = [];
  const keepEntries: { grouping: Grouping; entryIds: string[] }[] = [];
  const titleOf = sourceTitles(config, store);
  for (const o of config.outputs) {
    const selected = sourcesOf(config, o);
    const predicate = entryPredicate(o);
    for (const sourceIds of [selected, ...(o.perSource ? selected.map((id) => [id]) : [])]) {
      const query = {
        sourceIds,
        limit: o.limit,
        grouping: (o.near ? 'near' : 'exact') as Grouping,
        ...(o.maxAgeDays ? { since: new Date(now.getTime() - o.maxAgeDays * 86_400_000) } : {}),
      };
      if (!predicate) keep.push(query);
      else {
        const shown = selectFiltered(
          (limit) => store.entries({ ...query, limit }, titleOf),
          o.limit,
          predicate,
        );
        keepEntries.push({ grouping: query.grouping, entryIds: shown.map((e) => e.entryId) });
      }
    }
  }
  store.prune({ before: retentionCutoff(now, days), keep, keepEntries });
}

/** Display name of a source: its title in sources.json, else what the feed calls itself, else its id. */
function sourceTitles(
  config: Config,
  store: Store,
  states = store.sourceStates(config.sources.map((s) => s.id)),
): (id: string) => string {
  const names = new Map<string, string>();
  for (const s of config.sources) names.set(s.id, s.title ?? states.get(s.id)?.title ?? s.id);
  return (id) => names.get(id) ?? store.sourceState(id)?.title ?? id;
}

/** Duration and outcome for `feedloom status`; a failure to log it never fails the fetch it describes. */
function logFetch(store: Store, report: SourceReport, at: Date): void {
  try {
    store.recordFetch(report.sourceId, at, report.ms, report.outcome);
  } catch {
    // The store is failing: the next write of this run reports it.
  }
}

function hasValidators(validators: Validators | undefined): boolean {
  return validators?.etag !== undefined || validators?.lastModified !== undefined;
}
