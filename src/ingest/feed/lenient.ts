// The loose reader, used once strict parsing has failed: repairs what real feeds get wrong most
// (HTML entities, bare ampersands, broken CDATA), then reads the rest with htmlparser2's forgiving XML
// mode, which closes unclosed tags and ignores garbage after the root.
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import type { Detected } from './detect.js';
import { ALL_ITEM_ELEMENTS } from './elements.js';
import { outsideProtected, XML_ENTITIES } from './wellformed.js';
import { cheerioNode, type FeedTree, isElement, type XNode } from './xnode.js';

/** Closing tags a CDATA section in an item can never legitimately run past. */
const STRUCTURAL_CLOSE = /<\/(?:item|entry|channel|feed|rss|rdf:RDF)\s*>/g;

export interface Repaired {
  readonly text: string;
  /** What was changed, for the warning. */
  readonly fixes: readonly string[];
}

/**
 * Repairs the text so an XML reader keeps every item: nested and unterminated CDATA closed, HTML
 * named entities turned into numeric references, a bare `&` escaped.
 *
 * @example
 * repairXml('<title>R&D &eacute;t&eacute;</title>').text; // '<title>R&amp;D &#233;t&#233;</title>'
 */
export function repairXml(text: string): Repaired {
  const fixes = new Set<string>();
  const cdata = repairCdata(text, fixes);
  return { text: repairEntities(cdata, fixes), fixes: [...fixes] };
}

function repairCdata(text: string, fixes: Set<string>): string {
  let out = '';
  let i = 0;
  let limit = -1;
  for (;;) {
    const open = text.indexOf('<![CDATA[', i);
    if (open < 0) return out + text.slice(i);
    // Sections of one item share the limit: search again only past it (keeps this linear).
    if (limit < open) {
      STRUCTURAL_CLOSE.lastIndex = open;
      limit = STRUCTURAL_CLOSE.exec(text)?.index ?? text.length;
    }
    out += text.slice(i, open + 9);
    let j = open + 9;
    let depth = 0;
    let closed = false;
    while (j < limit) {
      const nextClose = text.indexOf(']]>', j);
      if (nextClose < 0 || nextClose >= limit) break;
      const nextOpen = text.indexOf('<![CDATA[', j);
      if (nextOpen >= 0 && nextOpen < nextClose) {
        depth++;
        out += text.slice(j, nextOpen + 9);
        j = nextOpen + 9;
      } else if (depth === 0) {
        out += text.slice(j, nextClose + 3);
        j = nextClose + 3;
        closed = true;
        break;
      } else {
        // A CDATA section cannot hold "]]>": split it so the inner one stays literal text.
        depth--;
        out += `${text.slice(j, nextClose)}]]]]><![CDATA[>`;
        j = nextClose + 3;
        fixes.add('nested CDATA split');
      }
    }
    if (!closed) {
      // Unterminated: close it before the end tag of the element it opened in.
      const name = /<([A-Za-z_][\w:.-]*)(?:\s[^<>]*)?>\s*$/.exec(
        text.slice(Math.max(0, open - 500), open),
      )?.[1];
      const endTag = name ? text.slice(j, limit).indexOf(`</${name}`) : -1;
      const end = endTag >= 0 ? j + endTag : limit;
      out += `${text.slice(j, end)}]]>`;
      j = end;
      fixes.add('unterminated CDATA closed');
    }
    i = j;
  }
}

