// `select.dateFormat`: a small pattern language for sites that print dates their own way
// ("12. März 2024, 14:30", "March 5, 2024", "05/03/24"). A match is turned into ISO 8601 here, so
// normalize's ordered date recognizers take it like any machine-readable date.
import { FeedloomError } from '../../errors.js';

/**
 * Month names, lowercase and without accents, in the languages listings are most often written in.
 * Abbreviations are found by prefix (three letters or more) when every match names the same month,
 * so "sept", "févr", "dic" and "okt" need no entry; the entries below are abbreviations that are no prefix.
 */
export const MONTH_NAMES: Readonly<Record<string, number>> = Object.fromEntries(
  [
    // en, de, fr, es, it, nl, pt
    ['january', 'januar', 'janvier', 'enero', 'gennaio', 'januari', 'janeiro', 'janner'],
    ['february', 'februar', 'fevrier', 'febrero', 'febbraio', 'februari', 'fevereiro'],
    ['march', 'marz', 'mars', 'marzo', 'maart', 'marco', 'mrz', 'maerz'],
    ['april', 'avril', 'abril', 'aprile'],
    ['may', 'mai', 'mayo', 'maggio', 'mei', 'maio'],
    ['june', 'juni', 'juin', 'junio', 'giugno', 'junho'],
    ['july', 'juli', 'juillet', 'julio', 'luglio', 'julho'],
    ['august', 'aout', 'agosto', 'augustus'],
    ['september', 'septembre', 'septiembre', 'setiembre', 'settembre', 'setembro'],
    ['october', 'oktober', 'octobre', 'octubre', 'ottobre', 'outubro'],
    ['november', 'novembre', 'noviembre', 'novembro'],
    ['december', 'dezember', 'decembre', 'diciembre', 'dicembre', 'dezembro'],
  ].flatMap((names, i) => names.map((n) => [n, i + 1] as const)),
);

/** Two-digit years below this are 20xx, the rest 19xx (RFC 5322 §4.3 draws the same line). */
const TWO_DIGIT_PIVOT = 50;
/** A year-less date later than now by more than this is last year's ("28 Dec" read on 2 Jan). */
const YEARLESS_FUTURE_MS = 2 * 24 * 60 * 60 * 1000;

type Part = 'year' | 'year2' | 'month' | 'monthName' | 'day' | 'hour' | 'minute' | 'second' | 'ampm' | 'zone';

/** Pattern tokens, longest first so "MMMM" is not read as "MM" twice. */
const TOKENS: readonly { readonly token: string; readonly re: string; readonly part?: Part }[] = [
  { token: 'YYYY', re: String.raw`(\d{4})`, part: 'year' },
  { token: 'MMMM', re: String.raw`(\p{L}{3,}\.?)`, part: 'monthName' },
  { token: 'dddd', re: String.raw`\p{L}+\.?,?` },
  { token: 'MMM', re: String.raw`(\p{L}{3,}\.?)`, part: 'monthName' },
  { token: 'ddd', re: String.raw`\p{L}+\.?,?` },
  { token: 'YY', re: String.raw`(\d{2})`, part: 'year2' },
  { token: 'MM', re: String.raw`(\d{1,2})`, part: 'month' },
  { token: 'Do', re: String.raw`(\d{1,2})(?:st|nd|rd|th|er|re|e|º|°|\.)?`, part: 'day' },
  { token: 'DD', re: String.raw`(\d{1,2})`, part: 'day' },
  { token: 'HH', re: String.raw`(\d{1,2})`, part: 'hour' },
  { token: 'hh', re: String.raw`(\d{1,2})`, part: 'hour' },
  { token: 'mm', re: String.raw`(\d{2})`, part: 'minute' },
  { token: 'ss', re: String.raw`(\d{2})`, part: 'second' },
  { token: 'ZZ', re: String.raw`(z|[+-]\d{2}:?\d{2}|utc|gmt)`, part: 'zone' },
  { token: 'M', re: String.raw`(\d{1,2})`, part: 'month' },
  { token: 'D', re: String.raw`(\d{1,2})`, part: 'day' },
  { token: 'H', re: String.raw`(\d{1,2})`, part: 'hour' },
  { token: 'h', re: String.raw`(\d{1,2})`, part: 'hour' },
  { token: 'm', re: String.raw`(\d{1,2})`, part: 'minute' },
  { token: 's', re: String.raw`(\d{1,2})`, part: 'second' },
  { token: 'A', re: String.raw`([ap])\.?\s?m\.?`, part: 'ampm' },
  { token: 'a', re: String.raw`([ap])\.?\s?m\.?`, part: 'ampm' },
  { token: 'Z', re: String.raw`(z|[+-]\d{2}:?\d{2}|utc|gmt)`, part: 'zone' },
];

