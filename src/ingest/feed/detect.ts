// Feed format from the content alone: servers label feeds text/html, text/plain or
// application/octet-stream often enough that the URL and the content type are no evidence.
import { FeedloomError } from '../../errors.js';
import { resolveUrl } from '../../util/url.js';
import { parseAttrs, readProlog, readStartTag } from './prolog.js';

export type XmlFeedFormat = 'rss090' | 'rss091' | 'rss092' | 'rss2' | 'rss1' | 'atom10' | 'atom03';
export type JsonFeedFormat = 'jsonfeed10' | 'jsonfeed11';
export type FeedFormat = XmlFeedFormat | JsonFeedFormat;

export type Detected =
  | { readonly format: XmlFeedFormat; readonly dialect: 'rss' | 'rdf' | 'atom' }
  | { readonly format: JsonFeedFormat; readonly dialect: 'json'; readonly json: Record<string, unknown> };

/** Namespaces that make a root element a feed (the prefix used does not matter). */
export const FEED_NAMESPACES = {
  atom10: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  rss1: 'http://purl.org/rss/1.0/',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
} as const;

/** JSON Feed version URLs; a trailing slash is tolerated since some generators add one. */
export const JSON_FEED_VERSIONS: Readonly<Record<string, JsonFeedFormat>> = {
  'https://jsonfeed.org/version/1': 'jsonfeed10',
  'https://jsonfeed.org/version/1.1': 'jsonfeed11',
};

/**
 * Detects the format of a feed document, or throws PARSE_UNKNOWN_FORMAT saying what it looks like.
 * Invalid JSON throws PARSE_FEED with the position.
 *
 * @example
 * detectFeed('<rss version="2.0"><channel/></rss>', url).format; // 'rss2'
 */
export function detectFeed(text: string, url: string): Detected {
  const { rootStart } = readProlog(text);
  const first = text[rootStart];
  if (first === undefined) throw unknown(url, 'empty (nothing but whitespace), not a feed');
  if (first === '{' || first === '[') return detectJson(text.slice(rootStart), url);
  const tag = first === '<' ? readStartTag(text, rootStart) : undefined;
  if (!tag) {
    if (/^<!doctype\s+html/i.test(text.slice(rootStart)) || looksLikeHtml(text)) throw htmlPage(text, url);
    const start = JSON.stringify(text.slice(rootStart, rootStart + 40));
    throw unknown(url, `text that is neither XML nor JSON (it starts with ${start}), not a feed`);
  }
  const attrs = parseAttrs(tag.attrs);
  const [prefix, local] = tag.name.includes(':') ? tag.name.split(':', 2) : ['', tag.name];
  const ns = attrs.get(prefix ? `xmlns:${prefix}` : 'xmlns');
  const declared = new Set(attrs.values());

  if (tag.name === 'rss') return { format: rssVersion(attrs.get('version')), dialect: 'rss' };
  if (local === 'feed' && ns === FEED_NAMESPACES.atom10) return { format: 'atom10', dialect: 'atom' };
  if (local === 'feed' && ns === FEED_NAMESPACES.atom03) return { format: 'atom03', dialect: 'atom' };
  if (local === 'RDF' && declared.has(FEED_NAMESPACES.rss1)) return { format: 'rss1', dialect: 'rdf' };
  if (local === 'RDF' && declared.has(FEED_NAMESPACES.rss090)) return { format: 'rss090', dialect: 'rdf' };
  if (tag.name.toLowerCase() === 'html' || looksLikeHtml(text)) throw htmlPage(text, url);
  if (local === 'feed') {
    throw unknown(url, `an XML <feed> in namespace ${ns ?? '(none)'}, not the Atom 1.0 or 0.3 namespace`);
  }
  throw unknown(url, `an XML document whose root is <${tag.name}>, not an RSS, RDF or Atom feed`);
}

function rssVersion(version: string | undefined): XmlFeedFormat {
  const v = version?.trim() ?? '';
  if (v === '0.91') return 'rss091';
  if (v === '0.90') return 'rss090';
  // 0.93 and 0.94 were drafts that only added to 0.92.
  if (/^0\.9[234]$/.test(v)) return 'rss092';
  // No version or 2.x: read as RSS 2.0, the superset.
  return 'rss2';
}

function detectJson(text: string, url: string): Detected {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new FeedloomError('PARSE_FEED', `ingest: ${url}: invalid JSON: ${jsonErrorPlace(text, e)}`, {
      cause: e,
    });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw unknown(url, 'a JSON document that is not an object, not a JSON Feed');
  }
  const record = json as Record<string, unknown>;
  const version = record['version'];
  const format =
    typeof version === 'string' ? JSON_FEED_VERSIONS[version.trim().replace(/\/$/, '')] : undefined;
  if (!format) {
    const said = typeof version === 'string' ? `version ${JSON.stringify(version)}` : 'no version';
    throw unknown(
      url,
      `a JSON document with ${said}, not a JSON Feed (expected version https://jsonfeed.org/version/1.1 or /1)`,
    );
  }
  return { format, dialect: 'json', json: record };
}

/** "line L, column C (position P): message" from a JSON.parse error. */
export function jsonErrorPlace(text: string, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const pos = /position (\d+)/.exec(message)?.[1];
  if (pos === undefined) return message;
  const before = text.slice(0, Number(pos)).split('\n');
  const line = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  return `line ${line}, column ${column} (position ${pos}): ${message}`;
}

function looksLikeHtml(text: string): boolean {
  return /<(html|head|body)[\s>]/i.test(text.slice(0, 4096));
}

function htmlPage(text: string, url: string): FeedloomError {
  // Pages advertise their feeds with <link rel="alternate" type="application/rss+xml" href="...">.
  const link = [...text.matchAll(/<link\b[^>]*>/gi)]
    .map((m) => m[0])
    .find((l) => /rel\s*=\s*["']?alternate/i.test(l) && /(rss|atom|feed)\+(xml|json)/i.test(l));
  const written = link ? /href\s*=\s*["']([^"']+)["']/i.exec(link)?.[1] : undefined;
  // As the user will paste it into sources.json: absolute, attribute entities decoded.
  const href = written && (resolveUrl(written.replace(/&amp;/gi, '&'), url) ?? written);
  const hint = href
    ? `it advertises a feed at ${href}: point the source there, or use kind "page"`
    : `it advertises no feed (no <link rel="alternate">): \`feedloom discover ${url}\` also tries the ` +
      'usual feed paths, or read the page with kind "page"';
  return unknown(url, `an HTML page, not a feed: ${hint}`);
}

function unknown(url: string, what: string): FeedloomError {
  return new FeedloomError('PARSE_UNKNOWN_FORMAT', `ingest: ${url}: the document is ${what}`);
}
