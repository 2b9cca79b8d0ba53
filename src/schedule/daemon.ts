// `feedloom start`: one long-lived process that fetches each source on its own cron schedule.
//
// Each source gets a node-cron task. A firing fetches the source unless it is still held back
// (due.ts: ttl, max-age, Retry-After, backoff, dead) or already being fetched; a regular firing first
// waits a little jitter, a catch-up (never fetched, or overdue at start or reload) does not.
// Sources that brought something new mark the outputs dirty; a debounced flush rewrites them once
// for a burst of sources. The caller holds the state lock and turns signals into reload() and stop().
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTask, type ScheduledTask } from 'node-cron';
import { loadConfig, type Overrides } from '../config/index.js';
import { describeError } from '../errors.js';
import {
  createHttpClient,
  fetchSources,
  type HttpClient,
  postForm,
  writeOutputs,
} from '../pipeline/index.js';
import { openSqliteStore, type Store } from '../store/index.js';
import type { Config, Source, SourceReport } from '../types.js';
import { cronPeriodMs } from './cron.js';
import { duePolicy, holdOf, nextDue } from './due.js';

/** The daemon's fixed numbers. */
export const DAEMON_POLICY = {
  /** Jitter never exceeds this share of a source's own period (a 1 s schedule gets at most 0.1 s). */
  jitterShareOfPeriod: 0.1,
  /** A steady stream of sources still gets its outputs written at least this many debounce periods apart. */
  maxDebounceFactor: 5,
  /** Editors save in several steps (truncate, write, rename): changes this close together are one. */
  watchSettleMs: 300,
} as const;

export type DaemonEvent =
  | { readonly kind: 'started'; readonly sources: number; readonly stateDir: string; readonly outDir: string }
  | { readonly kind: 'fetched'; readonly report: SourceReport }
  /** A firing that did not fetch at once: `until` when it will (or may) fetch, if known. */
  | { readonly kind: 'held'; readonly sourceId: string; readonly until?: Date; readonly why: string }
  | {
      readonly kind: 'written';
      readonly files: readonly string[];
      /** Files of earlier writes that no output writes any more, removed. */
      readonly removed: readonly string[];
      readonly entries: number;
    }
  | {
      readonly kind: 'reloaded';
      readonly sources: number;
      readonly added: readonly string[];
      readonly removed: readonly string[];
      readonly trigger: string;
    }
  | { readonly kind: 'reload-failed'; readonly message: string; readonly problems: readonly string[] }
  | { readonly kind: 'stopping'; readonly reason: string; readonly inFlight: readonly string[] }
  | { readonly kind: 'cancelled'; readonly sourceIds: readonly string[] }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'error'; readonly message: string }
  /** Something the outputs' write noticed but got past (a WebSub hub down, a file left in place). */
  | { readonly kind: 'warning'; readonly message: string }
  | { readonly kind: 'debug'; readonly message: string };

export interface DaemonOptions {
  /** Loaded and validated by the caller, so a bad file fails `start` before anything runs. */
  readonly config: Config;
  /** Command-line folders that win over the file's, also on reload. */
  readonly overrides?: Overrides;
  /** Reload when sources.json changes on disk (default true). */
  readonly watch?: boolean;
  now?(): Date;
  onEvent?(event: DaemonEvent): void;
}

export interface Daemon {
  /** Reads sources.json again; an invalid file is reported and the running config stays. */
  reload(trigger?: string): void;
  /** Stops scheduling, lets fetches finish for graceSeconds, cancels the rest, writes, closes. */
  stop(reason?: string): Promise<void>;
  /** Settles once stopped. */
  readonly stopped: Promise<void>;
}

interface Job {
  readonly source: Source;
  readonly task: ScheduledTask;
}

/**
 * Starts scheduling every source of `options.config`. The caller holds the state lock.
 *
 * @example
 * const daemon = startDaemon({ config, onEvent: log });
 * process.on('SIGHUP', () => daemon.reload('SIGHUP'));
 * process.on('SIGTERM', () => void daemon.stop('SIGTERM'));
 * await daemon.stopped;
 */
