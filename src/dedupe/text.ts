// The text that near-duplicate fingerprints are computed on: the item's body as plain text, with the
// wrapping that republishers add (datelines, "originally appeared on" footers, "Read more" links)
// taken off, because those lines differ between copies of one story and would dilute similarity,
// and because they are the same across different stories of one outlet and would inflate it.
// A fast regex strip is enough here: the HTML is already sanitized by normalize, and a fingerprint
// only needs the words in order, not a faithful rendering.
import type { Item } from '../types.js';

/** Tags whose contents are never prose (sanitized HTML should have none; a cheap guard). */
const NON_PROSE = /<(script|style|noscript|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
/** Block boundaries become paragraph breaks so that boilerplate can be recognised paragraph by paragraph. */
const BLOCK_TAG =
  /<\/?(?:p|div|br|hr|li|ul|ol|h[1-6]|blockquote|pre|table|tr|td|th|section|article|header|footer|aside|figure|figcaption|dl|dt|dd)\b[^>]*>/gi;
const ANY_TAG = /<[^>]*>/g;
const ENTITY = /&(#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]{1,8});/gi;

/** The named entities that occur in news prose; anything rarer is dropped, which is harmless here. */
export const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  eacute: 'é',
  egrave: 'è',
  aacute: 'á',
  oacute: 'ó',
  uuml: 'ü',
  ouml: 'ö',
  auml: 'ä',
  ccedil: 'ç',
  ntilde: 'ñ',
};

function decodeEntity(_match: string, body: string): string {
  if (body.charCodeAt(0) === 35 /* # */) {
    const code =
      body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88
        ? Number.parseInt(body.slice(2), 16)
        : Number.parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
  }
  return NAMED_ENTITIES[body.toLowerCase()] ?? ' ';
}

/** Plain-text paragraphs of an HTML fragment: tags stripped, common entities decoded, blanks dropped. */
export function htmlParagraphs(html: string): string[] {
  if (!html) return [];
  const text = html.replace(NON_PROSE, ' ').replace(BLOCK_TAG, '\n').replace(ANY_TAG, '');
  const decoded = text.indexOf('&') >= 0 ? text.replace(ENTITY, decodeEntity) : text;
  const out: string[] = [];
  for (const line of decoded.split('\n')) {
    const p = line.trim();
    if (p) out.push(p);
  }
  return out;
}

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\\.?';
const CITY = "[A-Z][A-Z.'’-]+(?:\\s+[A-Z][A-Z.'’-]+){0,3}";
const REGION = '(?:\\s*,\\s*[A-Z][A-Za-z.]+(?:\\s+[A-Z][A-Za-z.]+){0,2})?';
const DATE = `(?:\\s*,?\\s*${MONTH}\\s+\\d{1,2}(?:\\s*,\\s*\\d{4})?)?`;
const AGENCY = '\\s*\\([^()]{1,40}\\)';
const DASH = '\\s*[—–-]{1,2}\\s+';

/**
 * Datelines that wire copies carry and originals often do not, tried at the start of the first
 * paragraph only: "WASHINGTON (Reuters) —", "LONDON, Nov 27 (AP) -", "KYIV, Ukraine —", "(AFP) -".
 * The city must be in capitals, so an ordinary first sentence is never cut.
 */
export const DATELINE_PATTERNS: readonly RegExp[] = [
  new RegExp(`^${CITY}${REGION}${DATE}(?:${AGENCY})?${DASH}`),
  new RegExp(`^${AGENCY}${DASH}`),
];

/**
 * Whole paragraphs that republishers, aggregators and blog engines append or prepend; matched on
 * short paragraphs only (see MAX_BOILERPLATE_CHARS), so real prose that happens to start the same
 * way survives.
 */
export const BOILERPLATE_PARAGRAPHS: readonly RegExp[] = [
  /^this (?:article|story|post|piece|report) (?:was )?(?:originally |first )?(?:appeared|published|ran)\b/i,
  /^(?:originally|first) (?:published|appeared|posted) (?:on|in|at|by)\b/i,
  /^the post .+ appeared first on .+$/i,
  /^(?:read more|continue reading|read the full (?:story|article|report)|full story|click here|more on this story)\b/i,
  /^(?:related|see also|more|also read|recommended)\s*:/i,
  /^(?:sign up|subscribe) (?:for|to) (?:our|the)\b/i,
  /^(?:copyright|©|\(c\))\s/i,
  /^all rights reserved\b/i,
  /^by [\p{L}.'’ -]{2,60}(?:,\s*[\p{L}.'’ -]{2,60})?$/iu,
  /^(?:reporting|writing|editing|additional reporting) by\b/i,
];

/** Inline tails on the last paragraph of an excerpt: "… Read more »", "[…]", "Continue reading →". */
export const BOILERPLATE_TAILS: readonly RegExp[] = [
  /\s*(?:read more|continue reading|read the full (?:story|article))\s*(?:»|›|→|\.\.\.|…|>>)?\s*$/i,
  /\s*\[(?:…|\.\.\.|&hellip;)\]\s*$/,
];

/** Longer paragraphs are prose, whatever they start with. */
export const MAX_BOILERPLATE_CHARS = 240;

/** Paragraphs with the republishing wrapper removed. */
export function stripBoilerplate(paragraphs: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paragraphs) {
    if (p.length <= MAX_BOILERPLATE_CHARS && BOILERPLATE_PARAGRAPHS.some((re) => re.test(p))) continue;
    out.push(p);
  }
  const first = out[0];
  if (first !== undefined) {
    for (const re of DATELINE_PATTERNS) {
      const m = re.exec(first);
      if (m) {
        out[0] = first.slice(m[0].length);
        break;
      }
    }
  }
  const lastIndex = out.length - 1;
  const last = out[lastIndex];
  if (last !== undefined) {
    let cut = last;
    for (const re of BOILERPLATE_TAILS) cut = cut.replace(re, '');
    out[lastIndex] = cut;
  }
  return out.filter((p) => p.length > 0);
}

/**
 * The body text a fingerprint is computed on: the content's paragraphs, or the summary when the
 * content carries less (feeds that give only a teaser). The title is kept apart: it is a signal of
 * its own, and copies of one story are often retitled.
 *
 * @example
 * bodyText(item) // 'Negotiators left Geneva on Tuesday without ...'
 */
export function bodyText(item: Pick<Item, 'contentHtml' | 'summary'>): string {
  const content = stripBoilerplate(htmlParagraphs(item.contentHtml)).join('\n');
  const summary = item.summary ? stripBoilerplate([item.summary]).join('\n') : '';
  return summary.length > content.length ? summary : content;
}

/** Case, compatibility forms and punctuation folded away: only letters and digits, single spaces. */
export function normalizeForFingerprint(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
