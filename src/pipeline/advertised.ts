// A feed source whose URL answers a site's HTML page (the home page pasted instead of the feed, or
// a feed URL that now redirects there): the page's <link rel="alternate"> names the feed, and reading
// that one is what the user meant. Only the first advertised feed is tried (sites list their main
// feed before comment and tag feeds), one request more, and the source's row says which URL to use.
import { FeedloomError } from '../errors.js';
import { decodeDocument, type FetchContext, fetchSource, fetchSourceEncoded } from '../fetch/index.js';
import type { EncodedDocument, FetchedDocument, Validators, Warning } from '../types.js';
import { withoutHash } from '../util/url.js';
import type { FetchedEncodedOk } from './content.js';

type Followed = Awaited<ReturnType<typeof fetchSourceEncoded>>;

/** Content types a site's page comes with; a feed labelled so is read as a feed all the same. */
const PAGE_TYPES = /^\s*(text\/html|application\/xhtml\+xml)\s*(;|$)/i;

/**
 * The document of a feed source that may be a site's page (one HTTP document labelled HTML), copied:
 * reading it in the content pool moves its bytes to the worker, and they are needed again should it
 * turn out to be a page. Undefined for anything else.
 *
 * @example
 * const page = possiblePage(fetched); // before pool.read(...)
 */
export function possiblePage(fetched: FetchedEncodedOk): FetchedDocument | EncodedDocument | undefined {
  const doc = fetched.documents[0];
  if (fetched.source.kind !== 'feed' || fetched.documents.length !== 1 || !doc) return undefined;
  if (!/^https?:/i.test(doc.url) || !PAGE_TYPES.test(doc.contentType)) return undefined;
  return 'body' in doc ? { ...doc, body: new Uint8Array(doc.body) } : doc;
}

/**
 * The feed a page advertises, when `error` (from reading the feed source) says the document is not
 * a feed; undefined otherwise.
 *
 * @example
 * const feedUrl = await advertisedInstead(page, e); // 'https://example.com/feed.xml'
 */
export async function advertisedInstead(
  page: FetchedDocument | EncodedDocument,
  error: unknown,
): Promise<string | undefined> {
  if (!(error instanceof FeedloomError) || error.code !== 'PARSE_UNKNOWN_FORMAT') return undefined;
  const { text, url } = decodeDocument(page);
  // Loaded on this path only: discovery brings cheerio, which a run of feeds never needs otherwise.
  const { advertisedFeeds } = await import('./discover.js');
  return advertisedFeeds(text, url)
    .map((l) => l.url)
    .find((u) => withoutHash(u) !== withoutHash(url));
}

/**
 * Fetches the advertised feed in the source's place, with the validators stored for it; its failure
 * is reported with both URLs, so the user sees why the page did not lead anywhere.
 */
export async function fetchAdvertised(
  fetched: FetchedEncodedOk,
  feedUrl: string,
  previous: Validators,
  ctx: { readonly fetch: FetchContext; readonly pool?: unknown },
): Promise<{ fetched: Followed; warning: Warning }> {
  const { source } = fetched;
  const instead = { ...source, location: { url: feedUrl } };
  let got: Followed;
  try {
    got = ctx.pool
      ? await fetchSourceEncoded(instead, previous, ctx.fetch)
      : await fetchSource(instead, previous, ctx.fetch);
  } catch (e) {
    if (!(e instanceof FeedloomError) || e.code === 'FETCH_ABORTED') throw e;
    throw new FeedloomError(
      e.code,
      `fetch: ${fetched.url} is an HTML page that advertises the feed ${feedUrl}, which failed: ${e.message}`,
      {
        cause: e,
        ...(e.httpStatus !== undefined ? { httpStatus: e.httpStatus } : {}),
        ...(e.retryAt ? { retryAt: e.retryAt } : {}),
      },
    );
  }
  // The URL to write down: where the feed itself moved for good, if it did.
  const use = got.movedTo ?? feedUrl;
  const asked = 'url' in source.location ? source.location.url : fetched.url;
  return {
    // The report and the store know the source by its own id and settings, not the URL read.
    fetched: { ...got, source },
    warning: {
      sourceId: source.id,
      code: 'FEED_ADVERTISED',
      message:
        `fetch: ${asked} is an HTML page, not a feed; read the feed it advertises, ${use}: ` +
        'put that URL in sources.json (one request less on every run)',
    },
  };
}
