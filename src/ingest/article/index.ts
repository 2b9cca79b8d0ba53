// Chooses the article reader for one document: by the file extension, else (a remote article URL
// without one) by the content type, else HTML.
import type { FetchedDocument } from '../../types.js';
import type { DocumentResult } from '../document.js';
import { ingestHtmlArticle } from './html.js';
import { ingestMarkdownArticle } from './markdown.js';
import { ingestTextArticle } from './text.js';

type Reader = (doc: FetchedDocument, ctx: { readonly sourceId: string }) => DocumentResult;

export const ARTICLE_EXTENSIONS: Readonly<Record<string, Reader>> = {
  '.html': ingestHtmlArticle,
  '.htm': ingestHtmlArticle,
  '.xhtml': ingestHtmlArticle,
  '.txt': ingestTextArticle,
  '.text': ingestTextArticle,
  '.md': ingestMarkdownArticle,
  '.markdown': ingestMarkdownArticle,
};

export const ARTICLE_CONTENT_TYPES: Readonly<Record<string, Reader>> = {
  'text/plain': ingestTextArticle,
  'text/markdown': ingestMarkdownArticle,
  'text/x-markdown': ingestMarkdownArticle,
};

/**
 * Ingests one article document (.html, .txt, .md) into one RawItem.
 *
 * @example
 * ingestArticleDocument(fetched.documents[0], { sourceId: 'local' }).items[0]?.title;
 */
export function ingestArticleDocument(
  doc: FetchedDocument,
  ctx: { readonly sourceId: string },
): DocumentResult {
  return readerFor(doc)(doc, ctx);
}

function readerFor(doc: FetchedDocument): Reader {
  let url: URL | undefined;
  try {
    url = new URL(doc.url);
  } catch {
    url = undefined;
  }
  const type = doc.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  // A server that says HTML or Markdown means it (a .md path on a code host is an HTML page); a
  // text/plain or octet-stream label is too vague to beat the file's extension.
  if (url && url.protocol !== 'file:') {
    if (type === 'text/html' || type === 'application/xhtml+xml') return ingestHtmlArticle;
    if (type.includes('markdown')) return ingestMarkdownArticle;
  }
  const ext = /\.[a-z]+$/.exec((url?.pathname ?? doc.url).toLowerCase())?.[0];
  return (ext ? ARTICLE_EXTENSIONS[ext] : undefined) ?? ARTICLE_CONTENT_TYPES[type] ?? ingestHtmlArticle;
}
