// Feed discovery for `feedloom discover` and `feedloom add`: the feeds a page advertises with
// <link rel="alternate">, then the paths feeds commonly live at. A candidate counts only once it
// really parses as a feed; what the page or the server *says* a URL is proves nothing.
import * as cheerio from 'cheerio';
import { DEFAULTS } from '../config/index.js';
import { describeError, FeedloomError } from '../errors.js';
import {
  createHttpClient,
  DEFAULT_LIMITS,
  type FetchContext,
  type FetchedUrl,
  fetchUrl,
} from '../fetch/index.js';
import { ingest } from '../ingest/index.js';
import { detectListings, type ListingMethod, pageBase, usableItems } from '../ingest/page/index.js';
import type { FetchedDocument, FetchLimits, Ingested, PageSelectors, Source } from '../types.js';
import { hashOf } from '../util/hash.js';
import { withoutHash } from '../util/url.js';

/** Where a candidate came from; also the order of preference for `add`. */
export type FeedOrigin = 'self' | 'advertised' | 'common-path';

/** `<link type>` values that name a feed, lower-case, without parameters. */
export const FEED_LINK_TYPES: Readonly<Record<string, string>> = {
  'application/rss+xml': 'rss',
  'application/atom+xml': 'atom',
  'application/feed+json': 'json',
  // RSS 1.0 is RDF; some sites still advertise it so.
  'application/rdf+xml': 'rdf',
  'application/x-rss+xml': 'rss',
  'application/x-atom+xml': 'atom',
};

/**
 * Generic types that are a feed only sometimes: WordPress advertises its REST API as
 * `type="application/json"`, so these count only when the title or href says "feed", "rss" or "atom".
 */
export const GUARDED_LINK_TYPES: ReadonlySet<string> = new Set([
  'application/json',
  'application/xml',
  'text/xml',
]);
const SAYS_FEED = /feed|rss|atom/i;

/** Paths probed relative to the site root and to the page's folder, in order of preference. */
export const COMMON_FEED_PATHS = [
  'feed',
  'rss',
  'rss.xml',
  'atom.xml',
  'index.xml',
  'feed.xml',
  'feed.json',
  'feeds/posts/default',
] as const;

/** Discovery's own policy: small and quick, since most probes are expected to 404. */
export const DISCOVERY_POLICY = {
  /** Probes (and advertised feeds) in flight at once; the client's per-host cap applies as well. */
  concurrency: 4,
  /** A common-path guess: one try, short. */
  probeLimits: { timeoutMs: 5_000, retries: 0 } satisfies Partial<FetchLimits>,
  /** The page said this is a feed: worth one retry. */
  advertisedLimits: { timeoutMs: 10_000, retries: 1 } satisfies Partial<FetchLimits>,
  /** Pages that list a feed per tag or comment thread: the first ones are the site's main feeds. */
  maxAdvertised: 12,
  /** The page is fetched HTML-first, but a feed URL given directly must come back as the feed. */
  pageAccept:
    'text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5',
  feedAccept:
    'application/rss+xml, application/atom+xml, application/feed+json, application/xml, text/xml, application/json;q=0.9, */*;q=0.5',
} as const;

/** One feed that parsed. */
export interface DiscoveredFeed {
  /** Final URL, after redirects: what goes into sources.json. */
  readonly url: string;
  /** The URL as advertised or probed, before redirects. */
  readonly requested: string;
  readonly origin: FeedOrigin;
  /** Detected format: rss2, atom10, jsonfeed11, ... */
  readonly format: string;
  readonly title?: string;
  /** The `title` attribute of the advertising `<link>`. */
  readonly linkTitle?: string;
  readonly items: number;
}

/** A candidate that did not make the list, and why (for `--json` and for messages). */
export interface RejectedCandidate {
  readonly url: string;
  readonly origin: FeedOrigin;
  readonly reason: string;
}

/** How a feedless page reads as a `page` source (listing detection, issue 4), with what it found. */
export interface PageSuggestion {
  readonly method: ListingMethod;
  /** Selectors for the items; absent when only JSON-LD names them (then the source needs none). */
  readonly select?: PageSelectors;
  readonly items: number;
  readonly title?: string;
}

