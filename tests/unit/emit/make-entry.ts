// Hand-built sample entries and contexts for the emit tests, including hostile ones.
import { createRequire } from 'node:module';
import type { EmitContext } from '../../../src/emit/index.js';
import type { AlsoFrom, Entry, Item, OutputConfig, SiteConfig } from '../../../src/types.js';

export const T0 = new Date('2026-01-05T10:00:00Z');

export function makeItem(over: Partial<Item> = {}): Item {
  return {
    key: 'key-1',
    sourceId: 'wire',
    link: 'https://wire.example.com/world/story-1',
    title: 'Quiet storm over the harbour',
    contentHtml: '<p>The harbour was quiet.</p>',
    summary: 'The harbour was quiet.',
    published: T0,
    publishedGuessed: false,
    authors: ['Ann Reporter'],
    tags: ['world'],
    enclosures: [],
    contentHash: 'hash-1',
    fingerprint: 'fp-1',
    ...over,
  };
}

export function makeEntry(over: Partial<Omit<Entry, 'item'>> & { item?: Partial<Item> } = {}): Entry {
  const { item, ...rest } = over;
  return {
    entryId: 'entry-1',
    sourceTitle: 'Wire Service',
    alsoFrom: [],
    firstSeen: T0,
    ...rest,
    item: makeItem(item),
  };
}

export function also(sourceId: string, sourceTitle: string, link: string): AlsoFrom {
  return { sourceId, sourceTitle, link, title: `${sourceTitle} headline` };
}

export function makeOutput(over: Partial<OutputConfig> = {}): OutputConfig {
  return {
    name: 'all',
    limit: 100,
    tags: [],
    sources: [],
    formats: ['rss', 'atom', 'json'],
    near: true,
    perSource: false,
    ...over,
  };
}

export const SITE: SiteConfig = {
  title: 'World Desk',
  description: 'Every wire, once.',
  url: 'https://news.example.org/',
  feedBase: 'https://news.example.org/feeds/',
  language: 'en',
};

export function makeContext(over: Partial<EmitContext> = {}): EmitContext {
  return {
    site: SITE,
    output: makeOutput(),
    sources: [
      { id: 'wire', title: 'Wire Service', kind: 'feed', url: 'https://wire.example.com/rss.xml' },
      { id: 'daily', title: 'The Daily', kind: 'feed', url: 'https://daily.example.net/atom.xml' },
      { id: 'blog', title: 'A Blog', kind: 'page', url: 'https://blog.example/news' },
    ],
    now: new Date('2026-01-06T00:00:00Z'),
    prefix: '',
    generator: 'feedloom/0.1.0',
    ...over,
  };
}

/** Every C0 control character, U+0000 to U+001F. */
export const C0 = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('');

/** Strings that broke, or could break, a feed writer. Each expects a specific round-trip. */
export const HOSTILE = {
  twoCdataEnds: 'one ]]> two ]]> three ]]>',
  literalAmp: 'Tom &amp; Jerry & friends &lt;3',
  controls: `a${C0}b\uFFFE\uFFFF\uD800c`,
  rtl: 'مرحبا بالعالم — שלום עולם \u202Eevil\u202C',
  emoji: 'Launch 🚀 family 👩‍👩‍👧 flag 🇺🇦 astral 𝕏',
  markup: '<script>alert("x")</script> <b>bold</b> "quotes" \'apos\'',
} as const;

/** What `controls` becomes: the XML-illegal characters gone, tab and LF kept, CR turned into LF. */
export const CONTROLS_CLEAN = 'a\t\n\nbc';

const require = createRequire(import.meta.url);
// xml2js comes with rss-parser. Its sax parser in strict mode rejects malformed markup and unknown
// entities, but not illegal characters: xmllint (tools.ts) is the strict well-formedness check.
const xml2js = require('xml2js') as {
  parseStringPromise(xml: string, opts: Record<string, unknown>): Promise<unknown>;
};

/** A parsed XML node: attributes under `$`, text under `_`, children as arrays. */
export interface XNode {
  readonly $?: Record<string, string>;
  readonly _?: string;
  readonly [child: string]: XNode[] | Record<string, string> | string | undefined;
}

export async function parseXml(xml: string): Promise<XNode> {
  return (await xml2js.parseStringPromise(xml, {
    strict: true,
    explicitCharkey: true,
    explicitArray: true,
    trim: false,
    normalize: false,
  })) as XNode;
}

/** The children named `name` (namespace prefix included, as written). */
export function kids(node: XNode | undefined, name: string): XNode[] {
  const v = node?.[name];
  // xml2js gives the root element as an object, every other child as an array.
  return Array.isArray(v) ? v : v && typeof v === 'object' ? [v as XNode] : [];
}

export function kid(node: XNode | undefined, name: string): XNode | undefined {
  return kids(node, name)[0];
}

/** Text of a node ('' when empty). */
export function textOf(node: XNode | undefined): string {
  return node?._ ?? '';
}

/** Decodes the five XML/HTML entities and numeric references: what a reader does to type="html". */
export function decodeHtmlEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&(lt|gt|quot|apos|amp);/g, (_, n: string) =>
      n === 'lt' ? '<' : n === 'gt' ? '>' : n === 'quot' ? '"' : n === 'apos' ? "'" : '&',
    );
}
