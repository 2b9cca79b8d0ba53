// A Markdown article (.md): optional YAML front matter, then Markdown rendered to HTML with marked.
// Raw HTML in the Markdown passes through; normalize sanitizes it like any other content.
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marked } from 'marked';
import { parse as parseYaml } from 'yaml';
import type { FetchedDocument, RawItem, Warning } from '../../types.js';
import { isHttpUrl } from '../../util/url.js';
import { compact, type DocumentResult } from '../document.js';

/** Front matter keys per field, in order of preference (Jekyll, Hugo, Eleventy and Astro spellings). */
export const FRONT_MATTER_KEYS = {
  title: ['title'],
  published: ['date', 'published', 'pubDate', 'publishDate'],
  updated: ['updated', 'lastmod', 'modified'],
  authors: ['authors', 'author'],
  categories: ['tags', 'categories', 'keywords'],
  summary: ['summary', 'description', 'excerpt'],
  image: ['image', 'cover', 'thumbnail'],
  link: ['canonical', 'link', 'url', 'permalink'],
} as const;

const FRONT_MATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

type Json = Record<string, unknown>;

/**
 * Ingests one Markdown article.
 *
 * @example
 * ingestMarkdownArticle({ url: 'file:///notes/a.md', contentType: 'text/markdown', charset: 'utf-8', text }, { sourceId: 'notes' });
 */
export function ingestMarkdownArticle(
  doc: FetchedDocument,
  ctx: { readonly sourceId: string },
): DocumentResult {
  const warnings: Warning[] = [];
  let fm: Json = {};
  let body = doc.text.replace(/^\uFEFF/, '');
  const m = FRONT_MATTER.exec(body);
  if (m) {
    body = body.slice(m[0].length);
    try {
      const parsed: unknown = parseYaml(m[1] ?? '');
      if (isObject(parsed)) fm = parsed;
    } catch (e) {
      warnings.push({
        sourceId: ctx.sourceId,
        code: 'ARTICLE_FRONT_MATTER',
        message: `ingest: ${doc.url}: front matter is not valid YAML, ignored: ${firstLine(e)}`,
      });
    }
  }
  const K = FRONT_MATTER_KEYS;
  let title = pick(fm, K.title, str);
  if (!title) {
    // The first level-1 heading is the title; it leaves the body so it does not show twice.
    const h1 = /^[ \t]{0,3}#[ \t]+(.+?)[ \t#]*$/m.exec(body);
    if (h1 && !/\S/.test(body.slice(0, h1.index).replace(/<!--[\s\S]*?-->/g, ''))) {
      title = h1[1]?.trim();
      body = body.slice(h1.index + h1[0].length);
    }
  }
  title ??= fileTitle(doc.url);
  const link = pick(fm, K.link, str);
  const html = new Marked({ gfm: true, async: false }).parse(body) as string;
  const item: RawItem = compact({
    sourceId: ctx.sourceId,
    baseUrl: publicBase(doc.url, link),
    guid: link ?? doc.url,
    link: link ?? doc.url,
    title,
    html: html.trim() ? html : undefined,
    summary: pick(fm, K.summary, str),
    published: pick(fm, K.published, dateString) ?? doc.modifiedAt?.toISOString(),
    updated: pick(fm, K.updated, dateString),
    authors: pick(fm, K.authors, names) ?? [],
    categories: pick(fm, K.categories, names) ?? [],
    enclosures: [],
    image: pick(fm, K.image, (v) => str(v) ?? (isObject(v) ? (str(v['url']) ?? str(v['src'])) : undefined)),
  });
  return { items: [item], meta: { format: 'article-markdown' }, warnings, recovered: false };
}

/**
 * What the article's relative links and images resolve against: a local file that names its web
 * address in front matter is read as if from there; otherwise the document itself.
 */
function publicBase(docUrl: string, link: string | undefined): string {
  return link && !isHttpUrl(docUrl) && isHttpUrl(link) ? link : docUrl;
}

function pick<T>(fm: Json, keys: readonly string[], read: (v: unknown) => T | undefined): T | undefined {
  for (const key of keys) {
    const v = read(fm[key]);
    if (v !== undefined) return v;
  }
  return undefined;
}

// YAML 1.2 keeps dates as strings; a custom schema or a YAML 1.1 document may give Date objects.
function dateString(v: unknown): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  if (typeof v === 'number') return String(v);
  return str(v);
}

/** A name list from a string ("a, b"), an array, or objects with a name. */
function names(v: unknown): string[] | undefined {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : isObject(v) ? [v] : [];
  const out = list
    .map((x) => (typeof x === 'string' ? x.trim() : isObject(x) ? (str(x['name']) ?? '') : ''))
    .filter(Boolean);
  return out.length > 0 ? [...new Set(out)] : undefined;
}

function fileTitle(url: string): string {
  let path = url;
  try {
    path = url.startsWith('file:') ? fileURLToPath(url) : decodeURIComponent(new URL(url).pathname);
  } catch {
    // keep the URL as it is
  }
  return basename(path, extname(path));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
