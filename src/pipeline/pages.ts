// Listing pages beyond the first: a `page` source with `maxPages` > 1 follows its next-page link
// (select.next, else rel="next"). The first page is fetched like any source (conditional GET, so an
// unchanged listing costs one request); later pages are plain GETs through the run's client. Also
// `feedloom preview`, which shows what a page source would read from a URL.
import * as cheerio from 'cheerio';
import { DEFAULTS, MAX_PAGES } from '../config/index.js';
import { describeError, FeedloomError } from '../errors.js';
import { ACCEPT, createHttpClient, DEFAULT_LIMITS, type FetchContext, fetchUrl } from '../fetch/index.js';
import { type IngestContext, ingest } from '../ingest/index.js';
import {
  detectListings,
  type ListingMethod,
  looksLikeStory,
  nextPageUrl,
  pageBase,
  usableItems,
} from '../ingest/page/index.js';
import { normalize, sourceTitle } from '../normalize/index.js';
import type {
  Fetched,
  FetchedDocument,
  Ingested,
  PageSelectors,
  RawItem,
  Source,
  Warning,
} from '../types.js';
import { hostOf, withoutHash } from '../util/url.js';
import { advertisedFeeds } from './discover.js';

type FetchedOk = Extract<Fetched, { status: 'ok' }>;

export const PAGES_POLICY = {
  /** Without `maxPages`, only the page the source names is read. */
  defaultMaxPages: 1,
  /** Also enforced here, so a Source built in code cannot crawl a site either. */
  maxPages: MAX_PAGES,
} as const;

/**
 * Ingests a fetched source; for a `page` source with `maxPages` > 1, also the pages after it. Stops at
 * maxPages, at a page without a next link or without items, at a URL already read (listings that
 * wrap around), at a link to another host, and once the source's maxItems are reached. A later page
 * that fails is a warning: the items read so far stand.
 *
 * @example
 * const ingested = await ingestPages(fetched, { now: ctx.now, fetch: ctx.fetch });
 */
export async function ingestPages(
  fetched: FetchedOk,
  ctx: IngestContext & { readonly fetch: FetchContext },
): Promise<Ingested> {
  const first = await ingest(fetched, { now: ctx.now, ...(ctx.known ? { known: ctx.known } : {}) });
  const { source } = fetched;
  if (source.kind !== 'page') return first;
  const maxPages = Math.min(source.maxPages ?? PAGES_POLICY.defaultMaxPages, PAGES_POLICY.maxPages);
  let doc = fetched.documents[0];
  if (maxPages <= 1 || !doc) return first;

  const warn = (code: string, message: string): void => {
    warnings.push({ sourceId: source.id, code, message });
  };
  const items: RawItem[] = [...first.items];
  const warnings: Warning[] = [...first.warnings];
  const seenPages = new Set([withoutHash(fetched.url), withoutHash(doc.url)]);
  const seenItems = new Set(items.map(itemKey));
  const host = hostOf(doc.url);
  for (let page = 2; page <= maxPages && items.length < source.maxItems; page++) {
    const next = nextPageUrl(doc, source.select?.next);
    if (!next) break;
    if (seenPages.has(withoutHash(next))) break;
    if (hostOf(next) !== host) {
      warn(
        'PAGE_NEXT_OFF_SITE',
        `pages: ${doc.url}: the next-page link ${next} leaves ${host}; not followed`,
      );
      break;
    }
    seenPages.add(withoutHash(next));
    let more: Ingested;
    try {
      const got = await fetchUrl(next, source.limits, {}, ctx.fetch, { accept: ACCEPT.page });
      // No validators were sent, so "not modified" cannot come back; it would carry nothing anyway.
      if (got.status !== 'ok') break;
      seenPages.add(withoutHash(got.url));
      more = await ingest({ ...fetched, url: got.url, documents: [got.document] }, { now: ctx.now });
      doc = got.document;
    } catch (e) {
      const { code, message } = describeError(e);
      warn(
        'PAGE_FETCH_FAILED',
        `pages: page ${page} (${next}): ${code}: ${message}; kept the items of the pages before`,
      );
      break;
    }
    // A listing that shifted while being read repeats an item at the page edge: keep it once.
    const fresh = more.items.filter((i) => !seenItems.has(itemKey(i)));
    if (fresh.length === 0) break;
    for (const i of fresh) seenItems.add(itemKey(i));
    items.push(...fresh);
    warnings.push(...more.warnings.filter((w) => w.code !== 'MAX_ITEMS'));
  }
  if (items.length > source.maxItems) {
    warn(
      'MAX_ITEMS',
      `pages: ${fetched.url}: ${items.length} items, kept the first ${source.maxItems} (maxItems)`,
    );
    items.length = source.maxItems;
  }
  return { ...first, items, warnings };
}

/** What one listing method found, for preview's list of alternatives. */
export interface PreviewCandidate {
  readonly method: ListingMethod;
  readonly items: number;
  readonly select?: PageSelectors;
}

