// One article page (an .html file or a remote article URL) -> one RawItem. Metadata comes from what
// publishers already provide for search engines and social cards (JSON-LD, Open Graph, meta tags),
// the body from the page's own landmarks, else from a small paragraph-density score.

import type { CheerioAPI } from 'cheerio';
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import type { FetchedDocument, RawItem } from '../../types.js';
import { compact, type DocumentResult } from '../document.js';

/** schema.org types whose JSON-LD describes the article itself. */
export const ARTICLE_LD_TYPES: ReadonlySet<string> = new Set([
  'Article',
  'NewsArticle',
  'BlogPosting',
  'ReportageNewsArticle',
  'AnalysisNewsArticle',
  'OpinionNewsArticle',
  'TechArticle',
  'ScholarlyArticle',
  'LiveBlogPosting',
]);

/** Meta tags that carry the publication date, in order of trust. */
export const DATE_META: readonly string[] = [
  'article:published_time',
  'og:published_time',
  'date',
  'dc.date',
  'dc.date.issued',
  'dcterms.created',
  'pubdate',
  'publishdate',
];
export const UPDATED_META: readonly string[] = [
  'article:modified_time',
  'og:updated_time',
  'dcterms.modified',
];

/** Where the body is, in order: the page's own landmarks before any guessing. */
export const BODY_LANDMARKS: readonly string[] = ['article', 'main', '[role=main]'];

type Json = Record<string, unknown>;

/**
 * Ingests one HTML article.
 *
 * @example
 * const { items: [item] } = ingestHtmlArticle(doc, { sourceId: 'local' });
 */
export function ingestHtmlArticle(doc: FetchedDocument, ctx: { readonly sourceId: string }): DocumentResult {
  const $ = cheerio.load(doc.text);
  const ld = articleLd($);
  const siteName = meta($, 'og:site_name') ?? name(ld?.['publisher']);
  const link = attr($, 'link[rel~=canonical]', 'href') ?? meta($, 'og:url');
  const body = bodyOf($);
  const authors = ldNames(ld?.['author']);
  if (authors.length === 0) {
    const fromMeta = meta($, 'author') ?? text($('[rel~=author]').first().text());
    if (fromMeta) authors.push(fromMeta);
  }
  const item: RawItem = compact({
    sourceId: ctx.sourceId,
    baseUrl: doc.url,
    guid: link ?? doc.url,
    link: link ?? doc.url,
    title: titleOf($, siteName),
    html: body ? ($(body).html() ?? undefined) : undefined,
    summary: meta($, 'og:description') ?? meta($, 'description'),
    published:
      str(ld?.['datePublished']) ??
      firstMeta($, DATE_META) ??
      attr($, 'time[datetime]', 'datetime') ??
      doc.modifiedAt?.toISOString(),
    updated: str(ld?.['dateModified']) ?? firstMeta($, UPDATED_META),
    authors,
    categories: keywords($, ld),
    enclosures: [],
    image: meta($, 'og:image') ?? ldImage(ld?.['image']),
    publisher: siteName,
  });
  return {
    items: [item],
    meta: compact({ title: siteName, format: 'article-html' }),
    warnings: [],
    recovered: false,
  };
}

function titleOf($: CheerioAPI, siteName: string | undefined): string | undefined {
  const og = meta($, 'og:title');
  if (og) return og;
  const h1 = text($('h1').first().text());
  if (h1) return h1;
  const title = text($('title').first().text());
  if (!title || !siteName) return title;
  // "Story | Site" / "Story - Site": the site name is not part of the story's title.
  const m = /^(.*\S)\s+[|\-–—:·]\s+(.+)$/.exec(title);
  return m?.[1] && m[2]?.trim().toLowerCase() === siteName.toLowerCase() ? m[1] : title;
}

function bodyOf($: CheerioAPI): Element | undefined {
  for (const selector of BODY_LANDMARKS) {
    const found = $(selector).get();
    // Several <article>s mean a list (teasers): let the score choose instead.
    const only = found.length === 1 ? found[0] : undefined;
    if (only?.type === 'tag') return only;
  }
  let best: Element | undefined;
  let bestScore = 0;
  $('p')
    .parent()
    .each((_, el) => {
      const node = $(el);
      const paragraphs = node.children('p').text().trim().length;
      const all = node.text().length || 1;
      const links = node.find('a').text().length;
      // Paragraph text, discounted by link density: menus and link lists are mostly links.
      const score = paragraphs * (1 - Math.min(1, links / all));
      if (score > bestScore) [best, bestScore] = [el, score];
    });
  return (
    best ??
    $('body')
      .get()
      .find((el): el is Element => el.type === 'tag')
  );
}

/** The first JSON-LD object of an article type, looking inside arrays and @graph. */
function articleLd($: CheerioAPI): Json | undefined {
  const found: Json[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v)) {
      found.push(v);
      if (v['@graph'] !== undefined) visit(v['@graph']);
    }
  };
  $('script[type="application/ld+json"]').each((_, el) => {
    try {
      visit(JSON.parse($(el).text()));
    } catch {
      // Broken JSON-LD is common and never fatal: the meta tags remain.
    }
  });
  return found.find((o) => {
    const type = o['@type'];
    return (Array.isArray(type) ? type : [type]).some(
      (t) => typeof t === 'string' && ARTICLE_LD_TYPES.has(t),
    );
  });
}

function ldNames(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  const names = list.map((a) => (typeof a === 'string' ? text(a) : name(a)));
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

function ldImage(v: unknown): string | undefined {
  if (Array.isArray(v)) return ldImage(v[0]);
  if (typeof v === 'string') return text(v);
  return isObject(v) ? str(v['url']) : undefined;
}

function keywords($: CheerioAPI, ld: Json | undefined): string[] {
  const tags = $('meta[property="article:tag"]')
    .map((_, el) => $(el).attr('content') ?? '')
    .get();
  const kw = ld?.['keywords'];
  if (Array.isArray(kw)) tags.push(...kw.filter((k): k is string => typeof k === 'string'));
  else if (typeof kw === 'string') tags.push(...kw.split(','));
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))];
}

function name(v: unknown): string | undefined {
  return isObject(v) ? str(v['name']) : undefined;
}

/** A meta tag by property or name, case-insensitively (publishers write DC.date and dc.date). */
function meta($: CheerioAPI, key: string): string | undefined {
  const wanted = key.toLowerCase();
  const el = $('meta')
    .get()
    .find((m) => {
      const k = (m.attribs['property'] ?? m.attribs['name'] ?? m.attribs['itemprop'] ?? '').toLowerCase();
      return k === wanted && (m.attribs['content'] ?? '').trim() !== '';
    });
  return el ? text(el.attribs['content']) : undefined;
}

function firstMeta($: CheerioAPI, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const v = meta($, key);
    if (v) return v;
  }
  return undefined;
}

function attr($: CheerioAPI, selector: string, name: string): string | undefined {
  return text($(selector).first().attr(name));
}

function text(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? text(v) : undefined;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
