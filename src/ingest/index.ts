// The ingest stage: Fetched -> Ingested. One adapter per source kind; every document of the fetch is
// read (an article folder has many), items are capped at source.maxItems in document order.
import { describeError } from '../errors.js';
import type { Fetched, FetchedDocument, Ingested, RawItem, Source, SourceMeta, Warning } from '../types.js';
import type { DocumentResult } from './document.js';
import { ingestFeedDocument } from './feed/index.js';

// Articles and pages are read with cheerio (and articles with marked), which is a quarter of a
// content worker's start-up: they load when a source of their kind is first read, so a run of feeds
// never loads them. The page helpers (listings, next page) are imported from ./page/index.js.
const loadArticles = () => import('./article/index.js');
const loadPages = () => import('./page/index.js');

export interface IngestContext {
  now(): Date;
  /** Raw hashes stored for the source: feeds cut these items out before parsing them. */
  readonly known?: ReadonlySet<string>;
}

/**
 * Reads what a source said into RawItems: strings untouched, only the base URL computed.
 * Throws FeedloomError (PARSE_*) when nothing usable can be read.
 *
 * @example
 * const { items, meta, warnings, recovered } = await ingest(fetched, { now: () => new Date() });
 */
export async function ingest(
  fetched: Extract<Fetched, { status: 'ok' }>,
  ctx: IngestContext,
): Promise<Ingested> {
  const { source, documents } = fetched;
  const results: DocumentResult[] = [];
  const warnings: Warning[] = [];
  let firstError: unknown;
  for (const doc of documents) {
    try {
      results.push(await ingestDocument(source, doc, ctx));
    } catch (e) {
      // In a folder one unreadable file is a warning; a source whose every document fails is an error.
      if (documents.length === 1) throw e;
      firstError ??= e;
      const { code, message } = describeError(e);
      warnings.push({ sourceId: source.id, code: 'DOCUMENT_SKIPPED', message: `${code}: ${message}` });
    }
  }
  if (results.length === 0 && firstError !== undefined) throw firstError;

  let items: RawItem[] = results.flatMap((r) => r.items);
  warnings.unshift(...results.flatMap((r) => r.warnings));
  if (items.length > source.maxItems) {
    warnings.push({
      sourceId: source.id,
      code: 'MAX_ITEMS',
      message: `ingest: ${fetched.url}: ${items.length} items, kept the first ${source.maxItems} (maxItems)`,
    });
    items = items.slice(0, source.maxItems);
  }
  const unchanged = results.flatMap((r) => r.unchanged ?? []);
  return {
    items,
    meta: mergeMeta(source, results),
    warnings,
    recovered: results.some((r) => r.recovered),
    ...(unchanged.length > 0 ? { unchanged } : {}),
  };
}

async function ingestDocument(
  source: Source,
  doc: FetchedDocument,
  { now, known }: IngestContext,
): Promise<DocumentResult> {
  const ctx = { sourceId: source.id };
  switch (source.kind) {
    case 'feed':
      return ingestFeedDocument(doc, { ...ctx, maxItems: source.maxItems, ...(known ? { known } : {}) });
    case 'article':
      return (await loadArticles()).ingestArticleDocument(doc, ctx);
    case 'page':
      return (await loadPages()).ingestPageDocument(doc, {
        ...ctx,
        now,
        ...(source.select ? { select: source.select } : {}),
      });
  }
}

// Several documents (an article folder): the first one speaks for the source; formats are listed.
function mergeMeta(source: Source, results: readonly DocumentResult[]): SourceMeta {
  const first = results[0]?.meta;
  const formats = [...new Set(results.map((r) => r.meta.format))];
  return { ...first, format: formats.length > 0 ? formats.join('+') : source.kind };
}
