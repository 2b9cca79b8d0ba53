// Dates as feeds really write them. An ordered list of small recognizers, each one shape, each built
// from numbers by hand: `new Date(s)` is implementation-defined for anything but strict ISO, and
// rss-parser's isoDate is exactly that with the errors swallowed.

export type DateRecognizer = (s: string) => Date | undefined;

/** Month names, lowercase, without a trailing dot: English plus the cheap short forms of de/fr/es/nl/it/pt. */
export const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  january: 1,
  janv: 1,
  ene: 1,
  enero: 1,
  gen: 1,
  januar: 1,
  janvier: 1,
  gennaio: 1,
  januari: 1,
  janeiro: 1,
  feb: 2,
  february: 2,
  febr: 2,
  fev: 2,
  fév: 2,
  fevr: 2,
  févr: 2,
  februar: 2,
  febrero: 2,
  febbraio: 2,
  februari: 2,
  fevereiro: 2,
  mar: 3,
  march: 3,
  mär: 3,
  maer: 3,
  mrz: 3,
  mrt: 3,
  mars: 3,
  märz: 3,
  marzo: 3,
  maart: 3,
  março: 3,
  marco: 3,
  apr: 4,
  april: 4,
  avr: 4,
  avril: 4,
  abr: 4,
  abril: 4,
  aprile: 4,
  may: 5,
  mai: 5,
  mei: 5,
  mag: 5,
  mayo: 5,
  maggio: 5,
  maio: 5,
  jun: 6,
  june: 6,
  juin: 6,
  juni: 6,
  junio: 6,
  giu: 6,
  giugno: 6,
  junho: 6,
  jul: 7,
  july: 7,
  juil: 7,
  juillet: 7,
  juli: 7,
  julio: 7,
  lug: 7,
  luglio: 7,
  julho: 7,
  aug: 8,
  august: 8,
  aoû: 8,
  août: 8,
  aout: 8,
  ago: 8,
  agosto: 8,
  augustus: 8,
  sep: 9,
  sept: 9,
  september: 9,
  septembre: 9,
  septiembre: 9,
  set: 9,
  settembre: 9,
  setembro: 9,
  oct: 10,
  october: 10,
  okt: 10,
  oktober: 10,
  octobre: 10,
  octubre: 10,
  ott: 10,
  ottobre: 10,
  out: 10,
  outubro: 10,
  nov: 11,
  november: 11,
  novembre: 11,
  noviembre: 11,
  novembro: 11,
  dec: 12,
  december: 12,
  dez: 12,
  dezember: 12,
  déc: 12,
  decembre: 12,
  décembre: 12,
  dic: 12,
  diciembre: 12,
  dicembre: 12,
  dezembro: 12,
};

/** Zone names → minutes east of UTC. RFC 822 §5 names first, then common unambiguous abbreviations. */
export const ZONES: Readonly<Record<string, number>> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  wet: 0,
  west: 60,
  bst: 60,
  cet: 60,
  cest: 120,
  met: 60,
  mest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  jst: 540,
  kst: 540,
  aest: 600,
  aedt: 660,
  acst: 570,
  awst: 480,
  nzst: 720,
  nzdt: 780,
};

/** Earlier dates are zero values of some runtime (Unix 0, Go's 0001-01-01), never a real publication date. */
export const EARLIEST_DATE = Date.UTC(1970, 0, 2);
/** Later than now + this is a clock or template error; the item is dated as first seen instead. */
export const FUTURE_TOLERANCE_MS = 2 * 24 * 60 * 60 * 1000;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Builds a UTC date from parts, rejecting impossible ones (Feb 30, 25:00). `offset` is minutes east of UTC. */
function build(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0, offset = 0): Date | undefined {
  if (y < 1000 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (h > 23 || mi > 59 || s > 60) return undefined;
  // A leap second (…:60) is kept as the last ordinary second rather than rolling into the next minute.
  const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms) - offset * 60_000;
  return Number.isFinite(t) ? new Date(t) : undefined;
}

