// Source health for people and for monitoring: `feedloom status`, `status --check` and
// output/status.json all come from statusReport, so the three never disagree.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULTS } from '../config/index.js';
import {
  openSqliteStore,
  type SourceHealth,
  type SourceState,
  STATE_FILE,
  type Store,
} from '../store/index.js';
import type { Config, RenderedFile, ScheduleSettings, Source, SourceOutcome } from '../types.js';
import { VERSION } from '../util/version.js';

/** When a failing source counts as dead: both limits must be reached (issue 5, "source health"). */
export interface HealthPolicy {
  readonly deadAfterFailures: number;
  /** From the first failure of the streak to the latest: ten failures in one bad minute are not death. */
  readonly deadAfterMs: number;
}

/** The default policy; `schedule.deadAfterFailures` and `schedule.deadAfterHours` override it. */
export const HEALTH_POLICY: HealthPolicy = healthPolicy(DEFAULTS);

/** The dead rule's limits from the config's schedule settings. */
export function healthPolicy(
  settings: Pick<ScheduleSettings, 'deadAfterFailures' | 'deadAfterHours'>,
): HealthPolicy {
  return { deadAfterFailures: settings.deadAfterFailures, deadAfterMs: settings.deadAfterHours * 3_600_000 };
}

/**
 * When sources may be fetched: the scheduler's rule (src/schedule/due.ts), handed in because the
 * pipeline does not import the scheduler.
 */
export interface DuePolicy {
  /** Earliest time the source may be fetched (politeness, backoff, dead); later than now: not due. */
  notBefore(source: Source, state: SourceState | undefined): Date;
  /** When `feedloom start` will next fetch the source: its schedule and notBefore together. */
  nextDue(source: Source, state: SourceState | undefined, now: Date): Date;
}

export const STATUS_FILE = 'status.json';

export type StatusLabel = SourceOutcome | 'never run';

/** One configured source's health. Absent facts are null, so every key is always there for scripts. */
export interface SourceStatus {
  readonly id: string;
  readonly kind: Source['kind'];
  readonly status: StatusLabel;
  /** ISO time of the last fetch that did not fail (ok, recovered or not-modified). */
  readonly lastSuccess: string | null;
  readonly lastFetched: string | null;
  readonly consecutiveFailures: number;
  /** ISO time of the first failure of the current streak. */
  readonly failingSince: string | null;
  /** Items of this source held in the state. */
  readonly items: number;
  /** Median duration of the recent fetches, in milliseconds. */
  readonly medianMs: number | null;
  /** How many recent fetches the median is over. */
  readonly fetches: number;
  readonly lastError: string | null;
  readonly dead: boolean;
  /** ISO time `feedloom start` will next fetch the source; null when not known (no schedule given). */
  readonly nextDue: string | null;
}

export interface StatusReport {
  readonly generator: string;
  readonly generatedAt: string;
  readonly policy: { readonly deadAfterFailures: number; readonly deadAfterHours: number };
  readonly sources: readonly SourceStatus[];
  /** Ids of the dead sources, for a quick `jq '.dead'`. */
  readonly dead: readonly string[];
}

/**
 * True when a source has failed `deadAfterFailures` times in a row over at least `deadAfterMs`,
 * counted from the first failure of the streak to the latest one.
 *
 * @example
 * isDead(12, new Date('2026-01-01T00:00Z'), new Date('2026-01-02T00:00Z')) // true
 */
export function isDead(
  consecutiveFailures: number,
  failingSince: Date | undefined,
  lastFailure: Date | undefined,
  policy: HealthPolicy = HEALTH_POLICY,
): boolean {
  if (consecutiveFailures < policy.deadAfterFailures || !failingSince || !lastFailure) return false;
  return lastFailure.getTime() - failingSince.getTime() >= policy.deadAfterMs;
}

/** Middle value (mean of the two middle ones for an even count); undefined for none. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : Math.round(((sorted[mid - 1] ?? hi) + hi) / 2);
}

/** The status of one source from what the store knows of it (nothing: never run). */
export function sourceStatus(
  source: Pick<Source, 'id' | 'kind'>,
  state: SourceState | undefined,
  health: SourceHealth | undefined,
  policy: HealthPolicy = HEALTH_POLICY,
  nextDue?: Date,
): SourceStatus {
  const fetches = health?.fetches ?? [];
  const failures = state?.consecutiveFailures ?? 0;
  const failed = state?.lastStatus === 'failed';
  // The newest logged fetch is the latest failure when failing; an older state has only lastFetchedAt.
  const lastFailure = failed ? (fetches[0]?.at ?? state?.lastFetchedAt) : undefined;
  const failingSince = failed ? (health?.failingSince ?? state?.lastFetchedAt) : undefined;
  const ms = median(fetches.map((f) => f.ms));
  return {
    id: source.id,
    kind: source.kind,
    status: labelOf(state?.lastStatus),
    lastSuccess: state?.lastOkAt?.toISOString() ?? null,
    lastFetched: state?.lastFetchedAt?.toISOString() ?? null,
    consecutiveFailures: failures,
    failingSince: failingSince?.toISOString() ?? null,
    items: health?.items ?? 0,
    medianMs: ms ?? null,
    fetches: fetches.length,
    lastError: state?.lastError ?? null,
    dead: isDead(failures, failingSince, lastFailure, policy),
    nextDue: nextDue?.toISOString() ?? null,
  };
}

/**
 * The status of every configured source. `store` undefined means no state yet: all "never run".
 *
 * @example
 * const report = statusReport(config, store, new Date());
 * if (report.dead.length) alert(report.dead);
 */
export function statusReport(
  config: Config,
  store: Store | undefined,
  now: Date,
  due?: DuePolicy,
): StatusReport {
  const policy = healthPolicy(config.schedule);
  const ids = config.sources.map((s) => s.id);
  const health = store?.sourceHealth(ids);
  const states = store?.sourceStates(ids);
  const sources = config.sources.map((s) => {
    const state = states?.get(s.id);
    return sourceStatus(s, state, health?.get(s.id), policy, due?.nextDue(s, state, now));
  });
  return {
    generator: `feedloom ${VERSION}`,
    generatedAt: now.toISOString(),
    policy: {
      deadAfterFailures: policy.deadAfterFailures,
      deadAfterHours: policy.deadAfterMs / 3_600_000,
    },
    sources,
    dead: sources.filter((s) => s.dead).map((s) => s.id),
  };
}

/**
 * Reads the status from the state folder without creating it: a project never run has no state.
 *
 * @example
 * const report = readStatus(loadConfig('sources.json'));
 */
export function readStatus(config: Config, now: Date = new Date(), due?: DuePolicy): StatusReport {
  if (!existsSync(join(config.stateDir, STATE_FILE))) return statusReport(config, undefined, now, due);
  const store = openSqliteStore(config.stateDir);
  try {
    return statusReport(config, store, now, due);
  } finally {
    store.close();
  }
}

/** output/status.json, for monitoring that can fetch a file but cannot run a command. */
export function statusFile(report: StatusReport): RenderedFile {
  return { path: STATUS_FILE, contentType: 'application/json', body: `${JSON.stringify(report, null, 2)}\n` };
}

const LABELS: ReadonlySet<string> = new Set<SourceOutcome>(['ok', 'recovered', 'not-modified', 'failed']);

function labelOf(lastStatus: string | undefined): StatusLabel {
  return lastStatus !== undefined && LABELS.has(lastStatus) ? (lastStatus as SourceOutcome) : 'never run';
}
