// What a page says about its article, from what publishers already write for search engines and
// social cards: JSON-LD first (most deliberate), then Open Graph and Twitter cards, then plain meta
// tags, then the markup itself (<time>, rel=author, a byline). Values are returned as written; dates
// are parsed and canonical URLs cleaned in normalize.
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { isHttpUrl, resolveUrl } from '../../../util/url.js';
import { authorNames, type NameContext } from './authors.js';
import { headlineHeading, siteNameInTitle, withoutSiteName } from './title.js';

/** schema.org types whose JSON-LD describes the article itself. */
export const ARTICLE_LD_TYPES: ReadonlySet<string> = new Set([
  'Article',
  'NewsArticle',
  'BlogPosting',
  'Blog',
  'ReportageNewsArticle',
  'AnalysisNewsArticle',
  'OpinionNewsArticle',
  'BackgroundNewsArticle',
  'ReviewNewsArticle',
  'TechArticle',
  'ScholarlyArticle',
  'SocialMediaPosting',
  'LiveBlogPosting',
  'Report',
]);

/**
 * Meta tags (property, name or itemprop) per field, in order of trust. The title's first key is tried
 * before JSON-LD's headline, the others after it.
 */
export const META_KEYS = {
  title: ['og:title', 'twitter:title', 'dc.title'],
  published: [
    'article:published_time',
    'og:published_time',
    'datepublished',
    'date',
    'dc.date',
    'dc.date.issued',
    'dcterms.created',
    'dcterms.date',
    'pubdate',
    'publishdate',
    'publish-date',
    'sailthru.date',
    'parsely-pub-date',
  ],
  modified: ['article:modified_time', 'og:updated_time', 'datemodified', 'dcterms.modified', 'last-modified'],
  author: ['author', 'article:author', 'dc.creator', 'sailthru.author', 'parsely-author', 'byl'],
  image: ['og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image', 'twitter:image:src'],
  siteName: ['og:site_name', 'application-name', 'twitter:site'],
  description: ['og:description', 'description', 'twitter:description', 'dc.description'],
} as const;

/**
 * Dates marked up in the page body, in order: microdata (`itemprop` on any element: Blogger puts it on
 * an <abbr title>), HTML5 `<time pubdate>`, microformats hAtom (`abbr.published[title]`).
 */
export const DATE_MARKUP = {
  published: ['[itemprop~="datePublished"]', 'time[pubdate]', '.hentry .published, abbr.published'],
  modified: ['[itemprop~="dateModified"]', '.hentry .updated, abbr.updated'],
} as const;

/** Selectors for a byline in the markup, tried when no tag names the author. */
export const BYLINE_SELECTORS: readonly string[] = [
  '[itemprop~="author"] [itemprop="name"]',
  '[itemprop~="author"]',
  '[rel~="author"]',
  '.byline .author',
  '.author-name',
  '.byline',
];

export interface ArticleMetadata {
  readonly title?: string;
  readonly authors: readonly string[];
  readonly published?: string;
  readonly modified?: string;
  /** Absolute when the page has an http(s) URL; as written otherwise. */
  readonly image?: string;
  readonly siteName?: string;
  readonly description?: string;
  /** The page's own canonical URL, tracking parameters still on (normalize removes them). */
  readonly canonical?: string;
  readonly categories: readonly string[];
  readonly language?: string;
}

type Json = Record<string, unknown>;

/**
 * Reads the article's metadata. Call before cleaning: the JSON-LD scripts and meta tags are removed then.
 * `pageUrl` is the document's base URL (its `<base href>` when it has one).
 *
 * @example
 * const meta = readMetadata(cheerio.load(html), 'https://news.example/story');
 * meta.authors; // ['Mia Chen']
 */
