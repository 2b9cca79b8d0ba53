// XML 1.0 §2.2 allows only #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
// Lone surrogates and U+FFFE/U+FFFF break every XML parser, so they go too.
const XML_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes characters that XML 1.0 forbids; everything else, including U+FFFD, is kept. */
export function stripXmlIllegal(s: string): string {
  // Almost no text has any: a scan of char codes is several times cheaper than the regex's look-arounds.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 ? c !== 0x09 && c !== 0x0a && c !== 0x0d : c >= 0xd800 && (c <= 0xdfff || c >= 0xfffe)) {
      return s.replace(XML_ILLEGAL, '');
    }
  }
  return s;
}

const WHITESPACE_RUN = /[\s\u00A0]+/g;

/** Collapses runs of whitespace (including NBSP) to one space and trims. */
export function collapseWhitespace(s: string): string {
  // Most strings are already collapsed (single ASCII spaces between words): return them untouched.
  let clean = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20) {
      if (i === 0 || i === s.length - 1 || s.charCodeAt(i + 1) === 0x20) {
        clean = false;
        break;
      }
    } else if (c <= 0x20 || (c >= 0x7f && isSpace(c))) {
      clean = false;
      break;
    }
  }
  return clean ? s : s.replace(WHITESPACE_RUN, ' ').trim();
}

/** What \s matches (plus NBSP) beyond ASCII: the Unicode space separators, line and paragraph separators, BOM. */
function isSpace(c: number): boolean {
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

/** Cuts `s` to at most `max` characters at a word boundary, adding an ellipsis when cut. */
export function truncateAtWord(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  const head = space > max * 0.6 ? cut.slice(0, space) : cut;
  return `${head.replace(/[\s,;:.\-–—]+$/u, '')}…`;
}