/** Minutes east of UTC for a zone token; undefined when the token is not a zone. Missing zone: UTC. */
function zoneOffset(token: string | undefined): number | undefined {
  const z = (token ?? '').trim().toLowerCase();
  if (!z) return 0;
  const num = /^(?:(?:gmt|utc|ut)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(z);
  if (num) {
    const h = Number(num[2]);
    const m = Number(num[3] ?? 0);
    if (h > 23 || m > 59) return undefined;
    return (num[1] === '-' ? -1 : 1) * (h * 60 + m);
  }
  const named = ZONES[z];
  if (named !== undefined) return named;
  // RFC 5322 §4.3: military letters were specified with the wrong sign; treat them as unknown, i.e. UTC.
  if (/^[a-z]$/.test(z) && z !== 'j') return 0;
  // An abbreviation we do not know or that means several zones (IST: India, Israel, Ireland): the
  // date and clock time are still right within hours, far closer than dating the item when first seen.
  if (/^\p{L}{2,5}$/u.test(z)) return 0;
  return undefined;
}

/**
 * US zones named without saying standard or daylight time, as US news sites print them ("10:00 AM
 * ET"): minutes east of UTC in standard time. Which one applies follows from the date (usOffset).
 */
const US_GENERIC_ZONES: Readonly<Record<string, number>> = { et: -300, ct: -360, mt: -420, pt: -480 };

/** Day of the month of the nth Sunday (1-based) of a month (1-12). */
function nthSunday(y: number, month: number, n: number): number {
  const firstWeekday = new Date(Date.UTC(y, month - 1, 1)).getUTCDay();
  return 1 + ((7 - firstWeekday) % 7) + 7 * (n - 1);
}

/**
 * The offset of a US generic zone at a local date and hour: daylight time (standard + 60) from the
 * second Sunday of March, 2:00, to the first Sunday of November, 2:00 (the rule since 2007). The hour
 * that November repeats is taken as daylight time, the first of the two.
 */
function usOffset(standard: number, y: number, mo: number, d: number, h: number): number {
  const local = mo * 10_000 + d * 100 + h;
  const starts = 3 * 10_000 + nthSunday(y, 3, 2) * 100 + 2;
  const ends = 11 * 10_000 + nthSunday(y, 11, 1) * 100 + 2;
  return local >= starts && local < ends ? standard + 60 : standard;
}

/** zoneOffset, where the US generic zones (ET, PT...) take daylight time by the date. */
function zoneOffsetOn(
  token: string | undefined,
  y: number,
  mo: number,
  d: number,
  h: number,
): number | undefined {
  const standard = US_GENERIC_ZONES[(token ?? '').trim().toLowerCase()];
  return standard === undefined ? zoneOffset(token) : usOffset(standard, y, mo, d, h);
}

function monthOf(token: string | undefined): number | undefined {
  return MONTHS[(token ?? '').toLowerCase().replace(/\.$/, '')];
}

/** RFC 5322 §4.3: two-digit years 00-49 are 20xx, 50-99 are 19xx. */
function fullYear(token: string): number {
  const y = Number(token);
  if (token.length === 2) return y < 50 ? 2000 + y : 1900 + y;
  return y;
}

function fraction(token: string | undefined): number {
  return token ? Number(token.slice(0, 3).padEnd(3, '0')) : 0;
}

/** Applies a 12-hour clock marker; undefined for 13 pm and friends. */
function hour24(h: number, ampm: string | undefined): number | undefined {
  if (!ampm) return h;
  if (h < 1 || h > 12) return undefined;
  const pm = ampm.toLowerCase() === 'p';
  return (h % 12) + (pm ? 12 : 0);
}

// Shared pieces. TIME captures: hour, minute, second, fraction, am/pm. ZONE captures one token.
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:\s*([ap])\.?m\.?)?`;
const ZONE = String.raw`(?:\s*((?:gmt|utc|ut)?\s*[+-]\d{1,2}(?::?\d{2})?|\p{L}{1,5}))?`;
// A day name must end in a separator, or "March" would split into day "Ma" and month "rch".
const DAY_WORD = String.raw`(?:\p{L}{2,}(?:\.?,\s*|\.\s*|\s+))`;
const MONTH = String.raw`(\p{L}{3,10}\.?)`;

function withTime(
  y: number,
  mo: number | undefined,
  d: number,
  m: RegExpExecArray,
  at: number,
): Date | undefined {
  if (mo === undefined) return undefined;
  if (m[at] === undefined) return build(y, mo, d);
  const h = hour24(Number(m[at]), m[at + 4]);
  if (h === undefined) return undefined;
  const offset = zoneOffsetOn(m[at + 5], y, mo, d, h);
  if (offset === undefined) return undefined;
  return build(y, mo, d, h, Number(m[at + 1]), Number(m[at + 2] ?? 0), fraction(m[at + 3]), offset);
}

/** "1709632800" (Unix seconds) or "1709632800000" (milliseconds). */
export function unixTimestamp(s: string): Date | undefined {
  if (/^\d{9,10}$/.test(s)) return new Date(Number(s) * 1000);
  if (/^\d{12,13}$/.test(s)) return new Date(Number(s));
  return undefined;
}

const ISO = new RegExp(
  String.raw`^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:t|\s+)${TIME}\s*(z|[+-]\d{2}(?::?\d{2})?|\p{L}{2,5})?)?$`,
  'iu',
);
/**
 * RFC 3339 / ISO 8601: "2024-03-05T10:00:00.123+02:00", "2024-03-05 10:00", "2024-03-05" (midnight
 * UTC), and the SQL-style "2024-03-05 10:00:00 EST" that PHP's date('Y-m-d H:i:s T') writes.
 */
export function iso8601(s: string): Date | undefined {
  const m = ISO.exec(s);
  if (!m) return undefined;
  return withTime(Number(m[1]), Number(m[2]), Number(m[3]), m, 4);
}

/** W3CDTF partial dates: "2024-03" (the first of the month) and "2024" (January 1st). */
export function w3cdtfPartial(s: string): Date | undefined {
  const m = /^(\d{4})(?:-(\d{2}))?$/.exec(s);
  if (!m) return undefined;
  return build(Number(m[1]), Number(m[2] ?? 1), 1);
}

const SLASH = new RegExp(String.raw`^(\d{4})/(\d{1,2})/(\d{1,2})(?:(?:t|\s+)${TIME}${ZONE})?$`, 'iu');
/** "2024/03/05" and "2024/03/05 10:00". Year first is unambiguous; "03/05/2024" (US or EU?) is refused. */
export function slashYmd(s: string): Date | undefined {
  const m = SLASH.exec(s);
  if (!m) return undefined;
  return withTime(Number(m[1]), Number(m[2]), Number(m[3]), m, 4);
}

const DOTTED = new RegExp(String.raw`^(\d{1,2})\.(\d{1,2})\.(\d{4}),?(?:\s+${TIME}${ZONE})?$`, 'iu');
/** "05.03.2024 10:00": day first, as everywhere dots are used (de, nl, ru, ...). */
export function dottedDmy(s: string): Date | undefined {
  const m = DOTTED.exec(s);
  if (!m) return undefined;
  return withTime(Number(m[3]), Number(m[2]), Number(m[1]), m, 4);
}

const RFC822 = new RegExp(
  String.raw`^${DAY_WORD}?(\d{1,2})(?:\.?\s*-\s*|\.\s*|\s+)${MONTH}(?:\s*-\s*|,?\s+)(\d{4}|\d{2})(?:,?\s+(?:at\s+)?${TIME}${ZONE})?$`,
  'iu',
);
/**
 * RFC 822/1123/5322 and its relatives: "Tue, 05 Mar 2024 10:00:00 GMT", "5 Mar 24 10:00 +0200",
 * "05-Mar-2024", "5 March 2024 10:00", "Mon, 5 Mar 2024 10:00:00 EST" (the day name is ignored, even when wrong).
 */
export function rfc822(s: string): Date | undefined {
  const m = RFC822.exec(s);
  if (!m) return undefined;
  return withTime(fullYear(m[3] as string), monthOf(m[2]), Number(m[1]), m, 4);
}

const MONTH_FIRST = new RegExp(
  String.raw`^${DAY_WORD}?${MONTH}\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:(?:,?\s+(?:at\s+)?|\s+-\s+)${TIME}${ZONE})?$`,
  'iu',
);
/**
 * "March 5, 2024", "Mar 5 2024", "Tuesday, March 5th, 2024 at 10:00 AM", Drupal's "Tuesday, March 5,
 * 2024 - 10:00", and JavaScript's Date#toString.
 */
export function monthFirst(s: string): Date | undefined {
  const m = MONTH_FIRST.exec(s);
  if (!m) return undefined;
  return withTime(Number(m[3]), monthOf(m[1]), Number(m[2]), m, 4);
}

const ASCTIME = new RegExp(String.raw`^${DAY_WORD}?${MONTH}\s+(\d{1,2})\s+${TIME}${ZONE}\s+(\d{4})$`, 'iu');
/** C asctime and Unix `date`: "Tue Mar  5 10:00:00 2024", "Tue Mar 5 10:00:00 UTC 2024". */
export function asctime(s: string): Date | undefined {
  const m = ASCTIME.exec(s);
  if (!m) return undefined;
  return withTime(Number(m[9]), monthOf(m[1]), Number(m[2]), m, 3);
}

/** Tried in order; the first recognizer that returns a date wins. */
export const DATE_RECOGNIZERS: readonly DateRecognizer[] = [
  unixTimestamp,
  iso8601,
  w3cdtfPartial,
  slashYmd,
  dottedDmy,
  rfc822,
  monthFirst,
  asctime,
];

/**
 * Parses a date as feeds write it; undefined when no recognizer accepts it. Output is UTC; a string
 * without a zone is taken as UTC (the site's zone is unknowable).
 *
 * @example
 * parseDate('Tue, 5 Mar 2024 10:00:00 +0000 (UTC)')?.toISOString() // '2024-03-05T10:00:00.000Z'
 */
export function parseDate(input: string | undefined): Date | undefined {
  if (!input) return undefined;
  // Trailing "(UTC)"-style comments (RFC 5322 CFWS, Date#toString), stray commas, runs of spaces.
  const s = withoutDateWords(
    input
      .replace(/\s*\([^()]{0,80}\)\s*$/, '')
      .replace(/[\s\u00A0]+/g, ' ')
      .replace(/^[\s,]+|[\s,]+$/g, ''),
  );
  if (!s || s.length > 100) return undefined;
  for (const recognize of DATE_RECOGNIZERS) {
    const d = recognize(s);
    if (d) return d;
  }
  return undefined;
}

/**
 * The words pages in the languages of MONTHS put around a date and time, which no recognizer needs:
 * "um", "à", "às", "om", "alle", "a las", "kl." before a time, "Uhr" after it, "de" between day, month
 * and year (es, pt), the French hour "14h30" or "14 h 30", and the year, month and day marks of
 * Chinese, Japanese and Korean ("2026年12月2日", "2026년 12월 2일").
 *
 * @example
 * withoutDateWords('2. Dezember 2026 um 14:30 Uhr') // '2. Dezember 2026 14:30'
 */
function withoutDateWords(s: string): string {
  return s
    .replace(/(\d{4}) ?[年년] ?(\d{1,2}) ?[月월] ?(\d{1,2}) ?[日일]/gu, '$1-$2-$3')
    .replace(/(?<![\d:])(\d{1,2}) ?h ?(\d{2})(?!\d)/giu, '$1:$2')
    .replace(/ (?:um|à|às|om|alle|a las|kl\.?) (?=\d{1,2}:\d{2})/giu, ' ')
    .replace(/(\d{1,2}:\d{2}(?::\d{2})?) ?uhr$/iu, '$1')
    .replace(/(?<!\d)(\d{1,2})\.? de (\p{L}{3,10}\.?) de (\d{4})/giu, '$1 $2 $3');
}

/** A parsed date we are willing to publish: not a zero value, not days in the future. */
export function isPlausibleDate(d: Date, now: Date): boolean {
  const t = d.getTime();
  return t >= EARLIEST_DATE && t <= now.getTime() + FUTURE_TOLERANCE_MS;
}

export interface ItemDates {
  readonly published: Date;
  readonly publishedGuessed: boolean;
  readonly updated?: Date;
}

/**
 * published, else updated, else `now` with publishedGuessed. An implausible date (before 1970-01-02, or
 * more than two days ahead) counts as missing: a future date would pin the item to the top of every feed.
 */
export function resolveDates(
  published: string | undefined,
  updated: string | undefined,
  now: Date,
): ItemDates {
  const plausible = (s: string | undefined): Date | undefined => {
    const d = parseDate(s);
    return d && isPlausibleDate(d, now) ? d : undefined;
  };
  const p = plausible(published);
  const u = plausible(updated);
  const base = p ?? u;
  return base
    ? { published: base, publishedGuessed: false, ...(u ? { updated: u } : {}) }
    : { published: new Date(now.getTime()), publishedGuessed: true };
}
