// Several people in one author field: arXiv's dc:creator is "Alice Smith, Bob Jones, Carol White".
// A comma also joins one person's names ("Doe, Jo", "Smith, John A.") and a suffix ("King, Jr."),
// so a list is split only when its shape leaves no doubt: every part reads as a whole name.
// (ingest/article/extract/authors.ts splits article bylines more freely: a page's byline is a list
// far more often than a feed's author field is a "Surname, Given" name.)
import { authorName } from './text.js';

/** Between the names of a list: a comma, "and" or "&" (with or without the Oxford comma). */
const SEPARATOR = /\s*,\s*(?:(?:and|&)\s+)?|\s+(?:and|&)\s+/i;

/** What ends a list of some of its authors: not a name of its own. */
const ET_AL = /^(?:et\.?\s*al\.?|and others)$/i;

/**
 * What follows a name after a comma without being a person: generational suffixes, degrees and
 * honours, compared without dots or spaces ("Ph. D." is "phd").
 */
const SUFFIXES: ReadonlySet<string> = new Set([
  'jr',
  'sr',
  'ii',
  'iii',
  'iv',
  'v',
  'phd',
  'md',
  'dds',
  'dvm',
  'do',
  'jd',
  'esq',
  'mba',
  'msc',
  'bsc',
  'ma',
  'ba',
  'rn',
  'cpa',
  'frs',
  'obe',
  'mbe',
  'cbe',
  'kbe',
  'qc',
  'kc',
]);

/**
 * Words that put a part among phrases, not names: "Department of Health and Human Services" is one
 * author. Surname particles (van, de, la, bin) are not among them.
 */
const PHRASE_WORDS: ReadonlySet<string> = new Set([
  'of',
  'the',
  'for',
  'at',
  'in',
  'on',
  'to',
  'from',
  'with',
  'by',
  'a',
  'an',
  'our',
  'your',
]);

/**
 * The last word of a role, not a person: "Jane Smith, Staff Writer" is Jane Smith and her job.
 */
const ROLE_WORDS: ReadonlySet<string> = new Set([
  'editor',
  'reporter',
  'correspondent',
  'writer',
  'contributor',
  'columnist',
  'producer',
  'photographer',
  'analyst',
  'staff',
  'desk',
  'team',
  'bureau',
]);

/**
 * Particles that begin a surname written first: "de la Cruz, Maria Elena" is one person. Only two
 * parts joined by a comma can be that; "al" and "el" are left out, as "Al" is a given name too.
 */
const SURNAME_PARTICLES: ReadonlySet<string> = new Set([
  'van',
  'von',
  'de',
  'del',
  'della',
  'der',
  'den',
  'di',
  'da',
  'dos',
  'du',
  'la',
  'le',
  'ten',
  'ter',
  'bin',
]);

/** An initial: "J.", "J", "J.-P.". */
const INITIAL = /^\p{Lu}(?:\.|\.?-\p{Lu}\.?)?$/u;

/**
 * The people an author field names: a list split into its names when every part is a name of at
 * least two words (no suffix, no initials alone, no phrase), else the field as one name. Each name
 * is cleaned as authorName cleans it; a trailing "et al." goes.
 *
 * @example
 * authorNames('Alice Smith, Bob Jones and Carol White') // ['Alice Smith', 'Bob Jones', 'Carol White']
 * authorNames('Smith, John A.') // ['Smith, John A.']
 * authorNames('Martin Luther King, Jr.') // ['Martin Luther King, Jr.']
 */
export function authorNames(raw: string): string[] {
  const whole = authorName(raw);
  const parts = whole.split(SEPARATOR);
  if (parts.length > 1 && ET_AL.test(parts.at(-1) ?? '')) parts.pop();
  const surnameFirst = parts.length === 2 && !/\s(?:and|&)\s/i.test(whole) && startsWithParticle(parts[0]);
  if (parts.length < 2 || surnameFirst || !parts.every(isWholeName)) return whole ? [whole] : [];
  return parts.map(authorName).filter((n) => n !== '');
}

function isWholeName(part: string): boolean {
  const words = part.split(/\s+/).filter((w) => w !== '');
  if (words.length < 2) return false;
  if (SUFFIXES.has(part.replace(/[.\s]/g, '').toLowerCase())) return false;
  if (words.every((w) => INITIAL.test(w))) return false;
  if (ROLE_WORDS.has((words.at(-1) ?? '').toLowerCase())) return false;
  return !words.some((w) => PHRASE_WORDS.has(w.toLowerCase()));
}

function startsWithParticle(part: string | undefined): boolean {
  return SURNAME_PARTICLES.has(part?.split(/\s+/)[0]?.toLowerCase() ?? '');
}
