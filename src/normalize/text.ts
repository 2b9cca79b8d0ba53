import { hashOf, hashOfBytes } from '../util/hash.js';
import {
  collapseWhitespace,
  ELIDED_TAIL,
  escapeText,
  stripXmlIllegal,
  truncateAtWord,
  UNTITLED,
  withoutReadMoreTail,
} from '../util/text.js';
import { decodeEntities, htmlToText } from './sanitize.js';

export const TITLE_MAX = 80;
export const SUMMARY_MAX = 300;
export { UNTITLED };

/**
 * Tags of HTML elements that titles and summaries carry when they carry markup. Only these count,
 * written in lower or upper case as HTML is: "List<String> vs List<Object>" or "Vec<T>" is text about
 * code, and sniffing any tag-like run as markup deleted it.
 */
const HTML_TAG =
  /<(?:\/?(a|abbr|acronym|article|aside|audio|b|bdi|bdo|big|blockquote|br|button|center|cite|code|dd|del|dfn|div|dl|dt|em|embed|figcaption|figure|font|footer|form|h[1-6]|header|hr|i|iframe|img|input|ins|kbd|li|link|mark|meta|nav|noscript|object|ol|p|picture|pre|q|s|samp|script|section|small|source|span|strike|strong|style|sub|sup|svg|table|tbody|td|th|thead|time|tr|tt|u|ul|var|video|wbr)(?=[\s/>])[^<>]*>|!--)/gi;

/** True when `s` holds markup rather than text that happens to contain "<". */
export function looksLikeHtml(s: string): boolean {
  if (!s.includes('<')) return false;
  HTML_TAG.lastIndex = 0;
  for (let m = HTML_TAG.exec(s); m; m = HTML_TAG.exec(s)) {
    const name = m[1];
    // A comment, or a tag name as HTML writes it (not "Object" or "Time", which are type names).
    if (name === undefined || name === name.toLowerCase() || name === name.toUpperCase()) return true;
  }
  return false;
}

/**
 * Plain text of a title, summary, author or category: tags stripped when it is (or looks like) HTML,
 * entities decoded exactly once, whitespace and NBSP collapsed, XML-illegal characters removed.
 *
 * @example
 * plainText('<b>Rock</b> &amp;amp; roll', true) // 'Rock &amp; roll'
 */
export function plainText(s: string | undefined, isHtml = false): string {
  if (!s) return '';
  const text = isHtml || looksLikeHtml(s) ? htmlToText(s) : decodeEntities(s);
  return collapseWhitespace(stripXmlIllegal(text));
}

/**
 * Plain text as HTML: paragraphs split on blank lines, everything escaped, bare http(s) URLs made
 * links (sanitize then checks and cleans them like any other). A line break after a short
 * line becomes <br> (lists, timestamps, addresses, verse: the lines are the point), as does one after
 * a line ending in an address or before a list item; after other long lines it stays a plain break,
 * so hard-wrapped prose still reads as one paragraph.
 *
 * @example
 * textToHtml('a & b\n\nc') // '<p>a &amp; b</p>\n<p>c</p>'
 * textToHtml('0:00 Intro\n5:30 Ribs') // '<p>0:00 Intro<br>\n5:30 Ribs</p>'
 */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t\u00A0]*\n\s*/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => `<p>${linesToHtml(p)}</p>`)
    .join('\n');
}

/** Lines at least this long are taken for hard-wrapped prose (wrapped at 60 to 80 columns). */
const WRAPPED_LINE = 50;
/** A line that starts a list item or a chapter mark: it begins a line of its own, whatever came before. */
const LIST_LINE = /^(?:[-*•–]\s|\d{1,3}[.)]\s|\d{1,2}:\d{2}\b)/;
/** A line that ends in a web address: a writer wrapping prose does not break right after one. */
const ENDS_IN_URL = /\bhttps?:\/\/\S+$/;

function linesToHtml(paragraph: string): string {
  const lines = paragraph.split('\n');
  let out = lineToHtml(lines[0] ?? '');
  for (let i = 1; i < lines.length; i++) {
    const before = (lines[i - 1] ?? '').trim();
    const line = lines[i] ?? '';
    // A long line is wrapped prose unless it ends in an address or the next one starts a list item:
    // YouTube descriptions put "Subscribe to our channel: https://…" lines one under the other.
    const ownLine = before.length < WRAPPED_LINE || ENDS_IN_URL.test(before) || LIST_LINE.test(line.trim());
    out += `${ownLine ? '<br>' : ''}\n${lineToHtml(line)}`;
  }
  return out;
}