function repairEntities(text: string, fixes: Set<string>): string {
  const names = new Set<string>();
  outsideProtected(text, (chunk) => {
    for (const m of chunk.matchAll(/&([A-Za-z][A-Za-z0-9]*);/g))
      if (!XML_ENTITIES.has(m[1] ?? '')) names.add(m[1] ?? '');
  });
  const numeric = htmlEntitiesToNumeric([...names]);
  let out = '';
  let pos = 0;
  outsideProtected(text, (chunk, offset) => {
    // Protected stretches sit between the chunks: copy them through untouched.
    out += text.slice(pos, offset);
    pos = offset + chunk.length;
    out += chunk.replace(/&(?:(#\d+;|#x[0-9a-fA-F]+;)|([A-Za-z][A-Za-z0-9]*);)?/g, (whole, num, name) => {
      if (num) return whole;
      if (name && XML_ENTITIES.has(name)) return whole;
      const ref = name ? numeric.get(name) : undefined;
      if (ref) {
        fixes.add('HTML entities made numeric');
        return ref;
      }
      fixes.add(name ? 'unknown entities escaped' : 'bare & escaped');
      return `&amp;${whole.slice(1)}`;
    });
  });
  return out;
}

/** Numeric references for HTML named entities, decoded by the HTML parser (the WHATWG table). */
function htmlEntitiesToNumeric(names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (names.length === 0) return out;
  const $ = cheerio.load(names.map((n) => `<i>&${n};</i>`).join(''), null, false);
  $('i').each((k, el) => {
    const name = names[k];
    const decoded = [...$(el).text()];
    // Unknown names come back as written; HTML also decodes legacy prefixes (&notanentity; gives
    // "¬anentity;"), which is not what the feed meant: every real entity is one or two characters.
    if (name === undefined || decoded.length > 2) return;
    out.set(name, decoded.map((c) => `&#${c.codePointAt(0)};`).join(''));
  });
  return out;
}

/** Reads a (repaired) document with cheerio in XML mode into a feed tree. */
export function readLenient(text: string, detected: Detected): FeedTree | undefined {
  const root = xmlRoot(text, true);
  return root ? treeOf(root, detected.dialect) : undefined;
}

/**
 * Elements that hold only text. When one of them was left unclosed, the forgiving parser nests
 * the rest of the item inside it; those children are moved back out to be siblings again.
 */
export const TEXT_ONLY_ELEMENTS: ReadonlySet<string> = new Set([
  'title',
  'link',
  'guid',
  'pubDate',
  'dc:date',
  'dc:creator',
  'category',
  'comments',
  'id',
  'published',
  'updated',
  'issued',
  'modified',
  'created',
]);

const SWALLOWED: ReadonlySet<string> = new Set([...ALL_ITEM_ELEMENTS, 'item', 'entry']);

/** The feed's root element (rss, rdf:RDF or feed) read with cheerio in XML mode. */
export function xmlRoot(text: string, unnest = false): XNode | undefined {
  const $ = cheerio.load(text, { xml: true });
  if (unnest) {
    for (const el of $.root().find('*').get()) {
      // Atom titles may be xhtml, which is markup by right.
      if (!TEXT_ONLY_ELEMENTS.has(el.name) || el.attribs['type'] === 'xhtml') continue;
      // Inline markup (<b> in a title) stays; an item element inside a text element was swallowed.
      const firstNested = el.children.findIndex((c) => isElement(c) && SWALLOWED.has(c.name));
      if (firstNested < 0) continue;
      // The indentation that stood between the swallowed elements is not part of the text.
      const after = el.children.slice(firstNested);
      for (const node of after) if (node.type === 'text' && !$(node).text().trim()) $(node).remove();
      $(el).after(after.filter(isElement));
    }
  }
  const root = $.root()
    .children()
    .get()
    .find((el): el is Element => isElement(el) && /^(?:[\w.-]+:)?(?:rss|RDF|feed)$/.test(el.name));
  return root ? cheerioNode($, root) : undefined;
}

/** The feed (or channel) node and the item nodes, per dialect. */
export function treeOf(root: XNode, dialect: Detected['dialect']): FeedTree | undefined {
  if (dialect === 'atom') return { feed: root, items: root.children('entry') };
  const channel = root.children('channel')[0];
  if (!channel) return undefined;
  // RSS 1.0 and 0.90: items are siblings of the channel, not its children.
  const items = dialect === 'rdf' ? root.children('item') : channel.children('item');
  return { feed: channel, items };
}
