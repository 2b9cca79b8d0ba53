// When a source may be fetched again: cron arithmetic and the politeness and health rules, all pure,
// on a fixed clock. node-cron's own matcher is the oracle for the cron arithmetic.
import { createTask } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/config/index.js';
import { healthPolicy, isDead } from '../../../src/pipeline/index.js';
import { cronNext, cronPeriodMs } from '../../../src/schedule/cron.js';
import {
  askedIntervalMs,
  backoffMs,
  DUE_POLICY,
  duePolicy,
  holdOf,
  isDue,
  nextDue,
  notBefore,
} from '../../../src/schedule/due.js';
import type { SourceState } from '../../../src/store/index.js';
import type { ScheduleSettings } from '../../../src/types.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Local times, as node-cron (without a timezone) reads its expressions. */
const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) =>
  new Date(y, mo - 1, d, h, mi, s, ms);

const SETTINGS: ScheduleSettings = {
  minIntervalMinutes: DEFAULTS.minIntervalMinutes,
  jitterSeconds: DEFAULTS.jitterSeconds,
  backoffCapHours: DEFAULTS.backoffCapHours,
  deadAfterFailures: DEFAULTS.deadAfterFailures,
  deadAfterHours: DEFAULTS.deadAfterHours,
  graceSeconds: DEFAULTS.graceSeconds,
  debounceSeconds: DEFAULTS.debounceSeconds,
};

const LAST = local(2026, 3, 2, 12, 0, 2); // a Monday, two seconds past noon
const plus = (ms: number) => new Date(LAST.getTime() + ms);

const ok = (more: Partial<SourceState> = {}): SourceState => ({
  validators: {},
  lastStatus: 'ok',
  lastFetchedAt: LAST,
  lastOkAt: LAST,
  consecutiveFailures: 0,
  ...more,
});

/** A streak of `failures` failures, the first `spanMs` before the latest (at LAST). */
const failing = (failures: number, spanMs = 0, more: Partial<SourceState> = {}): SourceState => ({
  validators: {},
  lastStatus: 'failed',
  lastFetchedAt: LAST,
  consecutiveFailures: failures,
  failingSince: new Date(LAST.getTime() - spanMs),
  ...more,
});

describe('cronNext', () => {
  it.each([
    ['the next half hour', '*/30 * * * *', local(2026, 3, 2, 10, 7), local(2026, 3, 2, 10, 30)],
    ['strictly after a firing time', '*/30 * * * *', local(2026, 3, 2, 10, 30), local(2026, 3, 2, 11, 0)],
    [
      'after a firing time plus milliseconds',
      '*/30 * * * *',
      local(2026, 3, 2, 10, 30, 0, 300),
      local(2026, 3, 2, 11, 0),
    ],
    ['a seconds field', '*/2 * * * * *', local(2026, 3, 2, 10, 0, 1), local(2026, 3, 2, 10, 0, 2)],
    ['over midnight', '15 0 * * *', local(2026, 3, 2, 23, 59), local(2026, 3, 3, 0, 15)],
    ['weekdays only, from a Friday', '0 9 * * 1-5', local(2026, 3, 6, 10), local(2026, 3, 9, 9)],
    ['last day of February in a leap year', '0 0 L * *', local(2028, 2, 10), local(2028, 2, 29)],
    ['the second Friday', '0 0 * * 5#2', local(2026, 3, 1), local(2026, 3, 13)],
    ['Feb 29 only in leap years', '0 0 29 2 *', local(2026, 3, 1), local(2028, 2, 29)],
    ['month names', '0 6 1 jan,jul *', local(2026, 3, 1), local(2026, 7, 1, 6)],
    ['Sunday written as 7', '0 8 * * 7', local(2026, 3, 2), local(2026, 3, 8, 8)],
  ])('%s', (_name, expression, from, expected) => {
    expect(cronNext(expression, from)).toEqual(expected);
  });

  it('is undefined for an expression node-cron cannot parse', () => {
    expect(cronNext('every day', LAST)).toBeUndefined();
  });

  // node-cron's matcher is the oracle: the answer matches, and no time between does.
  it.each([
    ['*/7 * * * *', MINUTE],
    ['5,35 */3 * * *', MINUTE],
    ['0 0 * * 0', HOUR],
    ['0 12 1-7 * 2', HOUR],
    ['*/15 * * * * *', SECOND],
    ['30 10 * * * *', SECOND],
  ])('agrees with node-cron for %s', (expression, step) => {
    const task = createTask(expression, () => undefined);
    try {
      let from = local(2026, 2, 27, 22, 58, 31);
      for (let n = 0; n < 3; n++) {
        const next = cronNext(expression, from);
        expect(next).toBeDefined();
        if (!next) return;
        expect(task.match(next)).toBe(true);
        // Bounded scan of the gap at the expression's resolution.
        const start = Math.floor(from.getTime() / step) * step + step;
        for (let t = start; t < next.getTime() && t - start < 40 * DAY; t += step) {
          expect(task.match(new Date(t)), new Date(t).toString()).toBe(false);
        }
        from = next;
      }
    } finally {
      void task.destroy();
    }
  });

  it('measures the period between firings', () => {
    expect(cronPeriodMs('*/2 * * * * *', LAST)).toBe(2 * SECOND);
    expect(cronPeriodMs('*/30 * * * *', LAST)).toBe(30 * MINUTE);
    expect(cronPeriodMs('nonsense', LAST)).toBeUndefined();
  });
});

