// The strict reader: rss-parser (xml2js over sax in strict mode). This is the only file that knows
// rss-parser's shapes. rss-parser's own fields lose things we need (mixed content order, xml:base,
// Atom link rels, raw date strings: its isoDate is `new Date(s)` with errors swallowed), so it is asked
// via customFields for the raw xml2js nodes of the elements in elements.ts, which become XNodes.
import Parser from 'rss-parser';
import { escapeText } from '../../util/text.js';
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

const ITEM_RAW_FIELDS = [...ALL_ITEM_ELEMENTS, ATTRS];

/**
 * rss-parser, with items reduced to the raw nodes this reader asks for. Its own item fields are never
 * read here (see the top of this file), and making them was a fifth of the parse: a text snippet of
 * every item's content (a regex pass and an entity decode of the whole HTML), xhtml serialized back
 * to a string, ISO dates. Its Atom dates also threw on a date it cannot read ("Invalid time value"),
 * failing a well-formed feed over a date normalize reads or replaces anyway. The feed level is left
 * as it is: once per document, it costs nothing.
 */
class RawItemParser extends Parser<Record<string, unknown>, Record<string, unknown>> {
  parseItemRss(xmlItem: Record<string, unknown>): Record<string, unknown> {
    return rawItem(xmlItem);
  }

  parseItemAtom(entry: Record<string, unknown>): Record<string, unknown> {
    return rawItem(entry);
  }
}

/** What rss-parser's customFields copy would give for our `raw:` fields: the arrays as they are. */
function rawItem(xml: Record<string, unknown>): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const name of ITEM_RAW_FIELDS) if (xml[name] !== undefined) item[RAW + name] = xml[name];
  return item;
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
  const parser = new RawItemParser({
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
    feed: new XmlNode(
      detected.dialect === 'atom' ? 'feed' : 'channel',
      fromRaw(output),
      { path: feedPath },
      markupAt,
    ),
    items: items.map(
      (item, i) => new XmlNode(itemName, fromRaw(item), { path: [...itemPrefix, [itemName, i]] }, markupAt),
    ),
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

/** Where a node sits: a path from the document root for the feed and its items, else its parent. */
type Place = { readonly path: Path } | { readonly parent: XmlNode; readonly index: number };

/**
 * An XNode over an xml2js object. A class, not an object of closures: mapping makes one per element
 * it looks at, and six closures and a copied path each were most of what mapping a feed allocated.
 * The path (for markup, read from the cheerio view) is worked out only when markup is asked for.
 */
class XmlNode implements XNode {
  readonly name: string;
  readonly #obj: XmlObject;
  readonly #place: Place;
  readonly #markupAt: (path: Path) => string;

  constructor(name: string, value: XmlValue, place: Place, markupAt: (path: Path) => string) {
    this.name = name;
    this.#obj = typeof value === 'string' ? { _: value } : value;
    this.#place = place;
    this.#markupAt = markupAt;
  }

  attr(name: string): string | undefined {
    return this.#obj.$?.[name];
  }

  // xml2js merges all text of an element into `_`; children's text follows (order is lost, so mapping
  // reads text() only from elements without children).
  text(): string {
    let out = this.#obj._ ?? '';
    for (const key of this.#childKeys()) for (const child of this.children(key)) out += child.text();
    return out;
  }

  markup(): string {
    return this.hasElements() ? this.#markupAt(this.#path()) : escapeText(this.#obj._ ?? '');
  }

  hasElements(): boolean {
    for (const key in this.#obj) if (key !== '_' && key !== ATTRS) return true;
    return false;
  }

  children(child: string): readonly XNode[] {
    const list = this.#obj[child];
    if (!Array.isArray(list)) return [];
    return list.map((v: XmlValue, index) => new XmlNode(child, v, { parent: this, index }, this.#markupAt));
  }

  #childKeys(): string[] {
    return Object.keys(this.#obj).filter((k) => k !== '_' && k !== ATTRS);
  }

  #path(): Path {
    const place = this.#place;
    if ('path' in place) return place.path;
    return [...place.parent.#path(), [this.name, place.index]];
  }
}
