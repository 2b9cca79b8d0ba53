// The next time a cron expression fires after a given moment, as node-cron would fire it. node-cron
// answers "next run" only from the current time and only for a started task; the scheduler needs it
// from any moment (the last fetch) and without side effects, so this walks node-cron's own parse of
// the expression (`parse()`: every field expanded to its values) day by day.
import { parse } from 'node-cron';

/** Days searched: a few years, since `0 0 29 2 *` fires only in leap years. */
const MAX_DAYS = 366 * 5;

type Fields = ReturnType<typeof parse>;

interface Parsed {
  readonly fields: Fields;
  readonly seconds: number[];
  readonly minutes: number[];
  readonly hours: number[];
}

/**
 * Parses by expression, once: status and `run` ask for every source, and most share one schedule
 * (node-cron's parse was a tenth of a 500-source run that fetched nothing new). null: not parseable.
 */
const parsedCache = new Map<string, Parsed | null>();

function parsedOf(expression: string): Parsed | undefined {
  let parsed = parsedCache.get(expression);
  if (parsed === undefined) {
    try {
      const fields = parse(expression);
      parsed = {
        fields,
        seconds: sorted(fields.second),
        minutes: sorted(fields.minute),
        hours: sorted(fields.hour),
      };
    } catch {
      parsed = null;
    }
    parsedCache.set(expression, parsed);
  }
  return parsed ?? undefined;
}

/**
 * The first time strictly after `after` at which `expression` fires, in local time as node-cron
 * (without a timezone option) runs it; undefined for an expression that cannot be parsed.
 *
 * @example
 * cronNext('*\/30 * * * *', new Date('2026-03-01T10:07:00')) // 2026-03-01T10:30:00 local
 */
export function cronNext(expression: string, after: Date): Date | undefined {
  const parsed = parsedOf(expression);
  if (!parsed) return undefined;
  const { fields, seconds, minutes, hours } = parsed;
  // Whole seconds: cron has no finer unit, and "after 10:00:00.300" must not yield 10:00:00.
  const base = new Date(Math.floor(after.getTime() / 1000) * 1000);
  const day = new Date(base.getFullYear(), base.getMonth(), base.getDate());
  for (let i = 0; i < MAX_DAYS; i++) {
    if (dayMatches(fields, day)) {
      const first = i === 0 ? base : undefined;
      const found = firstTimeOn(day, hours, minutes, seconds, first);
      if (found) return found;
    }
    day.setDate(day.getDate() + 1);
  }
  return undefined;
}

/**
 * The usual gap between two firings of `expression` (the first two after `from`), in milliseconds;
 * undefined when it cannot be parsed. The scheduler caps its jitter with it.
 */
export function cronPeriodMs(expression: string, from: Date): number | undefined {
  const a = cronNext(expression, from);
  const b = a && cronNext(expression, a);
  return a && b ? b.getTime() - a.getTime() : undefined;
}

function sorted(values: readonly number[]): number[] {
  return [...values].sort((x, y) => x - y);
}

function firstTimeOn(
  day: Date,
  hours: readonly number[],
  minutes: readonly number[],
  seconds: readonly number[],
  after: Date | undefined,
): Date | undefined {
  for (const h of hours) {
    if (after && h < after.getHours()) continue;
    for (const m of minutes) {
      for (const s of seconds) {
        const t = new Date(day.getFullYear(), day.getMonth(), day.getDate(), h, m, s);
        // A local time skipped by a daylight-saving jump lands elsewhere: only keep real matches.
        if (t.getHours() !== h || t.getMinutes() !== m) continue;
        if (!after || t.getTime() > after.getTime()) return t;
      }
    }
  }
  return undefined;
}

/** Month, day of month and day of week all match: node-cron ANDs the two day fields (unlike Vixie cron). */
function dayMatches(fields: Fields, day: Date): boolean {
  if (!fields.month.includes(day.getMonth() + 1)) return false;
  return domMatches(fields.dayOfMonth, day) && dowMatches(fields.dayOfWeek, day);
}

function lastDayOf(day: Date): number {
  return new Date(day.getFullYear(), day.getMonth() + 1, 0).getDate();
}

/** Day-of-month values: numbers, `L` (last day), `L-n` (n days before it), `nW`/`LW` (nearest weekday). */
function domMatches(values: readonly (number | string)[], day: Date): boolean {
  const d = day.getDate();
  const last = lastDayOf(day);
  return values.some((v) => {
    if (typeof v === 'number') return v === d;
    const token = v.toUpperCase();
    if (token === 'L') return d === last;
    const offset = /^L-(\d+)$/.exec(token);
    if (offset) return d === last - Number(offset[1]);
    const weekday = /^(L|\d+)W$/.exec(token);
    if (weekday) return d === nearestWeekday(day, weekday[1] === 'L' ? last : Number(weekday[1]));
    return false;
  });
}

/** Day-of-week values: numbers (0 and 7 are Sunday), `n#k` (k-th such day), `nL` (last such day). */
function dowMatches(values: readonly (number | string)[], day: Date): boolean {
  const w = day.getDay();
  const d = day.getDate();
  return values.some((v) => {
    if (typeof v === 'number') return v % 7 === w;
    const nth = /^([0-7])#([1-5])$/.exec(v);
    if (nth) return Number(nth[1]) % 7 === w && Math.floor((d - 1) / 7) + 1 === Number(nth[2]);
    const lastOf = /^([0-7])L$/i.exec(v);
    if (lastOf) return Number(lastOf[1]) % 7 === w && d + 7 > lastDayOf(day);
    return false;
  });
}

/** The weekday nearest to day `target` of the month, never leaving the month (Quartz `W`). */
function nearestWeekday(day: Date, target: number): number {
  const last = lastDayOf(day);
  const t = Math.min(target, last);
  const w = new Date(day.getFullYear(), day.getMonth(), t).getDay();
  if (w === 6) return t === 1 ? 3 : t - 1;
  if (w === 0) return t === last ? t - 2 : t + 1;
  return t;
}