describe('backoffMs', () => {
  it.each([
    [0, 0],
    [1, MINUTE],
    [2, 2 * MINUTE],
    [3, 4 * MINUTE],
    [8, 128 * MINUTE],
    [11, 1024 * MINUTE],
    [12, 24 * HOUR], // 2048 min is past the cap
    [500, 24 * HOUR],
  ])('%i failures: %i ms', (failures, ms) => {
    expect(backoffMs(failures, SETTINGS)).toBe(ms);
  });

  it('caps at backoffCapHours', () => {
    expect(backoffMs(9, { backoffCapHours: 2 })).toBe(2 * HOUR);
  });
});

describe('holdOf and isDue (cron mode: the crontab line is the schedule)', () => {
  it('lets a source never fetched go at once', () => {
    expect(holdOf(undefined, SETTINGS)).toMatchObject({ at: new Date(0), reason: 'none' });
    expect(isDue(undefined, SETTINGS, LAST)).toBe(true);
  });

  it('holds nothing back for a healthy source that asks for nothing (two runs in a row both fetch)', () => {
    expect(isDue(ok(), SETTINGS, plus(1))).toBe(true);
    expect(holdOf(ok(), SETTINGS).reason).toBe('none');
  });

  it.each([
    // [name, state, settings, not due at, due at]
    ['RSS ttl 60 min', ok({ feedIntervalS: 3600 }), SETTINGS, plus(58 * MINUTE), plus(59 * MINUTE)],
    ['max-age 10 min', ok({ maxAgeS: 600 }), SETTINGS, plus(8 * MINUTE), plus(10 * MINUTE)],
    [
      'the longer of ttl and max-age',
      ok({ feedIntervalS: 300, maxAgeS: 1800 }),
      SETTINGS,
      plus(20 * MINUTE),
      plus(30 * MINUTE),
    ],
    ['the config floor', ok(), { ...SETTINGS, minIntervalMinutes: 15 }, plus(10 * MINUTE), plus(15 * MINUTE)],
    [
      'a ttl over the floor',
      ok({ feedIntervalS: 3600 }),
      { ...SETTINGS, minIntervalMinutes: 15 },
      plus(30 * MINUTE),
      plus(HOUR),
    ],
    [
      'max-age of a year, capped at a day',
      ok({ maxAgeS: 365 * 86_400 }),
      SETTINGS,
      plus(20 * HOUR),
      plus(DAY),
    ],
    ['one failure: a minute', failing(1), SETTINGS, plus(30 * SECOND), plus(MINUTE)],
    ['five failures: 16 minutes', failing(5, HOUR), SETTINGS, plus(14 * MINUTE), plus(16 * MINUTE)],
    [
      'Retry-After beyond the backoff',
      failing(1, 0, { retryAfterAt: plus(120 * SECOND) }),
      SETTINGS,
      plus(119 * SECOND),
      plus(120 * SECOND),
    ],
    [
      'ten failures within a day: backoff, not dead',
      failing(10, HOUR),
      SETTINGS,
      plus(8 * HOUR),
      plus(512 * MINUTE),
    ],
    ['ten failures over a day: dead, daily', failing(10, DAY), SETTINGS, plus(23 * HOUR), plus(DAY)],
  ])('%s', (_name, state, settings, early, due) => {
    expect(isDue(state, settings, early)).toBe(false);
    expect(isDue(state, settings, due)).toBe(true);
  });

  it('ends a wait measured from the last fetch a little early, so the next cron run still fetches', () => {
    // Fetched at 12:00:02 with a ttl of 60 min: the 13:00:00 run is due.
    expect(isDue(ok({ feedIntervalS: 3600 }), SETTINGS, local(2026, 3, 2, 13, 0, 0))).toBe(true);
    expect(notBefore(ok({ feedIntervalS: 3600 }), SETTINGS)).toEqual(plus(HOUR - DUE_POLICY.maxSlackMs));
  });

  it('gives Retry-After no slack, and caps it at a day', () => {
    expect(notBefore(failing(1, 0, { retryAfterAt: plus(120 * SECOND) }), SETTINGS)).toEqual(
      plus(120 * SECOND),
    );
    expect(notBefore(failing(1, 0, { retryAfterAt: plus(30 * DAY) }), SETTINGS)).toEqual(plus(DAY));
  });

  it('says why', () => {
    expect(holdOf(ok({ feedIntervalS: 3600 }), SETTINGS)).toMatchObject({
      reason: 'interval',
      detail: 'asks 60 min between fetches (ttl 60 min)',
    });
    expect(holdOf(failing(3, HOUR), SETTINGS)).toMatchObject({
      reason: 'backoff',
      detail: '3 failures in a row',
    });
    expect(holdOf(failing(12, 2 * DAY), SETTINGS).reason).toBe('dead');
    expect(holdOf(failing(1, 0, { retryAfterAt: plus(HOUR) }), SETTINGS).reason).toBe('retry-after');
  });

  it('forgets the failure streak once a fetch succeeds', () => {
    expect(isDue(ok({ consecutiveFailures: 0, retryAfterAt: undefined }), SETTINGS, plus(1))).toBe(true);
  });
});

