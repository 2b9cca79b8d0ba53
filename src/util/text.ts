// XML 1.0 §2.2 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
// Lone surrogates and U+FFFE/U+FFFF break every XML parser, so they go too.
const XML_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** One character XML 1.0 forbids, or any surrogate (XML_ILLEGAL then tells lone ones from pairs). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const MAYBE_XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

/** Removes characters that XML 1.0 forbids; everything else, including U+FFFD, is kept. */
export function stripXmlIllegal(s: string): string {
  // Almost no text has any: a character-class test (compiled by the regex engine, about three times
  // faster than a charCodeAt loop) passes most strings through before the look-arounds run.
  return MAYBE_XML_ILLEGAL.test(s) ? s.replace(XML_ILLEGAL, '') : s;
}

/**
 * Whitespace runs other than one ASCII space: a run that starts with any other whitespace character,
 * or a space followed by more. Matching every run, single spaces included, made a match per word:
 * collapsing an article's text took 23 us, the largest cost of sanitizing it after the parse.
 */
const UNCOLLAPSED_RUN = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]\s*| \s+/g;

/**
 * Whitespace a collapsed string cannot hold: any but a single space between two other characters.
 * The class is what \s matches beyond the ASCII space (plus NBSP and the C0 controls, which send a
 * string down the slow path harmlessly).
 */
const NOT_COLLAPSED =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are the point
  /[\u0000-\u001f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]|^ | $| {2}/;

/** Collapses runs of whitespace (including NBSP) to one space and trims. */
export function collapseWhitespace(s: string): string {
  // Most strings are already collapsed (single ASCII spaces between words): returned untouched, after
  // a regex test that is faster than a charCodeAt loop.
  return NOT_COLLAPSED.test(s) ? s.replace(UNCOLLAPSED_RUN, ' ').trim() : s;
}

/** Whether a UTF-16 code unit is what `\s` matches in a regular expression, for loops that avoid one. */
export function isWhitespace(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Inline tails on the end of an excerpt: "… Read more »", "Continue reading →", "[…]". Dedupe reads
 * copies without them; summaries leave them out.
 */
/** The "[…]" a blog engine ends an excerpt with (one of READ_MORE_TAILS). */
export const ELIDED_TAIL = /\s*\[(?:…|\.\.\.|&hellip;)\]\s*$/;

export const READ_MORE_TAILS: readonly RegExp[] = [
  /\s*(?:read more|continue reading|read the full (?:story|article))\s*(?:»|›|→|\.\.\.|…|>>)?\s*$/i,
  ELIDED_TAIL,
];

/**
 * Characters at the end of a text the tail patterns are tried on: more than the longest tail, and it
 * keeps their unanchored start from scanning a long text position by position.
 */
const TAIL_WINDOW = 64;

/** `s` without its "Read more" tail; the same as replacing each READ_MORE_TAILS pattern in turn. */
export function withoutReadMoreTail(s: string): string {
  let cut = s;
  for (const re of READ_MORE_TAILS) {
    const from = Math.max(0, cut.length - TAIL_WINDOW);
    const m = re.exec(from === 0 ? cut : cut.slice(from));
    // The pattern's leading \s* may reach back before the window: trimEnd takes that whitespace too.
    if (m) cut = cut.slice(0, from + m.index).trimEnd();
  }
  return cut;
}

/** Cuts `s` to at most `max` characters at a word boundary, adding an ellipsis when cut. */
export function truncateAtWord(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  const head = space > max * 0.6 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}

/** Text as HTML or XML text content: `&`, `<`, `>` escaped (the last so `]]>` can never appear). */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The title of an item that has no words at all. */
export const UNTITLED = '(untitled)';

/**
 * Whether `text` holds at least `wanted` whitespace-separated words. Counts only that far: splitting
 * whole summaries into word arrays, twice per item, was a tenth of a cold run's main-thread garbage.
 */
export function hasWords(text: string, wanted: number): boolean {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length && count < wanted; i++) {
    if (isWhitespace(text.charCodeAt(i))) inWord = false;
    else if (!inWord) {
      inWord = true;
      count++;
    }
  }
  return count >= wanted;
}
