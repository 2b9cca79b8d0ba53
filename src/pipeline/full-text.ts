// Full text for feeds (`fullText: true`): a feed item that carries only a teaser is replaced by the
// article extracted from its page. The extracted article is cached in the store by page URL together
// with the hash of the item it was fetched for, so an unchanged item never costs a request again.
// A page that cannot be fetched or read leaves the item as the feed gave it, with a warning.
import { describeError, FeedloomError } from '../errors.js';
import { type FetchContext, fetchUrl } from '../fetch/index.js';
import { extractArticle } from '../ingest/article/extract/index.js';
import { rawHashOf } from '../ingest/raw-hash.js';
import type { CachedFullText, Store } from '../store/index.js';
import type { Ingested, RawItem, Source, Warning } from '../types.js';
import { isHttpUrl, resolveUrl } from '../util/url.js';

/** When a feed item counts as truncated, and when its page's text counts as the fuller one. */
export const FULL_TEXT_POLICY = {
  /** Fewer words than this is a summary, not an article. */
  summaryWords: 150,
  /** The page must have this many times the feed's text to replace it ("much shorter than its page"). */
  longerFactor: 1.5,
  /** An extraction with less text than this found no article (a login wall, a cookie page). */
  minExtractedChars: 200,
  /** Pages fetched at once per source; the shared client's per-host limit still applies. */
  concurrency: 4,
  /**
   * A page that failed for a passing reason (a timeout, a dropped connection, a 5xx or 429) is asked
   * again after this long while its item is in the feed; other failures (404, no article on the
   * page) are final for that version of the item.
   */
  retryAfterMs: 60 * 60 * 1000,
} as const;

/** Marks the raw hash of an item whose page is to be fetched again: it never matches a stored one. */
const RETRY_MARK = '~retry';

/** How feeds end a teaser: an ellipsis, "[...]", "Read more", "Continue reading", in a few languages. */
export const TRUNCATION_MARKS: readonly RegExp[] = [
  /(?:…|\.\.\.|\[(?:…|\.\.\.)\]|\((?:more|mehr|suite)…?\))\s*$/i,
  /\b(?:read more|more|continue reading|keep reading|read the (?:full|rest of the) (?:story|article|post))\s*(?:»|›|→|>>|\.\.\.|…)\s*$|\b(?:read more|continue reading|keep reading|read the full (?:story|article|post))\s*$/i,
  /(?:weiterlesen|mehr lesen|lire la suite|leer más|continua a leggere|続きを読む)\s*(?:»|›|→|\.\.\.|…)?\s*$/i,
];

export interface FullTextContext {
  readonly store: Store;
  readonly fetch: FetchContext;
}

/**
 * Replaces the truncated items of a `fullText` feed source by their extracted pages. Other sources,
 * items already stored unchanged and items that look complete pass through untouched.
 *
 * @example
 * const ingested = await withFullText(source, await ingest(fetched, ctx), { store, fetch });
 */
export async function withFullText(
  source: Source,
  ingested: Ingested,
  ctx: FullTextContext,
): Promise<Ingested> {
  if (source.kind !== 'feed' || !source.fullText) return ingested;
  const warnings: Warning[] = [];
  const items = [...ingested.items];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      const raw = items[i];
      if (raw) items[i] = await fullItem(source, raw, ctx, warnings);
    }
  };
  await Promise.all(Array.from({ length: FULL_TEXT_POLICY.concurrency }, worker));
  return { ...ingested, items, warnings: [...ingested.warnings, ...warnings] };
}