/** One item as a run would publish it. */
export interface PreviewItem {
  readonly title: string;
  readonly link: string;
  /** ISO 8601 (UTC); undefined when no date could be read (a run then uses the first-seen time). */
  readonly published?: string;
  /** The date as the page printed it, when it could not be read. */
  readonly rawDate?: string;
}

export interface PagePreview {
  /** The page's final URL, after redirects. */
  readonly url: string;
  readonly title?: string;
  /** `select` when selectors were given, else the detection method that won; undefined: nothing found. */
  readonly method?: ListingMethod | 'select';
  /** The selectors given, or those detection derived from the DOM. */
  readonly select?: PageSelectors;
  /** Every detection method that found a listing, best first (detection only). */
  readonly candidates: readonly PreviewCandidate[];
  /** Items read, in page order; items without a title or link are left out of the count. */
  readonly items: readonly PreviewItem[];
  /** Items the selectors matched that had no title or no link. */
  readonly incomplete: number;
  /** Where the next page is (select.next, else rel="next"). */
  readonly next?: string;
  /** Feeds the page links (`<link rel="alternate">`): better than scraping it, when there are any. */
  readonly feeds?: readonly string[];
  /** True when the page looks like one story (og:type article, JSON-LD Article, ...), not a listing. */
  readonly story?: boolean;
  readonly warnings: readonly Warning[];
}

/**
 * Fetches a page and shows what a `page` source would read from it: with `select`, what those
 * selectors find; without, what detection finds and which selectors it suggests. Throws
 * FeedloomError when the page cannot be fetched or a selector is not valid CSS.
 *
 * @example
 * const p = await previewPage('https://example.com/news/', { select: { item: '.teaser', title: 'h3', link: 'a@href' } });
 * console.log(p.method, p.items.length, p.items[0]?.title);
 */
export async function previewPage(
  url: string,
  options: { readonly select?: PageSelectors; readonly fetch?: FetchContext } = {},
): Promise<PagePreview> {
  if (options.fetch) return previewWith(url, options.select, options.fetch);
  const client = createHttpClient();
  try {
    return await previewWith(url, options.select, { now: () => new Date(), client });
  } finally {
    await client.close();
  }
}

async function previewWith(
  url: string,
  select: PageSelectors | undefined,
  ctx: FetchContext,
): Promise<PagePreview> {
  const got = await fetchUrl(url, {}, {}, ctx, { accept: ACCEPT.page });
  if (got.status !== 'ok')
    throw new FeedloomError('FETCH_STATUS', `preview: GET ${url}: unexpected 304 Not Modified`);
  const doc = got.document;
  const $ = cheerio.load(doc.text);
  const candidates: PreviewCandidate[] = select
    ? []
    : detectListings($, pageBase($, doc.url)).map((l) => ({
        method: l.method,
        items: usableItems(l.items, doc.url).length,
        ...(l.select ? { select: l.select } : {}),
      }));
  const source = previewSource(doc, select);
  const ingested = await ingest(
    {
      status: 'ok',
      source,
      url: got.url,
      documents: [doc],
      validators: {},
      fetchedAt: got.fetchedAt,
      bytes: got.bytes,
    },
    { now: ctx.now },
  );
  const items: PreviewItem[] = [];
  let incomplete = 0;
  for (const raw of ingested.items) {
    if (!raw.title?.trim() || !raw.link?.trim()) {
      incomplete++;
      continue;
    }
    // Through normalize, as a run would: the link canonical, the date parsed or not.
    const item = normalize(raw, { now: () => got.fetchedAt });
    items.push({
      title: item.title,
      link: item.link,
      ...(item.publishedGuessed ? {} : { published: item.published.toISOString() }),
      ...(item.publishedGuessed && raw.published ? { rawDate: raw.published } : {}),
    });
  }
  const best = candidates[0];
  const method = select ? 'select' : best?.method;
  const shown = select ?? best?.select;
  const next = nextPageUrl(doc, select?.next);
  const title = sourceTitle(ingested.meta);
  const feeds = advertisedFeeds(doc.text, doc.url).map((f) => f.url);
  return {
    url: got.url,
    ...(title ? { title } : {}),
    ...(method ? { method } : {}),
    ...(shown ? { select: shown } : {}),
    candidates,
    items,
    incomplete,
    ...(next ? { next } : {}),
    ...(feeds.length ? { feeds } : {}),
    ...(looksLikeStory($) ? { story: true } : {}),
    warnings: ingested.warnings,
  };
}

function previewSource(doc: FetchedDocument, select: PageSelectors | undefined): Source {
  return {
    id: 'preview',
    kind: 'page',
    location: { url: doc.url },
    tags: [],
    schedule: DEFAULTS.schedule,
    priority: 0,
    // Showing what is there, not keeping it: no cap.
    maxItems: Number.MAX_SAFE_INTEGER,
    limits: DEFAULT_LIMITS,
    ...(select ? { select } : {}),
  };
}

function itemKey(i: RawItem): string {
  return i.guid ?? i.link ?? `${i.title ?? ''}\n${i.published ?? ''}`;
}
