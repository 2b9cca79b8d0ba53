// The strict reader: rss-parser (xml2js over sax in strict mode). This is the only file that knows
// rss-parser's shapes. rss-parser's own fields lose things we need (mixed content order, xml:base,
// Atom link rels, raw date strings: its isoDate is `new Date(s)` with errors swallowed), so it is asked
// via customFields for the raw xml2js nodes of the elements in elements.ts, which become XNodes.
import Parser from 'rss-parser';
import type { Detected } from './detect.js';
import { ALL_FEED_ELEMENTS, ALL_ITEM_ELEMENTS } from './elements.js';
import { lenientReader } from './lenient-loader.js';
import { type FeedTree, walk, type XNode } from './xnode.js';

/** An xml2js node: text alone, or an object with text in `_`, attributes in `$`, children in arrays. */
type XmlValue = string | XmlObject;
interface XmlObject {
  _?: string;
  $?: Record<string, string>;
  [child: string]: unknown;
}
type Path = readonly (readonly [string, number])[];

const RAW = 'raw:';
const ATTRS = '$';

function rawFields(names: readonly string[]): [string, string, { keepArray: true }][] {
  return [...names, ATTRS].map((n) => [n, RAW + n, { keepArray: true }]);
}

/**
 * Parses a well-formed feed strictly. Rejects with rss-parser's (xml2js's) error when it is not.
 *
 * @example
 * const tree = await readStrict(text, detectFeed(text, url));
 */
export async function readStrict(text: string, detected: Detected): Promise<FeedTree> {
  // A new parser per call: xml2js keeps state between parses, and an earlier error can leak into
  // the next document.
  const parser = new Parser({
    // A <rss> without a version is read as 2.0, the superset.
    defaultRSS: 2,
    customFields: { feed: rawFields(ALL_FEED_ELEMENTS), item: rawFields(ALL_ITEM_ELEMENTS) },
  } as unknown as Parser.ParserOptions<Record<string, unknown>, Record<string, unknown>>);
  const output = (await parser.parseString(text)) as unknown as Record<string, unknown>;
  const items = Array.isArray(output['items']) ? (output['items'] as Record<string, unknown>[]) : [];

  // Markup (Atom xhtml, unescaped HTML) needs the document order xml2js throws away: read it from a
  // cheerio view of the same well-formed text, found by path, only when an item asks for it.
  let markupRoot: XNode | undefined;
  const markupAt = (path: Path): string => {
    // Throws LenientReaderNotLoaded the first time: ingestFeedDocument loads cheerio and maps again.
    markupRoot ??= lenientReader().xmlRoot(text);
    return (markupRoot && walk(markupRoot, path)?.markup()) ?? '';
  };

  const feedPath: Path = detected.dialect === 'atom' ? [] : [['channel', 0]];
  const itemName = detected.dialect === 'atom' ? 'entry' : 'item';
  const itemPrefix: Path = detected.dialect === 'rss' ? [['channel', 0]] : [];
  return {
    feed: xmlNode(detected.dialect === 'atom' ? 'feed' : 'channel', fromRaw(output), feedPath, markupAt),
    items: items.map((item, i) => xmlNode(itemName, fromRaw(item), [...itemPrefix, [itemName, i]], markupAt)),
  };
}

/** Rebuilds an xml2js object from the `raw:` customFields rss-parser copied. */
function fromRaw(record: Record<string, unknown>): XmlObject {
  const node: XmlObject = {};
  for (const [key, value] of Object.entries(record)) {
    if (!key.startsWith(RAW) || value === undefined) continue;
    node[key.slice(RAW.length)] = value;
  }
  return node;
}

function xmlNode(name: string, value: XmlValue, path: Path, markupAt: (path: Path) => string): XNode {
  const obj: XmlObject = typeof value === 'string' ? { _: value } : value;
  const childKeys = () => Object.keys(obj).filter((k) => k !== '_' && k !== ATTRS);
  const node: XNode = {
    name,
    attr: (n) => obj.$?.[n],
    // xml2js merges all text of an element into `_`; children's text follows (order is lost, so
    // mapping reads text() only from elements without children).
    text: () =>
      (obj._ ?? '') +
      childKeys()
        .flatMap((k) => node.children(k))
        .map((c) => c.text())
        .join(''),
    markup: () => (node.hasElements() ? markupAt(path) : escapeText(obj._ ?? '')),
    hasElements: () => childKeys().length > 0,
    children: (child) => {
      const list = obj[child];
      if (!Array.isArray(list)) return [];
      return list.map((v: XmlValue, i) => xmlNode(child, v, [...path, [child, i]], markupAt));
    },
  };
  return node;
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
