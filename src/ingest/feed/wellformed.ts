// Well-formedness problems that xml2js (under rss-parser) lets through: sax decodes HTML entities
// such as &eacute; even in strict mode and ignores text after the root. Feedparser calls such a feed
// "bozo"; we find the problem first, so the lenient reader runs and the warning says what was wrong.
import { readProlog, readStartTag } from './prolog.js';

/** The 5 entities XML predefines; any other named reference needs a DTD, which we never read. */
export const XML_ENTITIES: ReadonlySet<string> = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

const SECTIONS = [
  { open: '<![CDATA[', close: ']]>' },
  { open: '<!--', close: '-->' },
] as const;

/**
 * Calls `fn` for each stretch of text outside CDATA sections and comments (where entity rules do
 * not apply), with its offset. An unterminated section is left in the outside text. Linear: a regex
 * with a lazy `[\s\S]*?` would rescan to the end for every unterminated opening.
 */
export function outsideProtected(text: string, fn: (chunk: string, offset: number) => void): void {
  let last = 0;
  const next = SECTIONS.map((k) => text.indexOf(k.open));
  const closable = SECTIONS.map(() => true);
  for (;;) {
    let kind = -1;
    for (let k = 0; k < SECTIONS.length; k++) {
      const at = next[k] ?? -1;
      if (closable[k] && at >= 0 && (kind < 0 || at < (next[kind] ?? 0))) kind = k;
    }
    const section = SECTIONS[kind];
    const start = next[kind] ?? -1;
    if (!section) break;
    const close = text.indexOf(section.close, start + section.open.length);
    if (close < 0) {
      // No closer anywhere after this one: no later section of this kind can close either.
      closable[kind] = false;
      continue;
    }
    fn(text.slice(last, start), last);
    last = close + section.close.length;
    for (let k = 0; k < SECTIONS.length; k++) {
      const open = SECTIONS[k]?.open ?? '';
      if ((next[k] ?? -1) >= 0 && (next[k] ?? 0) < last) next[k] = text.indexOf(open, last);
    }
  }
  fn(text.slice(last), last);
}

/** The first well-formedness problem found, as "what at line L, column C", or undefined. */
export function findXmlProblem(text: string): string | undefined {
  let problem: string | undefined;
  outsideProtected(text, (chunk, offset) => {
    if (problem) return;
    const m = /&(?!#\d+;|#x[0-9a-fA-F]+;)(?:([A-Za-z_][\w.-]*);)?|<!\[CDATA\[|\]\]>/.exec(chunk);
    if (!m) return;
    const at = offset + m.index;
    if (m[0] === '<![CDATA[') problem = `unterminated CDATA section at ${place(text, at)}`;
    else if (m[0] === ']]>') problem = `"]]>" outside a CDATA section (nested CDATA?) at ${place(text, at)}`;
    else if (m[1] === undefined) problem = `bare "&" that starts no entity at ${place(text, at)}`;
    else if (!XML_ENTITIES.has(m[1]))
      problem = `entity &${m[1]}; that XML does not define at ${place(text, at)}`;
  });
  return problem ?? trailingContent(text);
}

// XML 1.0 §2.1: after the root element only comments, processing instructions and whitespace.
function trailingContent(text: string): string | undefined {
  const { rootStart } = readProlog(text);
  const root = readStartTag(text, rootStart);
  if (!root) return undefined;
  const close = text.lastIndexOf(`</${root.name}`);
  if (close < 0) return undefined; // unclosed root: the parser reports it
  const end = text.indexOf('>', close);
  if (end < 0) return undefined;
  const rest = text.slice(end + 1).replace(/<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g, '');
  if (!rest.trim()) return undefined;
  const at = end + 1 + (text.slice(end + 1).search(/\S/) || 0);
  return `content after the root element </${root.name}> at ${place(text, at)}`;
}

/** "line L, column C" of an offset, both 1-based. */
export function place(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}