export interface Discovery {
  /** The URL as given. */
  readonly url: string;
  /** The page's final URL, after redirects. */
  readonly pageUrl: string;
  /** True when the URL given is itself a feed (then it is the only one listed). */
  readonly self: boolean;
  /** Feeds in order of preference: self, advertised in page order, then common paths. */
  readonly feeds: readonly DiscoveredFeed[];
  readonly rejected: readonly RejectedCandidate[];
  /** Only computed when no feed was found. */
  readonly page?: PageSuggestion;
}

export interface DiscoverOptions {
  /** A run's HTTP client; without one, discovery makes its own and closes it. */
  readonly fetch?: FetchContext;
  /** Look for page selectors when no feed is found (default true). */
  readonly suggestPage?: boolean;
}

/**
 * Finds the feeds of a page (or confirms that a URL is a feed). Throws FeedloomError only when the
 * page itself cannot be fetched; a candidate that fails is listed in `rejected`.
 *
 * @example
 * const found = await discoverFeeds('https://example.com/blog/');
 * for (const f of found.feeds) console.log(f.format, f.items, f.title, f.url);
 */
export async function discoverFeeds(url: string, options: DiscoverOptions = {}): Promise<Discovery> {
  if (options.fetch) return discoverWith(url, options.fetch, options);
  const client = createHttpClient({ concurrency: DISCOVERY_POLICY.concurrency });
  try {
    return await discoverWith(url, { now: () => new Date(), client }, options);
  } finally {
    await client.close();
  }
}

async function discoverWith(url: string, ctx: FetchContext, options: DiscoverOptions): Promise<Discovery> {
  const page = await fetchOk(url, {}, ctx, DISCOVERY_POLICY.pageAccept);
  const self = await readFeed(page.document, page.fetchedAt);
  if (self.ok) {
    const feed = { ...self.feed, url: page.url, requested: url, origin: 'self' as const };
    return { url, pageUrl: page.url, self: true, feeds: [feed], rejected: [] };
  }

  const candidates = candidateUrls(page.document);
  const feeds: DiscoveredFeed[] = [];
  const rejected: RejectedCandidate[] = [];
  const results = await mapLimit(candidates, DISCOVERY_POLICY.concurrency, (c) => checkCandidate(c, ctx));
  const seenUrls = new Set<string>([withoutHash(page.url)]);
  const seenContent = new Set<string>();
  for (const [i, result] of results.entries()) {
    const candidate = candidates[i];
    if (!candidate) continue;
    if (!result.ok) {
      rejected.push({ url: candidate.url, origin: candidate.origin, reason: result.reason });
      continue;
    }
    // /feed -> /feed/ redirects and the same feed served at /rss.xml and /feed.xml: list it once,
    // under the candidate that came first (the advertised one).
    const finalUrl = withoutHash(result.feed.url);
    if (seenUrls.has(finalUrl) || seenContent.has(result.fingerprint)) {
      rejected.push({
        url: candidate.url,
        origin: candidate.origin,
        reason: `the same feed as ${seenUrls.has(finalUrl) ? finalUrl : 'one listed before'}`,
      });
      continue;
    }
    seenUrls.add(finalUrl);
    seenContent.add(result.fingerprint);
    feeds.push({
      ...result.feed,
      requested: candidate.url,
      origin: candidate.origin,
      ...(candidate.linkTitle ? { linkTitle: candidate.linkTitle } : {}),
    });
  }
  const suggestion =
    feeds.length === 0 && options.suggestPage !== false
      ? await suggestPage(page.document, page.fetchedAt)
      : undefined;
  return {
    url,
    pageUrl: page.url,
    self: false,
    feeds,
    rejected,
    ...(suggestion ? { page: suggestion } : {}),
  };
}

/**
 * The feed `add` takes: the URL itself if it is a feed, else the first advertised one in page order
 * (a site lists its main feed first and comment or tag feeds after), else the first common path found.
 * A feed with items beats an empty one; item counts are otherwise no sign of the better feed (a
 * comments feed often has more). Undefined when none was found.
 */
