// A `page` source: a list page read with CSS selectors. Deliberately small for now (a later issue
// deepens it): one RawItem per `select.item` match, values read raw; normalize resolves and cleans.

import type { Cheerio } from 'cheerio';
import * as cheerio from 'cheerio';
import type { AnyNode } from 'domhandler';
import { FeedloomError } from '../errors.js';
import type { FetchedDocument, PageSelectors, RawItem } from '../types.js';
import { compact, type DocumentResult } from './document.js';

/**
 * Ingests one HTML list page with the source's selectors. `sel@attr` reads an attribute; `@attr`
 * alone reads it from the item element itself.
 *
 * @example
 * ingestPageDocument(doc, { sourceId: 'blog', select: { item: 'article', title: 'h2', link: 'h2 a@href' } });
 */
export function ingestPageDocument(
  doc: FetchedDocument,
  ctx: { readonly sourceId: string; readonly select: PageSelectors },
): DocumentResult {
  const $ = cheerio.load(doc.text, { baseURI: doc.url });
  const { select } = ctx;
  let nodes: Cheerio<AnyNode>;
  try {
    nodes = $(select.item);
  } catch (e) {
    throw new FeedloomError(
      'PARSE_ARTICLE',
      `ingest: ${doc.url}: select.item ${JSON.stringify(select.item)} is not a valid CSS selector: fix it in sources.json`,
      { cause: e },
    );
  }
  const items: RawItem[] = nodes.get().map((el) => {
    const item = $(el);
    const read = (spec: string | undefined): string | undefined => {
      if (!spec) return undefined;
      const at = spec.lastIndexOf('@');
      const selector = (at >= 0 ? spec.slice(0, at) : spec).trim();
      const attr = at >= 0 ? spec.slice(at + 1).trim() : undefined;
      const target = selector ? item.find(selector).first() : item;
      if (target.length === 0) return undefined;
      const value = attr ? target.attr(attr) : target.text();
      return value?.trim() ? value.trim() : undefined;
    };
    const link = read(select.link.includes('@') ? select.link : `${select.link}@href`) ?? read(select.link);
    const author = read(select.author);
    const image = select.image;
    return compact({
      sourceId: ctx.sourceId,
      baseUrl: doc.url,
      guid: link,
      link,
      title: read(select.title),
      summary: read(select.summary),
      published: read(select.date),
      authors: author ? [author] : [],
      categories: [],
      enclosures: [],
      image: image ? (read(image.includes('@') ? image : `${image}@src`) ?? read(image)) : undefined,
    });
  });
  const title = $('title').first().text().trim();
  return {
    items,
    meta: compact({ title: title || undefined, link: doc.url, format: 'html-page' }),
    warnings: [],
    recovered: false,
  };
}