describe('the dead rule is the one status uses', () => {
  const strict: ScheduleSettings = { ...SETTINGS, deadAfterFailures: 3, deadAfterHours: 1 };
  it.each([
    ['3 failures over exactly an hour', 3, HOUR],
    ['3 failures a millisecond short of an hour', 3, HOUR - 1],
    ['2 failures over a week', 2, 7 * DAY],
  ])('%s', (_name, failures, span) => {
    const dead = isDead(failures, new Date(LAST.getTime() - span), LAST, healthPolicy(strict));
    expect(holdOf(failing(failures, span), strict).reason === 'dead').toBe(dead);
  });
});

describe('nextDue (the daemon: the source schedule, then the holds)', () => {
  const source = { schedule: '*/30 * * * *' };

  it('is now for a source never fetched', () => {
    expect(nextDue(source, undefined, SETTINGS, LAST)).toEqual(LAST);
  });

  it('is the next firing after the last fetch', () => {
    expect(nextDue(source, ok(), SETTINGS, plus(MINUTE))).toEqual(local(2026, 3, 2, 12, 30));
  });

  it('is the hold when it ends later than the next firing', () => {
    expect(nextDue(source, ok({ feedIntervalS: 3600 }), SETTINGS, plus(MINUTE))).toEqual(
      plus(HOUR - DUE_POLICY.maxSlackMs),
    );
  });

  it('stays in the past for an overdue source (the daemon fetches it at start)', () => {
    expect(nextDue(source, ok(), SETTINGS, plus(DAY)).getTime()).toBeLessThan(plus(DAY).getTime());
  });

  it('is what duePolicy hands to the pipeline', () => {
    const policy = duePolicy(SETTINGS);
    const state = ok({ maxAgeS: 600 });
    expect(policy.notBefore({ id: 'x' } as never, state)).toEqual(notBefore(state, SETTINGS));
    expect(policy.nextDue(source as never, state, LAST)).toEqual(nextDue(source, state, SETTINGS, LAST));
  });
});

describe('askedIntervalMs', () => {
  it('is the floor when the source asks for nothing', () => {
    expect(askedIntervalMs(undefined, { minIntervalMinutes: 5 })).toBe(5 * MINUTE);
    expect(askedIntervalMs(undefined, { minIntervalMinutes: 0 })).toBe(0);
  });
});
