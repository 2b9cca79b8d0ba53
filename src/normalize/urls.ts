import { parseSrcset } from '../util/srcset.js';
import { ALLOWED_SCHEMES, SAFE_DATA_IMAGE, type UrlPolicy } from './allowlist.js';
import { isTrackingParameter } from './tracking.js';

// The WHATWG parser ignores tabs and newlines anywhere and C0 controls at the ends ("java\tscript:" is
// javascript:). We check a copy with every whitespace and control character removed, so no spelling of a
// scheme slips past, then resolve and check the parsed protocol as well.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we strip
const INVISIBLE = /[\u0000-\u0020\u007F-\u00A0\u00AD\u200B-\u200F\u2028\u2029\u2060\uFEFF]/g;

/** The scheme a browser would see, lowercased, or undefined for a relative reference. */
export function schemeOf(value: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):/.exec(value.replace(INVISIBLE, '').toLowerCase());
  return m?.[1];
}

/**
 * Removes tracking pairs from a query or fragment body (without its `?`/`#`), leaving every other byte
 * as written: no re-sorting, no re-encoding.
 */
function stripPairs(body: string, host: string): string {
  if (!body.includes('=')) return body;
  const kept = body.split('&').filter((pair) => {
    const eq = pair.indexOf('=');
    return eq === -1
      ? !isTrackingParameter(pair, host)
      : !isTrackingParameter(pair.slice(0, eq), host, pair.slice(eq + 1));
  });
  return kept.join('&');
}

/**
 * Removes tracking parameters (tracking.ts) from the query and from a query-shaped fragment.
 * A `?` or `#` left empty by the removal is dropped; one that was empty already is kept.
 *
 * @example
 * stripTracking('https://x.example/a?id=3&utm_source=rss#top') // 'https://x.example/a?id=3#top'
 */
export function stripTracking(href: string): string {
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    return href;
  }
  return withoutTracking(u, href);
}

/** stripTracking for a URL already parsed from `href`: safeUrl has one, and parsing is its largest cost. */
function withoutTracking(u: URL, href: string): string {
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return href;
  const host = u.hostname;
  const query = u.search.slice(1);
  const hash = u.hash.slice(1);
  const newQuery = stripPairs(query, host);
  const newHash = stripPairs(hash, host);
  if (newQuery === query && newHash === hash) return href;
  // Rebuild by hand: URLSearchParams would re-encode every pair.
  const full = u.href;
  const head = full.slice(0, full.length - u.search.length - u.hash.length);
  const search = newQuery === query ? u.search : newQuery ? `?${newQuery}` : '';
  const fragment = newHash === hash ? u.hash : newHash ? `#${newHash}` : '';
  return head + search + fragment;
}

/**
 * Resolves `value` against `base` and returns it only when its scheme is allowed for `policy`, with
 * tracking parameters removed; undefined otherwise. data: is allowed only for raster images.
 *
 * @example
 * safeUrl('../b?utm_medium=rss', 'https://x.example/a/c', 'link') // 'https://x.example/b'
 * safeUrl(' JaVa\tScRiPt:alert(1)', 'https://x.example/', 'link') // undefined
 */
export function safeUrl(
  value: string | undefined,
  base: string | undefined,
  policy: UrlPolicy,
): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  const allowed = ALLOWED_SCHEMES[policy];
  const scheme = schemeOf(trimmed);
  if (scheme !== undefined) {
    if (!allowed.includes(scheme)) return undefined;
    if (scheme === 'data') {
      const compact = trimmed.replace(INVISIBLE, '');
      return SAFE_DATA_IMAGE.test(compact.toLowerCase()) ? compact : undefined;
    }
  }
  let resolved: URL;
  try {
    resolved = new URL(trimmed, base || undefined);
  } catch {
    return undefined;
  }
  const protocol = resolved.protocol.slice(0, -1);
  // A relative reference against a file: base (local articles) must not publish a local path.
  if (protocol === 'data' || !allowed.includes(protocol)) return undefined;
  return withoutTracking(resolved, resolved.href);
}

/** Absolute http(s) URL with tracking removed, or undefined: for item links, images and enclosures. */
export function absoluteHttpUrl(value: string | undefined, base: string | undefined): string | undefined {
  return safeUrl(value, base, 'media');
}

/**
 * The dedupe key form of a link: absolute, tracking-free, lowercase scheme and host, default port
 * removed (the WHATWG serializer does those two), and no fragment.
 *
 * @example
 * canonicalLink('HTTPS://News.Example:443/a?utm_source=x#c') // 'https://news.example/a'
 */
export function canonicalLink(value: string | undefined, base?: string): string | undefined {
  const clean = absoluteHttpUrl(value, base);
  if (!clean) return undefined;
  const hash = clean.indexOf('#');
  return hash === -1 ? clean : clean.slice(0, hash);
}

/**
 * Rewrites every candidate of a srcset: each URL made safe and absolute, descriptors kept.
 * Candidates whose URL is refused are dropped; undefined when none is left.
 */
export function safeSrcset(value: string, base: string | undefined): string | undefined {
  const out: string[] = [];
  for (const { url, descriptor } of parseSrcset(value)) {
    const safe = safeUrl(url, base, 'media');
    if (safe && /^(?:\d+(?:\.\d+)?[wx])?$/.test(descriptor))
      out.push(descriptor ? `${safe} ${descriptor}` : safe);
  }
  return out.length ? out.join(', ') : undefined;
}
