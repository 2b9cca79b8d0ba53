// One article page (an .html file or a remote article URL) -> one RawItem, through the extractor in
// ./extract/: metadata from JSON-LD, Open Graph and meta tags, the body found by a readability-style
// score after page furniture is removed.
import type { FetchedDocument, RawItem } from '../../types.js';
import { compact, type DocumentResult } from '../document.js';
import { extractArticle } from './extract/index.js';

/**
 * Ingests one HTML article.
 *
 * @example
 * const { items: [item] } = ingestHtmlArticle(doc, { sourceId: 'local' });
 */
export function ingestHtmlArticle(doc: FetchedDocument, ctx: { readonly sourceId: string }): DocumentResult {
  const a = extractArticle(doc.text, doc.url);
  // The canonical URL goes out as written; normalize strips its tracking parameters.
  const link = a.canonical ?? doc.url;
  const item: RawItem = compact({
    sourceId: ctx.sourceId,
    baseUrl: a.base,
    guid: link,
    link,
    title: a.title,
    html: a.html.trim() ? a.html : undefined,
    summary: a.description,
    published: a.published ?? doc.modifiedAt?.toISOString(),
    updated: a.modified,
    authors: [...a.authors],
    categories: [...a.categories],
    enclosures: [],
    image: a.image,
    publisher: a.siteName,
  });
  return {
    items: [item],
    meta: compact({ title: a.siteName, format: 'article-html' }),
    warnings: [],
    recovered: false,
  };
}
