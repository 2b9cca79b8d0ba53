// XML 1.0 §2.2 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
// Lone surrogates and U+FFFE/U+FFFF break every XML parser, so they go too.
const XML_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes characters that XML 1.0 forbids; everything else, including U+FFFD, is kept. */
export function stripXmlIllegal(s: string): string {
  return s.replace(XML_ILLEGAL, '');
}

/** Collapses runs of whitespace (including NBSP) to one space and trims. */
export function collapseWhitespace(s: string): string {
  return s.replace(/[\s\u00A0]+/g, ' ').trim();
}

/** Cuts `s` to at most `max` characters at a word boundary, adding an ellipsis when cut. */
export function truncateAtWord(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  const head = space > max * 0.6 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}