/** An http(s) URL in running text. */
const BARE_URL = /\bhttps?:\/\/[^\s<>"]+/g;
const SENTENCE_PUNCTUATION = '.,;:!?\'")]}';

/** A URL without the punctuation of the sentence around it; a ")" it opened stays (Foo_(bar)). */
function urlInText(candidate: string): string {
  let url = candidate;
  while (url.length > 0 && SENTENCE_PUNCTUATION.includes(url.charAt(url.length - 1))) {
    if (url.endsWith(')') && url.split('(').length > url.split(')').length - 1) break;
    url = url.slice(0, -1);
  }
  return url;
}

/** One line, escaped, its bare URLs made links (plain-text descriptions are full of them). */
function lineToHtml(line: string): string {
  let out = '';
  let from = 0;
  for (const m of line.matchAll(BARE_URL)) {
    const url = urlInText(m[0]);
    const at = m.index ?? 0;
    const href = escapeText(url).replace(/"/g, '&quot;');
    out += `${escapeText(line.slice(from, at))}<a href="${href}">${escapeText(url)}</a>`;
    from = at + url.length;
  }
  return out + escapeText(line.slice(from));
}

/**
 * A title made from the text when the source gave none (social posts, link logs): its first sentence
 * when that fits, as a reader would headline it, else the start cut at a word.
 *
 * @example
 * titleFromText('Just finished the book. Chapter 7 is the best.') // 'Just finished the book.'
 */
export function titleFromText(text: string): string {
  if (!text) return UNTITLED;
  const sentence = FIRST_SENTENCE.exec(text.slice(0, TITLE_MAX + 1))?.[0];
  if (sentence && sentence.length >= MIN_SENTENCE_TITLE) return sentence;
  const cut = truncateAtWord(text, TITLE_MAX);
  return cut === text ? cut : withoutTrailingUrl(cut);
}

/** An http(s) or www. address ending a cut title, with what opened it: "(", a quote, "<". */
const TRAILING_URL = /\s*[(<"'“‘[]?\b(?:https?:\/\/|www\.)\S*…$/iu;

/**
 * A cut title without the address it ends in: cut anywhere, an address is a stub that leads nowhere
 * ("…with a link https://example.org/a?utm_sourc…") and reads as noise. When the address is all
 * there is, the cut stays.
 */
function withoutTrailingUrl(cut: string): string {
  if (!TRAILING_URL.test(cut)) return cut;
  const head = cut.replace(TRAILING_URL, '').replace(/[\s,;:.\-–—]+$/u, '');
  return head ? `${head}…` : cut;
}

/** How sites and aggregators join a headline and the outlet's name: "Headline - Outlet". */
const PUBLISHER_SEPARATORS: readonly string[] = [' - ', ' – ', ' — ', ' | '];

/**
 * A title without the " - Publisher" suffix Google News and many sites add, when `publisher` (the
 * item's own RSS <source>, a page's site name) is exactly the name it ends with. Anything else, and a
 * title that would be left empty, stays as it is.
 *
 * @example
 * withoutPublisher('Bridge opens - Harbor Daily', 'Harbor Daily') // 'Bridge opens'
 */
export function withoutPublisher(title: string, publisher: string | undefined): string {
  const name = plainText(publisher);
  if (!name) return title;
  for (const separator of PUBLISHER_SEPARATORS) {
    const suffix = separator + name;
    if (title.endsWith(suffix)) return title.slice(0, -suffix.length).trim() || title;
  }
  return title;
}

/**
 * Up to the first . ! ? or … followed by a space and a capital, digit or opening mark. A period after
 * a title, a common abbreviation or an initial ("Dr. Smith", "U.S. Senate", "John F. Kennedy") does
 * not end the sentence.
 */
const FIRST_SENTENCE =
  /^.+?(?:[!?…]|(?<!\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Gen|Gov|Sen|Rep|Lt|Col|Capt|Sgt|Inc|Ltd|Co|Corp|vs|No|Vol|Fig|approx|U\.S|U\.K|e\.g|i\.e|\p{Lu}))\.)(?=\s+["'“‘([]?[\p{Lu}\p{N}])/u;
/** A first sentence shorter than this ("Wow.") says too little to stand alone as the title. */
const MIN_SENTENCE_TITLE = 20;

/**
 * An item's summary from its text: without a "Read more" or "Continue reading" tail (the reader's
 * link is the item itself), a "[…]" tail made a plain ellipsis, cut at SUMMARY_MAX.
 *
 * @example
 * summaryFromText('Talks broke down on Tuesday [&hellip;]') // 'Talks broke down on Tuesday…'
 */
export function summaryFromText(text: string): string {
  const cut = withoutReadMoreTail(text);
  // "[…]" said the excerpt goes on: the summary says so with its own ellipsis.
  const more = cut !== text && cut !== '' && ELIDED_TAIL.test(text.slice(-16)) ? `${cut}…` : cut;
  return truncateAtWord(more, SUMMARY_MAX);
}

/** Text reduced to its words: lowercase, compatibility forms folded, punctuation and spacing collapsed. */
export function fingerprintText(s: string): string {
  // ASCII text (most of it, with typographic quotes and dashes) needs neither NFKC nor Unicode
  // classes: the same result, several times faster.
  if (isAsciiOrPunctuation(s))
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

/**
 * hashOf([fingerprintText(s)]), the exact-duplicate key of an item's text. For ASCII text (with
 * typographic punctuation) the folded words go straight into a reused byte buffer and are hashed
 * from there: lower-casing and replacing a whole article's text made two strings of it per item,
 * four times the cost of this loop.
 */
export function fingerprintOf(s: string): string {
  if (!isAsciiOrPunctuation(s)) return hashOf([fingerprintText(s)]);
  if (foldBuffer.length < s.length) foldBuffer = new Uint8Array(s.length * 2);
  const out = foldBuffer;
  let n = 0;
  let separated = true;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) c |= 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      out[n++] = c;
      separated = false;
    } else if (!separated) {
      // A run of anything else is one space, as in fingerprintText.
      out[n++] = 32;
      separated = true;
    }
  }
  if (n > 0 && out[n - 1] === 32) n--;
  return hashOfBytes(out.subarray(0, n));
}
let foldBuffer = new Uint8Array(16384);

/**
 * ASCII, plus the punctuation English text is full of: no-break space, guillemets, and General
 * Punctuation (U+2010-U+205F: dashes, curly quotes, ellipsis, primes, narrow spaces). None of those
 * is a letter or digit, nor becomes one under NFKC, so the ASCII path gives what the full one would.
 */
function isAsciiOrPunctuation(s: string): boolean {
  // A regex test, not a charCodeAt loop: the engine's compiled class scan is several times faster.
  return !BEYOND_ASCII_PUNCTUATION.test(s);
}
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range is the point
const BEYOND_ASCII_PUNCTUATION = /[^\u0000-\u007f\u00a0\u00ab\u00bb\u2010-\u205f]/;

/**
 * An author as a reader wants to see it: "jo@x.example (Jo Doe)" (RSS), "Jo Doe <jo@x.example>",
 * '"Jo Doe"' and "By Jo Doe" all become "Jo Doe"; a bare address stays. A web address is a profile
 * page, not a name: empty (uniqueText then leaves it out).
 */
export function authorName(raw: string): string {
  let s = plainText(raw);
  const rss = /^\S+@\S+\s*\((.+)\)$/.exec(s);
  const angle = /^(.+?)\s*<\S+@\S+>$/.exec(s);
  if (rss?.[1]?.trim()) s = rss[1].trim();
  else if (angle?.[1]) s = angle[1].trim();
  if (/^https?:\/\/\S+$/i.test(s)) return '';
  return s
    .replace(/^(["'\u201C\u2018])(.+)(["'\u201D\u2019])$/u, '$2')
    .replace(/^by[:\s]\s*(?=\S)/i, '')
    .trim();
}

/** Trimmed, non-empty, first spelling kept among case-insensitive duplicates. */
export function uniqueText(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const key = v.toLowerCase();
    if (!v || seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}
