// When a source may be fetched again: pure functions over what the store knows of it. The same
// rule holds back `feedloom run` (cron mode) and `feedloom start` (the daemon), and `feedloom status`
// shows its answer as "next run".
//
// A source is held back by what it asks (RSS <ttl>, sy:updatePeriod, Cache-Control max-age, a
// Retry-After), by the config floor, and by its health: failures back off exponentially, and a dead
// source is fetched once a day. Its cron `schedule` then decides when the daemon fires; under system
// cron the crontab line is the schedule.
// pipeline/status.js, not the index: `run` imports this, and the index loads discovery and its parsers.
import { type DuePolicy, healthPolicy, isDead } from '../pipeline/status.js';
import type { SourceState } from '../store/index.js';
import type { ScheduleSettings, Source } from '../types.js';
import { cronNext } from './cron.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The scheduler's fixed numbers. */
export const DUE_POLICY = {
  /** First backoff after one failure; it doubles with each further failure up to backoffCapHours. */
  backoffBaseMs: MINUTE,
  /** A dead source is tried this often (and no more), so it comes back by itself when fixed. */
  deadIntervalMs: DAY,
  /**
   * Longest wait a source can ask for (ttl, max-age, Retry-After): a static server sending
   * `max-age=31536000` for every file must not silence a feed for a year.
   */
  maxAskedMs: DAY,
  /**
   * Waits measured from the last fetch end this much early (a share of the wait, at most maxSlackMs):
   * a fetch that finished at 12:00:02 with a ttl of 60 minutes is due to the 13:00:00 cron run.
   */
  slackShare: 0.1,
  maxSlackMs: MINUTE,
} as const;

/** Why a source is held back; `none` when nothing holds it back. */
export type HoldReason = 'none' | 'interval' | 'retry-after' | 'backoff' | 'dead';

export interface Hold {
  /** Earliest time the source may be fetched. */
  readonly at: Date;
  readonly reason: HoldReason;
  /** For people: "ttl/max-age 60 min", "Retry-After", "3 failures", ... */
  readonly detail: string;
}

/**
 * The wait after `failures` consecutive failures: base, doubling each time, capped.
 *
 * @example
 * backoffMs(3, { backoffCapHours: 24 }) // 4 minutes
 */
export function backoffMs(failures: number, settings: Pick<ScheduleSettings, 'backoffCapHours'>): number {
  if (failures <= 0) return 0;
  const cap = settings.backoffCapHours * HOUR;
  // 2 ** 40 minutes is far past any cap: stop doubling before the number stops being exact.
  return Math.min(cap, DUE_POLICY.backoffBaseMs * 2 ** Math.min(failures - 1, 40));
}

/** The interval the source asks for between fetches, with the config floor, in milliseconds. */
export function askedIntervalMs(
  state: Pick<SourceState, 'feedIntervalS' | 'maxAgeS'> | undefined,
  settings: Pick<ScheduleSettings, 'minIntervalMinutes'>,
): number {
  const asked = Math.min(
    DUE_POLICY.maxAskedMs,
    Math.max(state?.feedIntervalS ?? 0, state?.maxAgeS ?? 0) * 1000,
  );
  return Math.max(settings.minIntervalMinutes * MINUTE, asked);
}

/**
 * The earliest time a source may be fetched, and why. Never fetched: now-or-any-time (epoch, `none`).
 *
 * @example
 * const hold = holdOf(store.sourceState('wire'), config.schedule);
 * if (hold.at > now) skip(`not before ${hold.at.toISOString()}: ${hold.detail}`);
 */