export function readMetadata($: CheerioAPI, pageUrl: string): ArticleMetadata {
  const metas = metaTable($);
  const first = (keys: readonly string[]): string | undefined => {
    for (const k of keys) {
      const v = metas.get(k);
      if (v) return v;
    }
    return undefined;
  };
  const ld = articleLd($);
  const base = isHttpUrl(pageUrl) ? pageUrl : undefined;
  const absolute = (u: string | undefined): string | undefined => (base ? (resolveUrl(u, base) ?? u) : u);

  const siteName =
    first(META_KEYS.siteName.slice(0, 1)) ??
    ldName(ld?.json['publisher'], ld) ??
    first(META_KEYS.siteName.slice(1));
  const htmlTitle = text($('title').first().text());
  const headline = str(ld?.json['headline']);
  const heading = headlineHeading($, pageUrl, htmlTitle);
  // Social-card titles often carry the site's name as <title> does: "Story - Site".
  const siteNames = [
    siteName,
    ldName(ld?.json['publisher'], ld),
    ...(ld?.all ?? []).filter((o) => types(o).includes('WebSite')).map((o) => str(o['name'])),
    siteNameInTitle(htmlTitle, [headline, heading], pageUrl),
  ].filter((n): n is string => n !== undefined);
  const names: NameContext = { siteNames, siteNamesBesidePeople: titleParts(htmlTitle) };
  let authors = authorNames(ldNames(ld?.json['author'], ld), names);
  if (authors.length === 0) authors = authorNames([first(META_KEYS.author)], names);
  if (authors.length === 0) authors = bylineAuthors($, names);
  const cardTitle = (keys: readonly string[]): string | undefined => {
    const t = first(keys);
    return t ? withoutSiteName(t, siteNames) : undefined;
  };

  return compactMeta({
    title:
      cardTitle(META_KEYS.title.slice(0, 1)) ??
      headline ??
      cardTitle(META_KEYS.title.slice(1)) ??
      heading ??
      (htmlTitle ? withoutSiteName(htmlTitle, siteNames) : undefined),
    authors,
    published:
      str(ld?.json['datePublished']) ??
      first(META_KEYS.published) ??
      markupDate($, DATE_MARKUP.published) ??
      attr($, 'time[datetime]', 'datetime'),
    modified:
      str(ld?.json['dateModified']) ?? first(META_KEYS.modified) ?? markupDate($, DATE_MARKUP.modified),
    image: absolute(
      first(META_KEYS.image) ?? ldImage(ld?.json['image'], ld) ?? attr($, 'link[rel~="image_src"]', 'href'),
    ),
    siteName,
    description: first(META_KEYS.description) ?? str(ld?.json['description']),
    canonical: absolute(attr($, 'link[rel~="canonical"]', 'href') ?? first(['og:url']) ?? ldUrl(ld?.json)),
    categories: keywords($, ld?.json),
    language: text($('html').attr('lang')),
  });
}

/** All meta tags, keyed by lower-case property, name or itemprop; the first non-empty value wins. */
function metaTable($: CheerioAPI): Map<string, string> {
  const out = new Map<string, string>();
  $('meta').each((_, m) => {
    const content = text(m.attribs['content']);
    if (!content) return;
    for (const attrName of ['property', 'name', 'itemprop']) {
      const key = m.attribs[attrName]?.trim().toLowerCase();
      if (key && !out.has(key)) out.set(key, content);
    }
  });
  return out;
}

interface FoundLd {
  readonly json: Json;
  /** Every object of the page's JSON-LD by @id, to follow references ({"@id": "#author"}). */
  readonly byId: ReadonlyMap<string, Json>;
  /** Every object of the page's JSON-LD, the WebSite and Organization beside the article among them. */
  readonly all: readonly Json[];
}

/** The first JSON-LD object of an article type, looking inside arrays, @graph and mainEntity. */
function articleLd($: CheerioAPI): FoundLd | undefined {
  const found: Json[] = [];
  const byId = new Map<string, Json>();
  const visit = (v: unknown, depth: number): void => {
    if (depth > 8) return;
    if (Array.isArray(v)) for (const x of v) visit(x, depth + 1);
    else if (isObject(v)) {
      found.push(v);
      const id = v['@id'];
      if (typeof id === 'string' && !byId.has(id)) byId.set(id, v);
      for (const key of ['@graph', 'mainEntity', 'mainEntityOfPage']) {
        if (v[key] !== undefined) visit(v[key], depth + 1);
      }
    }
  };
  $('script[type="application/ld+json"]').each((_, el) => {
    try {
      visit(JSON.parse($(el).text()), 0);
    } catch {
      // Broken JSON-LD is common and never fatal: the meta tags remain.
    }
  });
  const json = found.find((o) => types(o).some((t) => ARTICLE_LD_TYPES.has(t)));
  return json ? { json, byId, all: found } : undefined;
}