export interface DateFormat {
  readonly pattern: string;
  readonly re: RegExp;
  readonly parts: readonly Part[];
}

/**
 * Compiles a pattern. Tokens: YYYY YY, MMMM MMM (month names) MM M, DD D Do (1st, 1er, 1.),
 * dddd ddd (a weekday name, skipped), HH H hh h, mm m, ss s, A a (am/pm), Z ZZ (Z, +02:00, UTC);
 * `[text]` is literal; a space matches any run of spaces. Throws PARSE_PAGE for a pattern without a month.
 *
 * @example
 * compileDateFormat('DD.MM.YYYY HH:mm');
 */
export function compileDateFormat(pattern: string): DateFormat {
  const parts: Part[] = [];
  let re = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      const literal = end < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, end);
      re += escapeLiteral(literal);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }
    if (/\s/.test(ch)) {
      while (i < pattern.length && /\s/.test(pattern[i] as string)) i++;
      re += String.raw`[\s\u00A0]*`;
      continue;
    }
    const tok = TOKENS.find((t) => pattern.startsWith(t.token, i));
    if (tok) {
      re += tok.re;
      if (tok.part) parts.push(tok.part);
      i += tok.token.length;
      continue;
    }
    re += escapeLiteral(ch);
    i++;
  }
  if (!parts.includes('month') && !parts.includes('monthName')) {
    throw new FeedloomError(
      'PARSE_PAGE',
      `ingest: select.dateFormat ${JSON.stringify(pattern)} has no month (MM, M, MMM or MMMM): see "Page sources" in README.md`,
    );
  }
  return { pattern, re: new RegExp(re, 'iu'), parts };
}

/**
 * Finds the pattern in `text` (anywhere: "Posted on 12.03.2024 by Ann" works) and returns ISO 8601:
 * `2024-03-12`, `2024-03-12T14:30:00`, or with the zone given `2024-03-12T14:30:00+02:00`. A date
 * without a year takes the year that puts it not after `now`. Undefined when nothing matches.
 *
 * @example
 * dateToIso('12. März 2024, 14:30 Uhr', compileDateFormat('D. MMMM YYYY, HH:mm')) // '2024-03-12T14:30:00'
 */
export function dateToIso(text: string, format: DateFormat, now: Date = new Date()): string | undefined {
  const m = format.re.exec(text);
  if (!m) return undefined;
  const got: Partial<Record<Part, string>> = {};
  format.parts.forEach((p, i) => {
    got[p] ??= m[i + 1];
  });
  const month = got.monthName !== undefined ? monthNumber(got.monthName) : num(got.month);
  const day = num(got.day) ?? 1;
  let hour = num(got.hour);
  if (hour !== undefined && got.ampm) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (got.ampm.toLowerCase() === 'p' ? 12 : 0);
  }
  const minute = num(got.minute) ?? 0;
  const second = num(got.second) ?? 0;
  if (month === undefined || month < 1 || month > 12) return undefined;
  if ((hour ?? 0) > 23 || minute > 59 || second > 59) return undefined;
  let year = num(got.year);
  const year2 = num(got.year2);
  if (year === undefined && year2 !== undefined) year = year2 < TWO_DIGIT_PIVOT ? 2000 + year2 : 1900 + year2;
  if (year === undefined) {
    year = now.getUTCFullYear();
    const t = Date.UTC(year, month - 1, day, hour ?? 0, minute);
    if (t > now.getTime() + YEARLESS_FUTURE_MS) year -= 1;
  }
  // Date.UTC rolls Feb 30 over into March: a date that does not survive the round trip is refused.
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  if (hour === undefined) return date;
  return `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}${zone(got.zone)}`;
}