export function bestFeed(discovery: Discovery): DiscoveredFeed | undefined {
  const rank: Record<FeedOrigin, number> = { self: 0, advertised: 1, 'common-path': 2 };
  const ordered = [...discovery.feeds].sort(
    (a, b) => Number(a.items === 0) - Number(b.items === 0) || rank[a.origin] - rank[b.origin],
  );
  return ordered[0];
}

interface Candidate {
  readonly url: string;
  readonly origin: Exclude<FeedOrigin, 'self'>;
  readonly linkTitle?: string;
}

/** Advertised feeds in page order, then the common paths; each URL once. */
export function candidateUrls(doc: Pick<FetchedDocument, 'text' | 'url'>): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  const push = (c: Candidate): void => {
    const key = withoutHash(c.url);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(c);
  };
  for (const link of advertisedFeeds(doc.text, doc.url).slice(0, DISCOVERY_POLICY.maxAdvertised)) {
    push({ ...link, origin: 'advertised' });
  }
  for (const url of commonPathUrls(doc.url)) push({ url, origin: 'common-path' });
  return out;
}

/**
 * The feeds a page advertises, in page order: `<link rel="alternate">` with a feed type, and
 * `rel="feed"`. Hrefs are resolved against `<base href>` (itself resolved against the page URL).
 *
 * @example
 * advertisedFeeds('<link rel="alternate" type="application/rss+xml" href="/rss">', 'https://x.example/a/');
 * // [{ url: 'https://x.example/rss' }]
 */
export function advertisedFeeds(html: string, pageUrl: string): { url: string; linkTitle?: string }[] {
  const $ = cheerio.load(html);
  const base = resolve($('base[href]').first().attr('href'), pageUrl) ?? pageUrl;
  const out: { url: string; linkTitle?: string }[] = [];
  for (const el of $('link[rel][href], a[rel][href]').toArray()) {
    const $el = $(el);
    const rel = ($el.attr('rel') ?? '').toLowerCase().split(/\s+/);
    const type = ($el.attr('type') ?? '').toLowerCase().split(';')[0]?.trim() ?? '';
    const href = $el.attr('href')?.trim() ?? '';
    const linkTitle = $el.attr('title')?.trim();
    // <a rel="alternate"> is rare and often a translation; only <a rel="feed"> counts.
    const isLink = el.tagName === 'link';
    const isFeed =
      (isLink && rel.includes('alternate') && type in FEED_LINK_TYPES) ||
      (isLink &&
        rel.includes('alternate') &&
        GUARDED_LINK_TYPES.has(type) &&
        SAYS_FEED.test(`${linkTitle ?? ''} ${href}`)) ||
      // rel="feed" (HTML's feed keyword) needs no type; parsing it decides.
      (rel.includes('feed') && (type === '' || type in FEED_LINK_TYPES || GUARDED_LINK_TYPES.has(type)));
    if (!isFeed || !href) continue;
    const url = resolve(href, base);
    if (!url) continue;
    out.push(linkTitle ? { url, linkTitle } : { url });
  }
  return out;
}

/**
 * COMMON_FEED_PATHS under the page's folder (when it is not the root), then under the site root.
 * A last path segment without a dot (`/blog`) is taken for a folder. Only for http(s) pages.
 */
export function commonPathUrls(pageUrl: string): string[] {
  let page: URL;
  try {
    page = new URL(pageUrl);
  } catch {
    return [];
  }
  if (page.protocol !== 'http:' && page.protocol !== 'https:') return [];
  const path = page.pathname;
  const last = path.slice(path.lastIndexOf('/') + 1);
  const folder = path.endsWith('/')
    ? path
    : last.includes('.')
      ? path.slice(0, path.lastIndexOf('/') + 1)
      : `${path}/`;
  const bases = folder === '/' ? ['/'] : [folder, '/'];
  return bases.flatMap((b) => COMMON_FEED_PATHS.map((p) => new URL(`${b}${p}`, page.origin).href));
}