function types(o: Json): string[] {
  const t = o['@type'];
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string');
}

/** Follows a {"@id": ...} reference to the full object where the page has one. */
function deref(v: unknown, ld: FoundLd | undefined): unknown {
  if (!isObject(v) || ld === undefined) return v;
  const id = v['@id'];
  if (typeof id !== 'string' || v['name'] !== undefined) return v;
  return ld.byId.get(id) ?? v;
}

function ldName(v: unknown, ld: FoundLd | undefined): string | undefined {
  const o = deref(Array.isArray(v) ? v[0] : v, ld);
  if (typeof o === 'string') return text(o);
  return isObject(o) ? str(o['name']) : undefined;
}

/** The raw author entries of JSON-LD: strings as written, objects by their name. */
function ldNames(v: unknown, ld: FoundLd | undefined): (string | undefined)[] {
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.map((a) => {
    const o = deref(a, ld);
    return typeof o === 'string' ? o : ldName(o, ld);
  });
}

function ldImage(v: unknown, ld: FoundLd | undefined): string | undefined {
  if (Array.isArray(v)) return ldImage(v[0], ld);
  // Yoast and Rank Math name the picture by reference: {"@id": ".../#primaryimage"} in the @graph.
  const o = deref(v, ld);
  if (typeof o === 'string') return text(o);
  return isObject(o) ? (str(o['url']) ?? str(o['contentUrl'])) : undefined;
}

function ldUrl(json: Json | undefined): string | undefined {
  if (!json) return undefined;
  const page = json['mainEntityOfPage'];
  return str(json['url']) ?? str(page) ?? (isObject(page) ? str(page['@id']) : undefined);
}

function bylineAuthors($: CheerioAPI, names: NameContext): string[] {
  for (const selector of BYLINE_SELECTORS) {
    const el = $(selector).first();
    const raw = text(el.attr('content') ?? el.text());
    if (!raw || raw.length > 100) continue;
    const found = authorNames([raw], names);
    if (found.length > 0) return found;
  }
  return [];
}

/** The first and last parts of a <title> split at its separators: where a site's name goes. */
function titleParts(title: string | undefined): string[] {
  const parts = title?.split(/\s+[|\-–—:·»]\s+/) ?? [];
  return parts.length > 1 ? [parts[0] ?? '', parts.at(-1) ?? ''] : [];
}

function keywords($: CheerioAPI, ld: Json | undefined): string[] {
  const tags = $('meta[property="article:tag"]')
    .map((_, el) => $(el).attr('content') ?? '')
    .get();
  const kw = ld?.['keywords'];
  if (Array.isArray(kw)) tags.push(...kw.filter((k): k is string => typeof k === 'string'));
  else if (typeof kw === 'string') tags.push(...kw.split(','));
  return unique(tags.map((t) => text(t)));
}

/** A machine-readable date from the first element that has one: `datetime`, `content`, then `title`. */
function markupDate($: CheerioAPI, selectors: readonly string[]): string | undefined {
  for (const selector of selectors) {
    for (const e of $(selector).get() as Element[]) {
      const v = text(e.attribs['datetime'] ?? e.attribs['content'] ?? e.attribs['title']);
      if (v !== undefined) return v;
    }
  }
  return undefined;
}

function attr($: CheerioAPI, selector: string, name: string): string | undefined {
  for (const e of $(selector).get()) {
    const v = text((e as Element).attribs[name]);
    if (v !== undefined) return v;
  }
  return undefined;
}

function unique(list: readonly (string | undefined)[]): string[] {
  return [...new Set(list.filter((n): n is string => n !== undefined))];
}

function text(s: string | undefined): string | undefined {
  const t = s?.replace(/[\s\u00A0]+/g, ' ').trim();
  return t ? t : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? text(v) : undefined;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function compactMeta(m: ArticleMetadata): ArticleMetadata {
  return Object.fromEntries(
    Object.entries(m).filter(([, v]) => v !== undefined),
  ) as unknown as ArticleMetadata;
}
