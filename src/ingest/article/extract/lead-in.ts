// The lines between a story's headline and its first paragraph (dateline, byline, the headline
// repeated) and the one-line pointers to other stories inside it ("Read more: ..."). Both are
// short and look like prose only at a glance, so each rule says what would make a line a sentence.
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { isElement } from './clean.js';
import { hintWords } from './hints.js';
import { BLOCK_TAGS, collapsed } from './score.js';

/** A line that only says when: "Wednesday, 14 January 2026", "March 2, 2026 at 10:12 am", "11.02.2026". */
export const DATE_LINE =
  /^(?:(?:updated|published|posted|last updated|aktualisiert|mis à jour|publié)(?: on| le| am)?:?\s*)?(?:\p{L}+,?\s+)?(?:\d{1,2}\.?\s*\p{L}+\.?\s+\d{4}|\p{L}+\.?\s+\d{1,2},?\s+\d{4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}年\d{1,2}月\d{1,2}日)(?:,?\s*(?:at|um|à)?\s*\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|uhr|h))?(?:\s*[A-Z]{2,5})?)?(?:\s*\d{1,2}時\d{1,2}分)?$/iu;
/** How a byline starts: the lead word before the names. */
export const BYLINE_LEAD =
  /^(?:by|von|par|por|door|di|posted by|written by|interview by|text:|words:|photos?:|photographs?:)\s+(.{1,100})$/i;
/** Small words inside a name ("Ludwig van Beethoven", "Jane Smith and Tom Reid"). */
const NAME_PARTICLES: ReadonlySet<string> = new Set(
  'and und et y e & de da di du del der den van von le la los las bin ibn al el'.split(' '),
);
/** Longest run of name words in a byline before a separator: "By Mary Ann de la Cruz". */
const MAX_NAME_WORDS = 6;
/** Lead-in lines are short; the first longer block is the story's first paragraph. */
const LEAD_IN_MAX = 80;
/** Class words of a standfirst (dek, summary): long, but above the dateline and byline, not the story. */
export const STANDFIRST_HINTS: readonly string[] = [
  'standfirst',
  'dek',
  'deck',
  'subtitle',
  'subheadline',
  'sub-headline',
  'strapline',
  'summary',
];

/**
 * Before the first real paragraph: the headline (shown as the title), and dateline, byline and
 * posting-date lines that a page prints above its story.
 */
export function dropLeadIn($: CheerioAPI, block: Element, title: string | undefined): void {
  const wanted = words(title ?? '');
  let headingSeen = false;
  for (const el of [block, ...$(block).find('*').get()]) {
    if (!BLOCK_TAGS.has(el.name) || $(el).find(BLOCK_SELECTOR).length > 0) continue;
    const text = collapsed($(el).text());
    if (text === '') continue;
    if (text.length >= LEAD_IN_MAX) {
      if (isStandfirst(el, block)) continue;
      return;
    }
    const heading = /^h[1-6]$/.test(el.name);
    const own = words(text);
    if (
      (heading && !headingSeen && (el.name === 'h1' || overlap(own, wanted) >= 0.6)) ||
      // Not a heading, so only the title itself: a first sentence repeats most of its words.
      (own.size >= 3 &&
        overlap(own, wanted) * Math.min(own.size, wanted.size) >= 0.8 * Math.max(own.size, wanted.size)) ||
      DATE_LINE.test(text) ||
      isByline(text)
    ) {
      $(el).remove();
    }
    if (heading) headingSeen = true;
  }
}

/** A standfirst by its name, or any paragraph of the article's own header (with the headline). */
function isStandfirst(el: Element, block: Element): boolean {
  const named = (e: Element, hints: readonly string[]) => {
    const w = hintWords(e);
    return hints.some((h) => w.includes(`-${h}-`));
  };
  if (named(el, STANDFIRST_HINTS)) return true;
  if (el.name !== 'p') return false;
  // Up to the block itself: a story chosen in parts may have the header as a part of its own.
  for (let p = el.parent; p && isElement(p); p = p.parent) {
    if (p.name === 'header' || named(p, ['header'])) return true;
    if (p === block) break;
  }
  return false;
}

const BLOCK_SELECTOR = [...BLOCK_TAGS].join(', ');

function words(s: string): Set<string> {
  return new Set(
    s
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
  );
}

function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n / Math.min(a.size, b.size);
}

/**
 * A line that only says who: "By Jane Smith", "Von ANNA MÜLLER | 3. März", "Posted by admin". After
 * the lead word come names (capitalized words and particles) up to a separator; "By the time
 * firefighters arrived, ..." starts the same way but goes on as a sentence.
 *
 * @example
 * isByline('By Jane Smith and Tom Reid, Political Editors'); // true
 * isByline('By the time firefighters arrived, the roof had collapsed.'); // false
 */
export function isByline(text: string): boolean {
  const m = BYLINE_LEAD.exec(text);
  if (!m) return false;
  // What follows a separator may be a role, a date or a place: only the names before it are judged.
  const names = (m[1] ?? '').split(/\s*[,|·•—–]\s*|\s+-\s+/)[0] ?? '';
  const nameWords = names.split(/\s+/).filter(Boolean);
  if (nameWords.length === 0 || nameWords.length > MAX_NAME_WORDS) return false;
  // A posting note may give a user name in lower case: "Posted by admin".
  if (nameWords.length === 1 && /^(?:posted|written) by/i.test(text)) return true;
  return nameWords.every(
    (w) => /^[\p{Lu}\p{Lt}][\p{L}\p{M}'’.-]*$/u.test(w) || NAME_PARTICLES.has(w.toLowerCase()),
  );
}

/** Words that introduce a link to another story: "Read more: ...", "Watch: ...", "Related: ...". */
export const LINK_LEAD_IN =
  /^(?:read more|read also|also read|see also|related(?: stories| articles| coverage| content)?|more on this|more|read next|recommended(?: for you)?|(?:watch|listen)(?: now| again)?|lesen sie auch|mehr zum thema|weiterlesen|à lire aussi|lire aussi|voir aussi|あわせて読みたい|関連記事)/i;
/** What separates such a lead-in from its link. */
const LINK_LEAD_IN_SEPARATOR = /^\s*[:：|»›>–—-]/;
/** Words that may join the lead-in to its link without a separator: "More on <a>the floods</a>". */
const LINK_LEAD_IN_JOINER = /^\s*(?:about|on|at|in)?\s*$/i;

/**
 * A paragraph that only points to another story: a lead-in word, then a separator or nothing but a
 * link. "More than 400 homes were flooded, according to <a>the report</a>." is a sentence, and stays.
 */
export function isLinkLeadIn($: CheerioAPI, p: Element): boolean {
  const text = collapsed($(p).text());
  const lead = LINK_LEAD_IN.exec(text);
  if (!lead) return false;
  const rest = text.slice(lead[0].length);
  // A lead word glued to more letters is another word ("Morecambe", "Related-party").
  if (/^[\p{L}\p{N}]/u.test(rest) && !/^[\u3040-\u30ff\u4e00-\u9fff]/u.test(lead[0])) return false;
  if (LINK_LEAD_IN_SEPARATOR.test(rest)) return true;
  const outsideLinks = $(p).clone();
  outsideLinks.find('a').remove();
  const plain = collapsed(outsideLinks.text());
  return (
    plain.slice(0, lead[0].length).toLowerCase() === lead[0].toLowerCase() &&
    LINK_LEAD_IN_JOINER.test(plain.slice(lead[0].length).replace(/[.…:]+$/, ''))
  );
}
