// Where each item (RSS, RSS 1.0) or entry (Atom) element lies in a feed's text, found without parsing,
// so that items already stored can be cut out before the parser sees them (see known-items.ts).

/** An item element's text is `text.slice(start, end)`: from its `<` to the `>` of its end tag. */
export interface ItemSpan {
  readonly start: number;
  readonly end: number;
}

const LT = 0x3c;
const BANG = 0x21;
const QUESTION = 0x3f;
const SLASH = 0x2f;
const GT = 0x3e;

/** Where the parser takes items from: the root's children, or (RSS 0.9x/2.0) its channel's. */
export type ItemLayout = 'rss' | 'rdf' | 'atom';

/**
 * The spans of the feed's items, in document order: the elements the parser reads as items, and no
 * others. Undefined when the text is not of the plain shape this scan can vouch for (an item-named
 * element elsewhere, a second channel, an unclosed element, an unterminated comment, CDATA section or
 * processing instruction); the parser then reads the whole text as usual.
 *
 * XML allows no `<` in text or attribute values, so every `<` outside comments, CDATA and processing
 * instructions starts a tag; only those three need skipping.
 *
 * @example
 * itemSpans('<rss><channel><item><title>A</title></item></channel></rss>', 'rss'); // [{ start: 14, end: 43 }]
 */
export function itemSpans(text: string, layout: ItemLayout): ItemSpan[] | undefined {
  const name = layout === 'atom' ? 'entry' : 'item';
  const itemDepth = layout === 'rss' ? 2 : 1;
  const spans: ItemSpan[] = [];
  // Open elements outside items; inside one, only the depth of nested same-named elements counts.
  const open: string[] = [];
  let channels = 0;
  let depth = 0;
  let start = -1;
  let at = text.indexOf('<');
  while (at >= 0) {
    const next = text.charCodeAt(at + 1);
    if (next === BANG || next === QUESTION) {
      const close = closerOf(text, at);
      if (close === undefined) return undefined;
      at = text.indexOf('<', close < 0 ? at + 1 : close);
      continue;
    }
    const closing = next === SLASH;
    const nameAt = closing ? at + 2 : at + 1;
    const end = closing ? text.indexOf('>', at) : startTagEnd(text, at);
    if (end < 0) return undefined;
    at = text.indexOf('<', end);
    if (depth > 0) {
      // Inside an item: only its own name matters.
      if (!namedAt(text, nameAt, name)) continue;
      if (closing) depth--;
      else if (text.charCodeAt(end - 1) !== SLASH) depth++;
      if (depth === 0) spans.push({ start, end: end + 1 });
      continue;
    }
    const tag = text.slice(nameAt, tagNameEnd(text, nameAt, end));
    if (closing) {
      if (open.pop() !== tag) return undefined;
      continue;
    }
    if (tag === name) {
      const parentOk = open.length === itemDepth && (layout !== 'rss' || open[1] === 'channel');
      if (!parentOk) return undefined;
      start = nameAt - 1;
      if (text.charCodeAt(end - 1) === SLASH) spans.push({ start, end: end + 1 });
      else depth = 1;
      continue;
    }
    if (tag === 'channel' && open.length === 1 && ++channels > 1) return undefined;
    if (text.charCodeAt(end - 1) !== SLASH) open.push(tag);
  }
  return depth === 0 && open.length === 0 ? spans : undefined;
}

/**
 * Past the end of the comment, CDATA section or processing instruction at `at`: -1 for other
 * declarations (a DOCTYPE), which hold only tags; undefined when it is never closed.
 */
function closerOf(text: string, at: number): number | undefined {
  let closer: string;
  if (text.startsWith('<!--', at)) closer = '-->';
  else if (text.startsWith('<![CDATA[', at)) closer = ']]>';
  else if (text.charCodeAt(at + 1) === QUESTION) closer = '?>';
  else return -1;
  const close = text.indexOf(closer, at + 2);
  return close < 0 ? undefined : close + closer.length;
}

/** Where the element name at `at` ends: at white space, `/` or `>`. */
function tagNameEnd(text: string, at: number, end: number): number {
  for (let i = at; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === SLASH || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) return i;
  }
  return end;
}

/** True when an element name at `at` is exactly `name` (not `items`, not `item-list`). */
function namedAt(text: string, at: number, name: string): boolean {
  if (!text.startsWith(name, at)) return false;
  const after = text.charCodeAt(at + name.length);
  return (
    after === GT || after === SLASH || after === 0x20 || after === 0x09 || after === 0x0a || after === 0x0d
  );
}

/** The `>` that ends the start tag at `at`; attribute values may hold `>`, so quotes are skipped. */
function startTagEnd(text: string, at: number): number {
  let quote = 0;
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === GT) {
      return i;
    } else if (c === LT) {
      return -1;
    }
  }
  return -1;
}
