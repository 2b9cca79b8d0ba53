// One feed document -> RawItems. Order: entity safety, format detection, strict parse, and only when
// that fails the lenient reader, which says so with a FEED_RECOVERED warning (feedparser's "bozo").
import { FeedloomError } from '../../errors.js';
import type { FetchedDocument, RawItem, Warning } from '../../types.js';
import type { DocumentResult } from '../document.js';
import { type Detected, detectFeed } from './detect.js';
import { itemSpans } from './item-spans.js';
import { ingestJsonFeed } from './json-feed.js';
import { chunkHash, contextHash, cutKnownItems, feedItemHash, type KnownCut } from './known-items.js';
import { LenientReaderNotLoaded, loadLenientReader } from './lenient-loader.js';
import { itemContext, mapFeedTree } from './map.js';
import { readStrict } from './rss-parser.js';
import { stripDoctype } from './safety.js';
import { findXmlProblem } from './wellformed.js';
import type { FeedTree } from './xnode.js';

export interface FeedReadContext {
  readonly sourceId: string;
  /** Raw hashes stored for the source: items among them are cut out before parsing. */
  readonly known?: ReadonlySet<string>;
  /** The source's maxItems: a longer feed is read whole, so that the cap counts every item. */
  readonly maxItems?: number;
}

type MapContext = Parameters<typeof mapFeedTree>[1];

/**
 * Ingests one feed document (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1). Items of a
 * well-formed XML feed carry their raw hash (known-items.ts); known ones are cut out before parsing
 * and listed in `unchanged`.
 *
 * @example
 * const { items, meta, recovered } = await ingestFeedDocument(fetched.documents[0], { sourceId: 'wire' });
 */
export async function ingestFeedDocument(
  doc: FetchedDocument,
  ctx: FeedReadContext,
): Promise<DocumentResult> {
  const url = doc.url;
  // Before anything parses: DOCTYPE entities are refused, a plain DOCTYPE is dropped.
  const text = stripDoctype(doc.text, url);
  const detected = detectFeed(text, url);
  if (detected.dialect === 'json') {
    return ingestJsonFeed(detected.json, detected.format, { sourceId: ctx.sourceId, url });
  }

  const mapCtx = { sourceId: ctx.sourceId, url, format: detected.format };
  const spans = itemSpans(text, detected.dialect);
  const hashes = spans?.map((s) => chunkHash(text.slice(s.start, s.end)));
  if (spans && hashes && ctx.known && spans.length <= (ctx.maxItems ?? Number.POSITIVE_INFINITY)) {
    const cut = cutKnownItems(text, spans, hashes, ctx.known);
    const read = cut && (await readAfterCut(cut, detected, mapCtx, ctx.known));
    if (read) return read;
  }

  const malformed = findXmlProblem(text);
  let problem = malformed && `not well-formed XML: ${malformed}`;
  if (!problem) {
    try {
      const tree = await readStrict(text, detected);
      const mapped = await mapLoadingMarkup(tree, mapCtx);
      // The parser's items are elements the scan found too, in the same order: equal counts mean
      // the same elements, one for one.
      if (hashes?.length !== mapped.items.length) return { ...mapped, warnings: [], recovered: false };
      const context = contextHash(itemContext(tree, mapCtx));
      return { ...withRawHashes(mapped, hashes, context), warnings: [], recovered: false };
    } catch (e) {
      problem = strictFailure(e);
    }
  }

  const { readLenient, repairXml } = await loadLenientReader();
  const repaired = repairXml(text);
  const tree: FeedTree | undefined = readLenient(repaired.text, detected);
  if (!tree || (tree.items.length === 0 && !hasEmptyItemList(repaired.text))) {
    throw new FeedloomError(
      'PARSE_FEED',
      `ingest: ${url}: ${problem}; and no items could be recovered: ` +
        'check the feed with an XML validator',
    );
  }
  const mapped = mapFeedTree(tree, mapCtx);
  const fixed = repaired.fixes.length > 0 ? `; repaired: ${repaired.fixes.join(', ')}` : '';
  const warning: Warning = {
    sourceId: ctx.sourceId,
    code: 'FEED_RECOVERED',
    message: `ingest: ${url}: ${problem}; recovered ${mapped.items.length} items leniently${fixed}`,
  };
  return { ...mapped, warnings: [warning], recovered: true };
}

/**
 * The document with its known items cut out, read strictly. Undefined, and the whole document is
 * read instead, when that text does not parse, when the items do not line up with the scan, or when
 * the feed's context changed so that a cut item would now map differently.
 */
async function readAfterCut(
  cut: KnownCut,
  detected: Detected,
  mapCtx: MapContext,
  known: ReadonlySet<string>,
): Promise<DocumentResult | undefined> {
  if (findXmlProblem(cut.text)) return undefined;
  let tree: FeedTree;
  try {
    tree = await readStrict(cut.text, detected);
  } catch {
    return undefined;
  }
  if (tree.items.length !== cut.kept.length) return undefined;
  const context = contextHash(itemContext(tree, mapCtx));
  const unchanged = cut.cut.map((h) => feedItemHash(h, context));
  if (!unchanged.every((h) => known.has(h))) return undefined;
  const mapped = await mapLoadingMarkup(tree, mapCtx);
  return { ...withRawHashes(mapped, cut.kept, context), warnings: [], recovered: false, unchanged };
}

function withRawHashes<T extends { items: RawItem[] }>(
  mapped: T,
  hashes: readonly string[],
  context: string,
): T {
  return {
    ...mapped,
    items: mapped.items.map((item, i) => ({ ...item, rawHash: feedItemHash(hashes[i] ?? '', context) })),
  };
}

/**
 * Maps a strictly parsed tree. Items with markup (Atom xhtml, unescaped HTML) are read from a cheerio
 * view, which loads on the first such item; mapping is pure, so it simply runs again once it has.
 */
async function mapLoadingMarkup(tree: FeedTree, ctx: MapContext): Promise<ReturnType<typeof mapFeedTree>> {
  try {
    return mapFeedTree(tree, ctx);
  } catch (e) {
    if (!(e instanceof LenientReaderNotLoaded)) throw e;
    await loadLenientReader();
    return mapFeedTree(tree, ctx);
  }
}

// A broken feed that really has no items still deserves its warning rather than an error.
function hasEmptyItemList(text: string): boolean {
  return !/<(?:item|entry)[\s>/]/.test(text);
}

/** xml2js messages span lines ("Unexpected close tag\nLine: 3\nColumn: 9\nChar: >"). */
function strictFailure(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return `not well-formed XML: ${oneLine(message)}`;
}

// sax counts lines from 0; people count from 1.
function oneLine(message: string): string {
  return message
    .replace(
      /\s*Line: (\d+)\s*Column: (\d+)\s*Char: ?(.*)/,
      (_, line: string, column: string, char: string) =>
        ` at line ${Number(line) + 1}, column ${column}${char ? ` (at ${JSON.stringify(char)})` : ''}`,
    )
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(', ');
}