export function holdOf(state: SourceState | undefined, settings: ScheduleSettings): Hold {
  const last = state?.lastFetchedAt;
  let hold: Hold = { at: new Date(0), reason: 'none', detail: '' };
  if (!last) return hold;
  const later = (at: number, reason: HoldReason, detail: string): void => {
    if (at > hold.at.getTime()) hold = { at: new Date(at), reason, detail };
  };
  const wait = (ms: number): number => last.getTime() + ms - slack(ms);

  const interval = askedIntervalMs(state, settings);
  if (interval > 0) later(wait(interval), 'interval', intervalDetail(state, settings, interval));

  const failures = state.lastStatus === 'failed' ? state.consecutiveFailures : 0;
  if (failures > 0) {
    const dead = isDead(failures, state.failingSince ?? last, last, healthPolicy(settings));
    if (dead) later(wait(DUE_POLICY.deadIntervalMs), 'dead', `dead after ${failures} failures: tried daily`);
    else
      later(
        wait(backoffMs(failures, settings)),
        'backoff',
        `${failures} failure${failures === 1 ? '' : 's'} in a row`,
      );
  }
  // Retry-After is the server's own date: no slack, but no longer than we would ever wait. A 410
  // Gone sets one too (a day).
  const retry = state.retryAfterAt?.getTime();
  if (retry !== undefined)
    later(
      Math.min(retry, last.getTime() + DUE_POLICY.maxAskedMs),
      'retry-after',
      'the server asked to wait (Retry-After, or 410 Gone)',
    );
  return hold;
}

/** Earliest time the source may be fetched (see holdOf). */
export function notBefore(state: SourceState | undefined, settings: ScheduleSettings): Date {
  return holdOf(state, settings).at;
}

/**
 * When the daemon next fetches the source: the first firing of its cron schedule after the last
 * fetch, or later if held back; `now` for a source never fetched. In the past: overdue, due at once.
 *
 * @example
 * nextDue(source, store.sourceState(source.id), config.schedule, new Date())
 */
export function nextDue(
  source: Pick<Source, 'schedule'>,
  state: SourceState | undefined,
  settings: ScheduleSettings,
  now: Date,
): Date {
  const last = state?.lastFetchedAt;
  if (!last) return now;
  const fires = cronNext(source.schedule, last) ?? last;
  const held = notBefore(state, settings);
  return held.getTime() > fires.getTime() ? held : fires;
}

/** True when `run` may fetch the source now: cron mode, where the crontab line is the schedule. */
export function isDue(state: SourceState | undefined, settings: ScheduleSettings, now: Date): boolean {
  return notBefore(state, settings).getTime() <= now.getTime();
}

/**
 * The rule as the pipeline takes it (RunOptions.due, statusReport): the pipeline cannot import this
 * stage, so the CLI and the daemon hand it over.
 *
 * @example
 * await runOnce(config, flags.all ? {} : { due: duePolicy(config.schedule) });
 */
export function duePolicy(settings: ScheduleSettings): DuePolicy {
  return {
    notBefore: (_source, state) => notBefore(state, settings),
    nextDue: (source, state, now) => nextDue(source, state, settings, now),
  };
}

function slack(ms: number): number {
  return Math.min(DUE_POLICY.maxSlackMs, ms * DUE_POLICY.slackShare);
}

function intervalDetail(
  state: Pick<SourceState, 'feedIntervalS' | 'maxAgeS'>,
  settings: Pick<ScheduleSettings, 'minIntervalMinutes'>,
  ms: number,
): string {
  const parts: string[] = [];
  if (state.feedIntervalS) parts.push(`ttl ${minutes(state.feedIntervalS * 1000)}`);
  if (state.maxAgeS) parts.push(`max-age ${minutes(state.maxAgeS * 1000)}`);
  if (settings.minIntervalMinutes) parts.push(`floor ${minutes(settings.minIntervalMinutes * MINUTE)}`);
  return `asks ${minutes(ms)} between fetches (${parts.join(', ')})`;
}

function minutes(ms: number): string {
  return ms < MINUTE ? `${Math.round(ms / 1000)} s` : `${Math.round((ms / MINUTE) * 10) / 10} min`;
}
