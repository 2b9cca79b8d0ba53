// A `page` source: a listing page. With `select`, CSS selectors read each item; without, the items are
// detected (listing.ts). Either way links come out absolute against the page, and a date printed the
// site's own way is turned into ISO by `select.dateFormat`. Following the next-page link is the
// pipeline's job (it fetches); nextPageUrl tells it where.

import type { CheerioAPI } from 'cheerio';
import * as cheerio from 'cheerio';
import type { FetchedDocument, PageSelectors, RawItem, Warning } from '../../types.js';
import { compact, type DocumentResult } from '../document.js';
import { compileDateFormat, dateToIso, readPrintedDate } from './date-format.js';
import { detectListings, type Listing, type ListingItem } from './listing.js';
import { nextPageLink, pageBase, selectEntries } from './selectors.js';

export {
  compileDateFormat,
  type DateFormat,
  dateToIso,
  MONTH_NAMES,
  monthNumber,
  PRINTED_DATE_FORMATS,
  readPrintedDate,
} from './date-format.js';
export { isFurniture } from './furniture.js';
export {
  detectListings,
  LISTING_POLICY,
  type Listing,
  type ListingItem,
  type ListingMethod,
  usableItems,
} from './listing.js';
export { bestImage, type PageEntry, pageBase, parseSpec, selectEntries } from './selectors.js';
export { looksLikeStory } from './single-story.js';

export interface PageContext {
  readonly sourceId: string;
  readonly select?: PageSelectors;
  /** For dates printed without a year; defaults to the clock. */
  now?(): Date;
}

/**
 * Ingests one listing page: with the source's selectors, or by detection without them.
 *
 * @example
 * ingestPageDocument(doc, { sourceId: 'blog', select: { item: 'article', title: 'h2', link: 'h2 a@href' } });
 * ingestPageDocument(doc, { sourceId: 'news' }); // JSON-LD, h-entry, <article> or repeated blocks
 */
export function ingestPageDocument(doc: FetchedDocument, ctx: PageContext): DocumentResult {
  const $ = cheerio.load(doc.text);
  const base = pageBase($, doc.url);
  const warnings: Warning[] = [];
  const warn = (code: string, message: string) => warnings.push({ sourceId: ctx.sourceId, code, message });
  let entries: readonly ListingItem[];
  let format = 'html-page';
  if (ctx.select) {
    entries = selectEntries($, ctx.select, base);
    if (entries.length === 0) {
      warn(
        'PAGE_NO_MATCH',
        `ingest: ${doc.url}: select.item ${JSON.stringify(ctx.select.item)} matched nothing; check it with "feedloom preview ${doc.url}"`,
      );
    }
  } else {
    const best: Listing | undefined = detectListings($, base)[0];
    entries = best?.items ?? [];
    if (best) format = `html-page/${best.method}`;
    else {
      warn(
        'PAGE_NO_LISTING',
        `ingest: ${doc.url}: no list of items found; give "select" selectors (try "feedloom preview ${doc.url}")`,
      );
    }
  }
  entries = applyDateFormat(entries, ctx, doc.url, warn);
  const items: RawItem[] = entries.map((e) =>
    compact({
      sourceId: ctx.sourceId,
      baseUrl: base,
      guid: e.link,
      link: e.link,
      title: e.title,
      summary: e.summary,
      published: e.date,
      updated: e.updated,
      authors: e.author ? [e.author] : [],
      categories: [],
      enclosures: [],
      image: e.image,
    }),
  );
  const title = $('title').first().text().trim();
  return {
    items,
    meta: compact({ title: title || undefined, link: doc.url, format }),
    warnings,
    recovered: false,
  };
}

/**
 * The absolute URL of the page after `doc`: `select.next` when given, else `rel="next"`.
 *
 * @example
 * const next = nextPageUrl(page.document, source.select?.next);
 */
export function nextPageUrl(doc: FetchedDocument, nextSpec: string | undefined): string | undefined {
  const $: CheerioAPI = cheerio.load(doc.text);
  return nextPageLink($, nextSpec, pageBase($, doc.url));
}

/**
 * Dates printed the site's way become ISO 8601: by `select.dateFormat` when given, else when the date
 * is one of the common printed forms normalize's recognizers do not all read ("3rd December 2026",
 * "3 December 2026 | 12:30"). Anything else is left for normalize.
 */
function applyDateFormat(
  entries: readonly ListingItem[],
  ctx: PageContext,
  url: string,
  warn: (code: string, message: string) => void,
): readonly ListingItem[] {
  const pattern = ctx.select?.dateFormat;
  const now = ctx.now?.() ?? new Date();
  if (!pattern)
    return entries.map((e) => (e.date ? { ...e, date: readPrintedDate(e.date, now) ?? e.date } : e));
  const format = compileDateFormat(pattern);
  const missed: string[] = [];
  const out = entries.map((e) => {
    if (!e.date) return e;
    const iso = dateToIso(e.date, format, now);
    if (iso) return { ...e, date: iso };
    // A machine date (a `datetime` or a title attribute read without @) needs no pattern.
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(e.date)) return e;
    missed.push(e.date);
    // Kept as printed: normalize's recognizers may still read it.
    return e;
  });
  if (missed.length > 0) {
    warn(
      'PAGE_DATE_FORMAT',
      `ingest: ${url}: ${missed.length} date(s) do not match select.dateFormat ${JSON.stringify(pattern)}, e.g. ${JSON.stringify(missed[0])}`,
    );
  }
  return out;
}