export function startDaemon(options: DaemonOptions): Daemon {
  const now = options.now ?? (() => new Date());
  const emit = (e: DaemonEvent): void => {
    try {
      options.onEvent?.(e);
    } catch {
      // A logger that throws must not stop the scheduler.
    }
  };

  let config = options.config;
  let configText = readText(config.path);
  const store: Store = openSqliteStore(config.stateDir);
  let client: HttpClient = createHttpClient(config.fetch);
  const jobs = new Map<string, Job>();
  /** Sources being fetched or waiting out their jitter: never two fetches of one source at once. */
  const busy = new Map<string, Promise<void>>();
  /** Sources whose request is under way: what a stop waits for (a jitter wait just ends). */
  const inFlight = new Set<string>();
  /** Aborted at stop: jitter waits end at once. */
  const waits = new AbortController();
  /** Aborted after the grace period: fetches in flight are cancelled. */
  const fetches = new AbortController();
  let stopping = false;
  /**
   * The store's run id: one per stretch between two writes of the feeds, so a better copy of a story
   * may still become its representative until the story is published, as within one `run`.
   */
  let windowId = now().getTime();
  let feedsDirty = false;
  let statusDirty = false;
  let flushTimer: NodeJS.Timeout | undefined;
  let firstPending: number | undefined;
  let flushing: Promise<void> = Promise.resolve();
  let watcher: FSWatcher | undefined;
  let watchTimer: NodeJS.Timeout | undefined;
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((r) => {
    resolveStopped = r;
  });
  let stopPromise: Promise<void> | undefined;

  const cronLogger = {
    info: (m: string) => emit({ kind: 'debug', message: `node-cron: ${m}` }),
    warn: (m: string) => emit({ kind: 'debug', message: `node-cron: ${m}` }),
    error: (m: string | Error) => emit({ kind: 'error', message: `node-cron: ${String(m)}` }),
    debug: (m: string | Error) => emit({ kind: 'debug', message: `node-cron: ${String(m)}` }),
  };

  function schedule(source: Source): Job {
    const task = createTask(source.schedule, () => fire(source.id), {
      name: source.id,
      noOverlap: true,
      logger: cronLogger,
      // The daemon runs behind schedule sometimes (a big write): that is not worth a warning.
      suppressMissedWarning: true,
    });
    void task.start();
    return { source, task };
  }

  /**
   * A firing of a source's schedule, or its catch-up (`catchUp`: never fetched or overdue, at start or
   * reload). Fetches if still due; only a regular firing waits out the jitter first, since the point
   * of jitter is to spread sources that share a schedule, and a catch-up is already late.
   */
  function fire(id: string, catchUp = false): Promise<void> | undefined {
    if (stopping) return undefined;
    const job = jobs.get(id);
    if (!job) return undefined;
    if (busy.has(id)) {
      emit({
        kind: 'held',
        sourceId: id,
        why: inFlight.has(id) ? 'the previous fetch is still running' : 'still waiting out its jitter',
      });
      return undefined;
    }
    // Held back (ttl, Retry-After, backoff...): said and skipped now, not after a jitter wait.
    if (isHeld(job.source)) return undefined;
    const work = (async () => {
      const jitter = catchUp ? 0 : jitterMs(job.source, config, now());
      if (jitter > 0) {
        emit({
          kind: 'held',
          sourceId: id,
          until: new Date(now().getTime() + jitter),
          why: `jitter: ${(jitter / 1000).toFixed(1)} s of schedule.jitterSeconds`,
        });
        await sleep(jitter, undefined, { signal: waits.signal }).catch(() => undefined);
      }
      if (stopping) return;
      // The config may have been reloaded during the jitter: fetch what it says now.
      const current = jobs.get(id)?.source;
      if (current) await fetchOne(current);
    })()
      .catch((e: unknown) => emit({ kind: 'error', message: `${id}: ${describeError(e).message}` }))
      .finally(() => busy.delete(id));
    busy.set(id, work);
    return work;
  }

  /** True (and said) when due.ts holds the source back now. */
  function isHeld(source: Source): boolean {
    const hold = holdOf(store.sourceState(source.id), config.schedule);
    if (hold.at.getTime() <= now().getTime()) return false;
    emit({ kind: 'held', sourceId: source.id, until: hold.at, why: hold.detail });
    return true;
  }

  async function fetchOne(source: Source): Promise<void> {
    // Again after the jitter: a reload may have changed the schedule settings meanwhile.
    if (isHeld(source)) return;
    inFlight.add(source.id);
    let report: SourceReport | undefined;
    try {
      [report] = await fetchSources(config, [source], {
        store,
        client,
        now,
        runId: windowId,
        signal: fetches.signal,
      });
    } finally {
      inFlight.delete(source.id);
    }
    if (!report) return;
    emit({ kind: 'fetched', report });
    if (report.error?.code === 'FETCH_ABORTED') return;
    statusDirty = true;
    if (report.outcome === 'ok' || report.outcome === 'recovered') feedsDirty = true;
    scheduleFlush();
  }

  function scheduleFlush(): void {
    if (stopping) return;
    const debounce = config.schedule.debounceSeconds * 1000;
    const t = now().getTime();
    firstPending ??= t;
    // Debounced, but a steady stream of sources cannot hold the write off forever.
    const latest = firstPending + Math.max(debounce * DAEMON_POLICY.maxDebounceFactor, 1000);
    const delay = Math.max(0, Math.min(debounce, latest - t));
    clearTimeout(flushTimer);
    flushTimer = setTimeout(() => {
      flushTimer = undefined;
      void flush();
    }, delay);
  }

  /** Writes what is pending; flushes run one after another, never two at once. */
  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      firstPending = undefined;
      if (!feedsDirty && !statusDirty) return;
      // No source has ever been read: rendering now would publish empty feeds over the old ones.
      const feeds = feedsDirty && config.sources.some((s) => store.sourceState(s.id)?.lastOkAt);
      feedsDirty = false;
      statusDirty = false;
      try {
        const result = await writeOutputs(config, store, now(), {
          feeds,
          due: duePolicy(config.schedule),
          // WebSub: the hub hears of each feed file this write changed.
          post: (url, fields) => postForm(url, fields, client),
        });
        for (const w of result.warnings) emit({ kind: 'warning', message: `${w.code}: ${w.message}` });
        if (feeds) windowId = Math.max(windowId + 1, now().getTime());
        if (result.written.length > 0 || result.removed.length > 0)
          emit({ kind: 'written', files: result.written, removed: result.removed, entries: result.entries });
      } catch (e) {
        // The previous files stay in place (writes are atomic); the next source to change retries.
        feedsDirty ||= feeds;
        emit({ kind: 'error', message: `writing ${config.outDir}: ${describeError(e).message}` });
      }
    });
    return flushing;
  }

  /** Schedules every source of `config`; fires at once those overdue or never fetched. */
  function scheduleAll(): void {
    const at = now();
    for (const source of config.sources) {
      jobs.set(source.id, schedule(source));
      const due = nextDue(source, store.sourceState(source.id), config.schedule, at);
      if (due.getTime() <= at.getTime()) void fire(source.id, true);
    }
  }

  function unscheduleAll(): void {
    for (const job of jobs.values()) void job.task.destroy();
    jobs.clear();
  }

  function reload(trigger = 'reload'): void {
    if (stopping) return;
    // Remembered even when invalid: the watcher then reports one bad edit once, not on every event.
    configText = readText(config.path);
    let next: Config;
    try {
      next = loadConfig(config.path, options.overrides ?? {});
    } catch (e) {
      const problems = (e as { problems?: readonly string[] }).problems ?? [];
      emit({ kind: 'reload-failed', message: describeError(e).message, problems });
      return;
    }
    if (next.stateDir !== config.stateDir) {
      emit({
        kind: 'reload-failed',
        message: `the state folder changed (${config.stateDir} -> ${next.stateDir}): restart feedloom to move it`,
        problems: [],
      });
      return;
    }
    const before = new Set(config.sources.map((s) => s.id));
    const after = new Set(next.sources.map((s) => s.id));
    if (JSON.stringify(next.fetch) !== JSON.stringify(config.fetch)) {
      const old = client;
      client = createHttpClient(next.fetch);
      // Fetches in flight keep the old client until they end.
      void Promise.allSettled([...busy.values()]).then(() => old.close());
    }
    unscheduleAll();
    config = next;
    scheduleAll();
    emit({
      kind: 'reloaded',
      sources: next.sources.length,
      added: [...after].filter((id) => !before.has(id)),
      removed: [...before].filter((id) => !after.has(id)),
      trigger,
    });
    // Outputs, titles or filters may have changed: rebuild from what is stored.
    feedsDirty = true;
    statusDirty = true;
    scheduleFlush();
  }

  function watchConfig(): void {
    const file = basename(config.path);
    try {
      // The folder, not the file: editors replace the file by rename, which ends a watch on it.
      watcher = watch(dirname(config.path), (_event, name) => {
        if (name !== null && name !== file) return;
        clearTimeout(watchTimer);
        watchTimer = setTimeout(() => {
          // Only a real change: touching the file or our own reads are not worth a reload.
          if (readText(config.path) !== configText) reload(`${file} changed`);
        }, DAEMON_POLICY.watchSettleMs);
      });
      watcher.on('error', (e) => emit({ kind: 'error', message: `watching ${config.path}: ${e.message}` }));
    } catch (e) {
      emit({
        kind: 'error',
        message: `cannot watch ${config.path} (SIGHUP still reloads): ${describeError(e).message}`,
      });
    }
  }

  async function stop(reason = 'stop'): Promise<void> {
    stopPromise ??= (async () => {
      stopping = true;
      emit({ kind: 'stopping', reason, inFlight: [...inFlight] });
      unscheduleAll();
      watcher?.close();
      clearTimeout(watchTimer);
      clearTimeout(flushTimer);
      waits.abort();
      const grace = config.schedule.graceSeconds * 1000;
      const all = (): Promise<unknown> => Promise.allSettled([...busy.values()]);
      const timer = new AbortController();
      const finished = await Promise.race([
        all().then(() => true),
        sleep(grace, false, { signal: timer.signal }).catch(() => false),
      ]);
      timer.abort();
      if (!finished) {
        emit({ kind: 'cancelled', sourceIds: [...inFlight] });
        fetches.abort(new Error('feedloom is stopping'));
        await all();
      }
      try {
        await flush();
      } finally {
        await client.close().catch(() => undefined);
        try {
          store.close();
        } catch (e) {
          // The last commit failed (a full disk): say so, and stop all the same.
          emit({ kind: 'error', message: describeError(e).message });
        }
        emit({ kind: 'stopped' });
        resolveStopped();
      }
    })();
    return stopPromise;
  }

  emit({ kind: 'started', sources: config.sources.length, stateDir: config.stateDir, outDir: config.outDir });
  scheduleAll();
  if (options.watch ?? true) watchConfig();
  // status.json at once, so monitoring sees the daemon's schedule before the first fetch ends.
  statusDirty = true;
  scheduleFlush();

  return { reload, stop, stopped };
}

/** Random delay before a scheduled fetch, at most jitterSeconds and a tenth of the source's period. */
function jitterMs(source: Source, config: Config, at: Date): number {
  const period = cronPeriodMs(source.schedule, at) ?? 0;
  const max = Math.min(config.schedule.jitterSeconds * 1000, period * DAEMON_POLICY.jitterShareOfPeriod);
  return max > 0 ? Math.random() * max : 0;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