type Checked =
  | {
      readonly ok: true;
      readonly feed: Omit<DiscoveredFeed, 'origin' | 'requested'>;
      readonly fingerprint: string;
    }
  | { readonly ok: false; readonly reason: string };

async function checkCandidate(c: Candidate, ctx: FetchContext): Promise<Checked> {
  const limits = c.origin === 'advertised' ? DISCOVERY_POLICY.advertisedLimits : DISCOVERY_POLICY.probeLimits;
  let got: Extract<FetchedUrl, { status: 'ok' }>;
  try {
    got = await fetchOk(c.url, limits, ctx, DISCOVERY_POLICY.feedAccept);
  } catch (e) {
    return { ok: false, reason: describeError(e).message };
  }
  const read = await readFeed(got.document, got.fetchedAt);
  if (!read.ok) return read;
  return { ok: true, feed: { ...read.feed, url: got.url }, fingerprint: read.fingerprint };
}

async function fetchOk(
  url: string,
  limits: Partial<FetchLimits>,
  ctx: FetchContext,
  accept: string,
): Promise<Extract<FetchedUrl, { status: 'ok' }>> {
  // No validators are sent, so a 304 cannot happen; the check only narrows the type.
  const got = await fetchUrl(url, limits, {}, ctx, { accept });
  if (got.status !== 'ok')
    throw new FeedloomError('FETCH_STATUS', `discover: GET ${url}: unexpected 304 Not Modified`);
  return got;
}

/** Reads a document as a feed source would; any failure is the reason it is not a feed. */
async function readFeed(doc: FetchedDocument, fetchedAt: Date): Promise<Checked> {
  let ingested: Ingested;
  try {
    ingested = await ingest(asFetched(doc, fetchedAt), { now: () => fetchedAt });
  } catch (e) {
    return { ok: false, reason: describeError(e).message };
  }
  const { meta, items } = ingested;
  // Loaded here, not with the module: `run` imports this file and reads content in its workers.
  const title = (await import('../normalize/index.js')).sourceTitle(meta);
  const fingerprint = hashOf([
    meta.format,
    meta.title,
    ...items.slice(0, 10).map((i) => i.guid ?? i.link ?? i.title),
  ]);
  return {
    ok: true,
    feed: {
      url: doc.url,
      format: meta.format,
      ...(title ? { title } : {}),
      items: items.length,
    },
    fingerprint,
  };
}

/**
 * What listing detection finds on the page (JSON-LD, h-entry, <article>, repeated blocks): the method,
 * the selectors when derived from the DOM, and how many usable items they read.
 */
export async function suggestPage(
  doc: FetchedDocument,
  _fetchedAt: Date,
): Promise<PageSuggestion | undefined> {
  const $ = cheerio.load(doc.text);
  const best = detectListings($, pageBase($, doc.url))[0];
  if (!best) return undefined;
  const title = $('title').first().text().trim();
  return {
    method: best.method,
    ...(best.select ? { select: best.select } : {}),
    items: usableItems(best.items, doc.url).length,
    ...(title ? { title } : {}),
  };
}

/** A one-document Fetched for ingest, as the run would build it for a feed source. */
function asFetched(doc: FetchedDocument, fetchedAt: Date): Parameters<typeof ingest>[0] {
  const base = {
    id: 'discover',
    location: { url: doc.url },
    tags: [],
    schedule: DEFAULTS.schedule,
    priority: 0,
    // Counting items, not keeping them: no cap.
    maxItems: Number.MAX_SAFE_INTEGER,
    limits: DEFAULT_LIMITS,
  };
  const source: Source = { ...base, kind: 'feed' };
  return {
    status: 'ok',
    source,
    url: doc.url,
    documents: [doc],
    validators: {},
    fetchedAt,
    bytes: doc.text.length,
  };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

function resolve(href: string | undefined, base: string): string | undefined {
  if (!href?.trim()) return undefined;
  try {
    return withoutHash(new URL(href.trim(), base).href);
  } catch {
    return undefined;
  }
}