async function fullItem(
  source: Source,
  raw: RawItem,
  ctx: FullTextContext,
  warnings: Warning[],
): Promise<RawItem> {
  // The same hash the pipeline stores: an item already stored as the feed gave it needs nothing.
  const itemHash = rawHashOf(raw);
  if (ctx.store.hasRaw(source.id, itemHash)) return raw;
  const own = feedText(raw);
  if (!looksTruncated(own)) return raw;
  const link = resolveUrl(raw.link ?? (isHttpUrl(raw.guid ?? '') ? raw.guid : undefined), raw.baseUrl);
  if (!link || !isHttpUrl(link)) return raw;

  let page = ctx.store.fullText(link);
  if (page && page.textLength < 0 && page.itemHash === itemHash) {
    // An earlier passing failure: wait before asking again. The item stays stored as the feed gave
    // it, under the marked hash, which the run recognizes: nothing is saved or rendered again.
    const waited = ctx.fetch.now().getTime() - page.fetchedAt.getTime();
    if (waited < FULL_TEXT_POLICY.retryAfterMs) return awaitingRetry(raw, itemHash);
    page = undefined;
  }
  if (!page || page.itemHash !== itemHash) {
    try {
      page = await fetchPage(source, link, itemHash, ctx);
    } catch (e) {
      const { code, message } = describeError(e);
      const again = passing(e);
      warnings.push({
        sourceId: source.id,
        code: 'FULL_TEXT',
        message: `full text: ${link}: ${code}: ${message}; kept the feed's text${again ? ', will try again' : ''}`,
      });
      if (!again) return raw;
      ctx.store.saveFullText({ url: link, itemHash, html: '', textLength: -1, fetchedAt: ctx.fetch.now() });
      return awaitingRetry(raw, itemHash);
    }
  }
  if (!page || page.textLength < own.length * FULL_TEXT_POLICY.longerFactor) return raw;
  return { ...raw, html: page.html, baseUrl: page.url };
}

/**
 * The item as the feed gave it, under a raw hash that no stored item has: the next run reads it
 * again (a feed item is not cut before parsing) and retries its page once retryAfterMs has passed.
 */
function awaitingRetry(raw: RawItem, itemHash: string): RawItem {
  return { ...raw, rawHash: `${itemHash}${RETRY_MARK}` };
}

/** A failure that may pass: worth asking the page again later. */
function passing(e: unknown): boolean {
  if (!(e instanceof FeedloomError)) return false;
  if (e.code === 'FETCH_TIMEOUT' || e.code === 'FETCH_NETWORK') return true;
  const status = e.httpStatus ?? 0;
  return e.code === 'FETCH_STATUS' && (status >= 500 || status === 429);
}

/** Fetches and extracts one page and caches the result; undefined when the page holds no article. */
async function fetchPage(
  source: Source,
  link: string,
  itemHash: string,
  ctx: FullTextContext,
): Promise<CachedFullText | undefined> {
  const fetched = await fetchUrl(link, source.limits, {}, ctx.fetch);
  // Without validators we never get a 304; the branch is for the type checker.
  if (fetched.status !== 'ok') return undefined;
  const article = extractArticle(fetched.document.text, fetched.document.url);
  if (article.text.length < FULL_TEXT_POLICY.minExtractedChars) {
    throw new Error(`no article found on the page (${article.text.length} characters of text)`);
  }
  const entry: CachedFullText = {
    url: link,
    itemHash,
    html: article.html,
    textLength: article.text.length,
    fetchedAt: fetched.fetchedAt,
  };
  ctx.store.saveFullText(entry);
  // The extract's URLs are already absolute against the page it came from (after redirects). The
  // item keeps one base on the fetched and the cached path alike, so its stored hash stays the same
  // and an unchanged item is not saved, nor the outputs rendered, again on every run.
  return entry;
}

/** The item's own text as plain text: content, else text, else summary. */
export function feedText(raw: RawItem): string {
  const source = raw.html ?? raw.text ?? raw.summary ?? '';
  return source
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/&hellip;|&#8230;/g, '…')
    .replace(/[\s\u00A0]+/g, ' ')
    .trim();
}

/** Empty, summary-length, or ending the way feeds end a teaser. */
export function looksTruncated(text: string): boolean {
  if (text === '') return true;
  if (TRUNCATION_MARKS.some((re) => re.test(text))) return true;
  return text.split(' ').length < FULL_TEXT_POLICY.summaryWords;
}
