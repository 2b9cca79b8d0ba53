/** Resolves `href` against `base`; undefined when either is unusable. */
export function resolveUrl(href: string | undefined, base: string | undefined): string | undefined {
  if (!href) return undefined;
  const trimmed = href.trim();
  if (!trimmed) return undefined;
  try {
    return new URL(trimmed, base || undefined).href;
  } catch {
    return undefined;
  }
}

export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Host of a URL for per-host limits and messages; '' for file: URLs. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** The URL without its fragment: two links that differ only after `#` name the same page. */
export function withoutHash(url: string): string {
  const i = url.indexOf('#');
  return i >= 0 ? url.slice(0, i) : url;
}

/** Query parameters that only ask for the AMP edition of a page ("?amp", "?amp=1", "?outputType=amp"). */
function isAmpParameter(name: string, value: string): boolean {
  const n = name.toLowerCase();
  const v = value.toLowerCase();
  return (n === 'amp' && (v === '' || v === '1' || v === 'true')) || (n === 'outputtype' && v === 'amp');
}

/**
 * The key under which two links name the same story, or undefined for a site's home page (feeds
 * without item links often repeat it for every item). Outlets and their feeds write one article's
 * address in several spellings: http or https, with or without "www.", with or without a trailing
 * slash, its AMP edition ("/amp", "?amp=1", "?outputType=amp"), or with a fragment ("#comments").
 * Those differences go; everything else is kept, so two different pages never share a key. A
 * fragment that routes a script-driven site ("#!/story/1", "#/story/1") is part of the address.
 *
 * @example
 * storyLinkKey('http://www.news.example/2026/story/amp/?amp=1#comments') // 'https://news.example/2026/story'
 */
export function storyLinkKey(link: string): string | undefined {
  let u: URL;
  try {
    u = new URL(link);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return u.href;
  const host =
    u.hostname.startsWith('www.') && u.hostname.indexOf('.', 4) > 0 ? u.hostname.slice(4) : u.hostname;
  // The parser already dropped a default port (80 for http, 443 for https).
  const port = u.port ? `:${u.port}` : '';
  const path = u.pathname.replace(/\/amp\/?$/i, '/').replace(/\/+$/, '');
  const kept = u.search
    .slice(1)
    .split('&')
    .filter((pair) => {
      if (pair === '') return false;
      const eq = pair.indexOf('=');
      return eq === -1 ? !isAmpParameter(pair, '') : !isAmpParameter(pair.slice(0, eq), pair.slice(eq + 1));
    });
  const search = kept.length ? `?${kept.join('&')}` : '';
  const route = /^#!?\//.test(u.hash) ? u.hash : '';
  if (path === '' && !search && !route) return undefined;
  return `https://${host}${port}${path || '/'}${search}${route}`;
}
