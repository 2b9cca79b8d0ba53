// The text that near-duplicate fingerprints are computed on: the item's body as plain text, with the
// wrapping that republishers add (datelines, "originally appeared on" footers, "Read more" links)
// taken off, because those lines differ between copies of one story and would dilute similarity,
// and because they are the same across different stories of one outlet and would inflate it.
// A one-pass scanner is enough here: the HTML is already sanitized by normalize, and a fingerprint
// only needs the words in order, not a faithful rendering. It replaced four regex passes and a split
// (tags, blocks, entities, lines), which were a fifth of the signature's time at 100k items.
import type { Item } from '../types.js';
import { withoutReadMoreTail } from '../util/text.js';

/** Tags whose contents are never prose (sanitized HTML should have none; a cheap guard). */
export const NON_PROSE_TAGS: ReadonlySet<string> = new Set(['script', 'style', 'noscript', 'template']);
/** Block boundaries become paragraph breaks so that boilerplate can be recognised paragraph by paragraph. */
export const BLOCK_TAGS: ReadonlySet<string> = new Set(
  (
    'p div br hr li ul ol h1 h2 h3 h4 h5 h6 blockquote pre table tr td th section article header footer ' +
    'aside figure figcaption dl dt dd'
  ).split(' '),
);

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

/** The character(s) an entity body (between '&' and ';') stands for; ' ' for one we do not know. */
function decodeEntity(body: string): string {
  if (body.charCodeAt(0) === 35 /* # */) {
    const code =
      body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88
        ? Number.parseInt(body.slice(2), 16)
        : Number.parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
  }
  return NAMED_ENTITIES[body.toLowerCase()] ?? ' ';
}

const isAlpha = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isAlnum = (c: number): boolean => isAlpha(c) || (c >= 48 && c <= 57);
const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/**
 * Length of an entity reference at `at` ('&' included, ';' included): &#123; &#x1f; &name; (name of
 * 2..9 letters and digits, starting with a letter). 0 when there is none.
 */
function entityLength(s: string, at: number): number {
  let i = at + 1;
  if (s.charCodeAt(i) === 35) {
    i++;
    const hex = s.charCodeAt(i) === 120 || s.charCodeAt(i) === 88;
    if (hex) i++;
    const digits = i;
    while (i < s.length && (hex ? isHex(s.charCodeAt(i)) : isDigit(s.charCodeAt(i)))) i++;
    if (i === digits) return 0;
  } else {
    if (!isAlpha(s.charCodeAt(i))) return 0;
    const name = i;
    while (i < s.length && i - name < 9 && isAlnum(s.charCodeAt(i))) i++;
    if (i - name < 2) return 0;
  }
  return s.charCodeAt(i) === 59 ? i + 1 - at : 0;
}
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** The tag name at `at` (just after '<' or '</'), lower-cased; '' when there is none. */
function tagName(s: string, at: number): string {
  let i = at;
  // Up to a regex word boundary ('_' included), so that <p_x> is not taken for <p>.
  while (i < s.length && (isAlnum(s.charCodeAt(i)) || s.charCodeAt(i) === 95)) i++;
  return i === at ? '' : s.slice(at, i).toLowerCase();
}

/** Where the closing tag of a non-prose element ends (after its '>'), or -1 when it is never closed. */
function closingEnd(s: string, from: number, name: string): number {
  const lower = s.toLowerCase();
  for (let at = lower.indexOf(`</${name}`, from); at >= 0; at = lower.indexOf(`</${name}`, at + 2)) {
    let i = at + 2 + name.length;
    while (i < s.length && /\s/.test(s.charAt(i))) i++;
    if (s.charCodeAt(i) === 62) return i + 1;
  }
  return -1;
}

/**
 * Plain-text paragraphs of an HTML fragment: tags stripped, common entities decoded, blanks dropped.
 * Block tags and line breaks end a paragraph; other tags vanish without a space (`<b>W</b>ord` is
 * one word); script, style, noscript and template elements vanish with their contents.
 */
export function htmlParagraphs(html: string): string[] {
  const out: string[] = [];
  if (!html) return out;
  const len = html.length;
  let para = '';
  let from = 0; // start of the text run not yet copied into `para`
  let tags = true;
  const flush = (): void => {
    const p = para.trim();
    if (p) out.push(p);
    para = '';
  };
  // Jump from one '<', '&' or newline to the next (indexOf is native and fast); text between is copied whole.
  let nextLt = html.indexOf('<');
  let nextAmp = html.indexOf('&');
  let nextNl = html.indexOf('\n');
  for (let i = 0; i < len; i++) {
    if (nextLt >= 0 && nextLt < i) nextLt = html.indexOf('<', i);
    if (nextAmp >= 0 && nextAmp < i) nextAmp = html.indexOf('&', i);
    if (nextNl >= 0 && nextNl < i) nextNl = html.indexOf('\n', i);
    i = Math.min(nextLt < 0 || !tags ? len : nextLt, nextAmp < 0 ? len : nextAmp, nextNl < 0 ? len : nextNl);
    if (i >= len) break;
    const c = html.charCodeAt(i);
    if (c === 10 /* \n */) {
      para += html.slice(from, i);
      from = i + 1;
      flush();
    } else if (c === 38 /* & */) {
      const n = entityLength(html, i);
      if (n === 0) continue;
      const decoded = decodeEntity(html.slice(i + 1, i + n - 1));
      para += html.slice(from, i);
      from = i + n;
      i += n - 1;
      // An encoded newline breaks the line like a literal one.
      const nl = decoded.indexOf('\n');
      if (nl < 0) para += decoded;
      else {
        para += decoded.slice(0, nl);
        flush();
        para = decoded.slice(nl + 1);
      }
    } else if (c === 60 /* < */ && tags) {
      const close = html.indexOf('>', i + 1);
      if (close < 0) {
        tags = false; // no '>' follows: every '<' from here on is text
        continue;
      }
      para += html.slice(from, i);
      const end = html.charCodeAt(i + 1) === 47 /* / */;
      const name = tagName(html, end ? i + 2 : i + 1);
      let next = close + 1;
      if (!end && NON_PROSE_TAGS.has(name)) {
        const after = closingEnd(html, close + 1, name);
        if (after >= 0) next = after;
      } else if (BLOCK_TAGS.has(name)) flush();
      // A non-prose element is replaced by a space, as it may sit between two words.
      if (next !== close + 1) para += ' ';
      from = next;
      i = next - 1;
    }
  }
  para += html.slice(from);
  flush();
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
  if (last !== undefined) out[lastIndex] = withoutReadMoreTail(last);
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
  return bodyParagraphs(item).join('\n');
}

/** bodyText as its paragraphs, not joined: the fingerprint hashes them in turn without one more string. */
export function bodyParagraphs(item: Pick<Item, 'contentHtml' | 'summary'>): string[] {
  const content = stripBoilerplate(htmlParagraphs(item.contentHtml));
  const summary = item.summary ? stripBoilerplate([item.summary]) : [];
  return joinedLength(summary) > joinedLength(content) ? summary : content;
}

function joinedLength(paragraphs: readonly string[]): number {
  let n = Math.max(0, paragraphs.length - 1);
  for (const p of paragraphs) n += p.length;
  return n;
}

/** Case, compatibility forms and punctuation folded away: only letters and digits, single spaces. */
export function normalizeForFingerprint(s: string): string {
  // ASCII needs neither NFKC nor Unicode classes (most titles): the same result, a third of the time.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  if (/^[\x00-\x7f]*$/.test(s))
    return s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
