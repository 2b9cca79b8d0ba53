// One article page (an .html file or a remote article URL) -> one RawItem, through the extractor in
// ./extract/: metadata from JSON-LD, Open Graph and meta tags, the body found by a readability-style
// score after page furniture is removed.
import type { FetchedDocument, RawItem, Warning } from '../../types.js';
import { compact, type DocumentResult } from '../document.js';
import { extractArticle } from './extract/index.js';

/** Marks of a page whose HTML is an empty shell that scripts fill in, by the framework that wrote it. */
export const SCRIPT_RENDERED_MARKERS: readonly (readonly [string, RegExp])[] = [
  ['Next.js', /<script[^>]+id=["']?__NEXT_DATA__|<div[^>]+id=["']?__next\b/i],
  ['Nuxt', /window\.__NUXT__|<div[^>]+id=["']?__nuxt\b/i],
  ['Gatsby', /<div[^>]+id=["']?___gatsby\b/i],
  ['a single-page app', /<div[^>]+id=["']?(?:root|app)["']?[^>]*>\s*<\/div>/i],
];
/** Less story text than this on a page with such a mark is a loading placeholder, not a story. */
const SHELL_TEXT_MAX = 40;

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
    warnings: noTextWarning(doc, a.text, ctx.sourceId),
    recovered: false,
  };
}

/**
 * Says so when the page gave no story text: a page rendered by scripts (Next.js and the like) ships
 * its story in a script, which an HTML reader does not run. The item still carries the metadata.
 */
function noTextWarning(doc: FetchedDocument, text: string, sourceId: string): Warning[] {
  const framework = SCRIPT_RENDERED_MARKERS.find(([, re]) => re.test(doc.text))?.[0];
  const chars = text.trim().length;
  if (chars > 0 && (framework === undefined || chars >= SHELL_TEXT_MAX)) return [];
  const by = framework ? ` (it looks built with ${framework})` : '';
  return [
    {
      sourceId,
      code: 'ARTICLE_NO_TEXT',
      message: `ingest: ${doc.url}: no article text found; the page may be rendered by JavaScript${by}, so only its title and metadata are kept`,
    },
  ];
}
