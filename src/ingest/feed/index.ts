// One feed document -> RawItems. Order: entity safety, format detection, strict parse, and only when
// that fails the lenient reader, which says so with a FEED_RECOVERED warning (feedparser's "bozo").
import { FeedloomError } from '../../errors.js';
import type { FetchedDocument, Warning } from '../../types.js';
import type { DocumentResult } from '../document.js';
import { detectFeed } from './detect.js';
import { ingestJsonFeed } from './json-feed.js';
import { LenientReaderNotLoaded, loadLenientReader } from './lenient-loader.js';
import { mapFeedTree } from './map.js';
import { readStrict } from './rss-parser.js';
import { stripDoctype } from './safety.js';
import { findXmlProblem } from './wellformed.js';
import type { FeedTree } from './xnode.js';

/**
 * Ingests one feed document (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1).
 *
 * @example
 * const { items, meta, recovered } = await ingestFeedDocument(fetched.documents[0], { sourceId: 'wire' });
 */
export async function ingestFeedDocument(
  doc: FetchedDocument,
  ctx: { readonly sourceId: string },
): Promise<DocumentResult> {
  const url = doc.url;
  // Before anything parses: DOCTYPE entities are refused, a plain DOCTYPE is dropped.
  const text = stripDoctype(doc.text, url);
  const detected = detectFeed(text, url);
  if (detected.dialect === 'json') return ingestJsonFeed(detected.json, detected.format, { ...ctx, url });

  const mapCtx = { sourceId: ctx.sourceId, url, format: detected.format };
  const malformed = findXmlProblem(text);
  let problem = malformed && `not well-formed XML: ${malformed}`;
  if (!problem) {
    try {
      const tree = await readStrict(text, detected);
      return { ...(await mapLoadingMarkup(tree, mapCtx)), warnings: [], recovered: false };
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
 * Maps a strictly parsed tree. Items with markup (Atom xhtml, unescaped HTML) are read from a cheerio
 * view, which loads on the first such item; mapping is pure, so it simply runs again once it has.
 */
async function mapLoadingMarkup(
  tree: FeedTree,
  ctx: Parameters<typeof mapFeedTree>[1],
): Promise<ReturnType<typeof mapFeedTree>> {
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
  // rss-parser turns Atom dates with `new Date(s).toISOString()`, which throws on a date it cannot read.
  if (message === 'Invalid time value') return 'rss-parser rejects an Atom date it cannot read';
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