/** A month name or abbreviation in any language of MONTH_NAMES; undefined when unknown or ambiguous. */
export function monthNumber(name: string): number | undefined {
  const key = fold(name).replace(/\.$/, '');
  const exact = MONTH_NAMES[key];
  if (exact !== undefined) return exact;
  if (key.length < 3) return undefined;
  const found = new Set(
    Object.entries(MONTH_NAMES)
      .filter(([n]) => n.startsWith(key))
      .map(([, m]) => m),
  );
  return found.size === 1 ? [...found][0] : undefined;
}

/** Lowercase without diacritics: "Février" -> "fevrier", "März" -> "marz". */
function fold(s: string): string {
  return s.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
}

function zone(z: string | undefined): string {
  if (!z) return '';
  const lower = z.toLowerCase();
  if (lower === 'z' || lower === 'utc' || lower === 'gmt') return 'Z';
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  return m ? `${m[1]}${m[2]}:${m[3]}` : '';
}

function num(s: string | undefined): number | undefined {
  return s === undefined ? undefined : Number(s);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function escapeLiteral(s: string): string {
  // Only syntax characters may be escaped in a /u expression (`\-` is an error there).
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * How listings commonly print a date, as dateFormat patterns tried in order by readPrintedDate. Each
 * has a year and a month that cannot be mistaken (a name, or day-first dots as everywhere they are
 * used), so "03/12/2026" (US or European?) is left to `select.dateFormat`.
 */
export const PRINTED_DATE_FORMATS: readonly string[] = [
  'MMMM Do YYYY', // Dec 3, 2026 / December 3rd, 2026 (commas are dropped first)
  'Do MMMM YYYY', // 3 December 2026 / 3rd Dec 2026 / 3. Dezember 2026 / 1er décembre 2026
  'D [de] MMMM [de] YYYY', // 3 de diciembre de 2026
  'DD.MM.YYYY', // 03.12.2026
  'YYYY-MM-DD',
];
/** The times a printed date may end in ("3 December 2026 | 12:30", "Dec 3, 2026 at 2:07 pm"). */
const PRINTED_TIMES: readonly string[] = ['', ' HH:mm', ' HH:mm:ss', ' h:mm A'];
/** A printed date is short: longer text that holds a date is a headline or a sentence. */
export const PRINTED_DATE_MAX_CHARS = 40;

let printedFormats: readonly DateFormat[] | undefined;

/**
 * A date as a listing prints it, when `text` is that and little more (up to two words before it:
 * "Posted on"), as ISO 8601 like dateToIso; undefined for anything else. Separators between date and
 * time ("|", "·", "–", "at", "um") and ordinal suffixes are allowed.
 *
 * @example
 * readPrintedDate('3rd December 2026 | 12:30') // '2026-12-03T12:30:00'
 * readPrintedDate('Dec 3, 2026')               // '2026-12-03'
 * readPrintedDate('Ten things to do in December 2026') // undefined
 */
export function readPrintedDate(text: string, now: Date = new Date()): string | undefined {
  const s = printedForm(text);
  if (s.length === 0 || s.length > PRINTED_DATE_MAX_CHARS || !/\d/.test(s)) return undefined;
  printedFormats ??= PRINTED_DATE_FORMATS.flatMap((date) =>
    PRINTED_TIMES.map((time) => {
      const f = compileDateFormat(`${date}${time}`);
      // Anchored: the text must be the date, after at most two words such as "Posted on" or "Updated:".
      return { ...f, re: new RegExp(String.raw`^(?:\p{L}+:?\s+){0,2}${f.re.source}$`, 'iu') };
    }),
  );
  for (const format of printedFormats) {
    const iso = dateToIso(s, format, now);
    if (iso) return iso;
  }
  return undefined;
}

/** One space between words, no commas, and the separators sites put before a time made a space. */
function printedForm(text: string): string {
  return text
    .replace(/[\s\u00A0]+/g, ' ')
    .replace(/\s*[|·•,–—]\s*/g, ' ')
    .replace(/\s(?:at|um|à|às|om|alle|kl\.?|@)\s(?=\d)/giu, ' ')
    .replace(/(\d:\d{2})\s?(?:uhr|h)$/iu, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
