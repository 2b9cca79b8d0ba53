// The fetch stage: Source → Fetched. HTTP(S) through the run's shared client, local paths and file:
// URLs from disk. Throws FeedloomError; the pipeline turns that into the source's report.
import { fileURLToPath } from 'node:url';
import { FeedloomError } from '../errors.js';
import type { Fetched, FetchedDocument, FetchLimits, Source, Validators } from '../types.js';
import type { HttpClient } from './client.js';
import { fetchLocal } from './file.js';
import { fetchHttp } from './http.js';
import { ACCEPT, DEFAULT_LIMITS } from './limits.js';

export { createHttpClient, type HttpClient } from './client.js';
export { type Decoded, decodeBody } from './decode.js';
export { ACCEPT, DEFAULT_FETCH_SETTINGS, DEFAULT_LIMITS } from './limits.js';

export interface FetchContext {
  now(): Date;
  client: HttpClient;
}

/** One document fetched by URL (the full-text fetcher's unit), or "not modified". */
export type FetchedUrl =
  | {
      readonly status: 'ok';
      readonly url: string;
      readonly document: FetchedDocument;
      readonly validators: Validators;
      readonly fetchedAt: Date;
      readonly bytes: number;
    }
  | {
      readonly status: 'not-modified';
      readonly url: string;
      readonly validators: Validators;
      readonly fetchedAt: Date;
    };

/**
 * Fetches a source: conditional GET for http(s) URLs, a file or an article folder for local paths.
 * `previous` are the validators stored after the last successful fetch (`{}` the first time).
 *
 * @example
 * const fetched = await fetchSource(source, store.validators(source.id), { now: () => new Date(), client });
 * if (fetched.status === 'not-modified') return; // nothing to ingest
 */
export async function fetchSource(source: Source, previous: Validators, ctx: FetchContext): Promise<Fetched> {
  const limits = { ...DEFAULT_LIMITS, ...source.limits };
  const local = localPathOf(source.location);
  if (local !== undefined) {
    const result = await fetchLocal({
      path: local,
      allowFolder: source.kind === 'article',
      maxBytes: limits.maxBytes,
      previous,
      label: `source '${source.id}'`,
    });
    const fetchedAt = ctx.now();
    return result.status === 'ok'
      ? { ...result, source, fetchedAt }
      : { status: 'not-modified', source, url: result.url, validators: result.validators, fetchedAt };
  }
  const url = 'url' in source.location ? source.location.url : '';
  const result = await fetchHttp({
    url,
    limits,
    previous,
    accept: ACCEPT[source.kind],
    client: ctx.client,
    now: () => ctx.now(),
  });
  const fetchedAt = ctx.now();
  if (result.status === 'not-modified') {
    return { status: 'not-modified', source, url: result.url, validators: result.validators, fetchedAt };
  }
  const { validators, bytes, status: _ok, ...document } = result;
  return { status: 'ok', source, url: result.url, documents: [document], validators, fetchedAt, bytes };
}

/**
 * Fetches one document by URL with the given limits: used to fetch full-text article pages.
 * Accepts http(s) and file: URLs; `accept` defaults to the HTML-first header of article sources.
 *
 * @example
 * const page = await fetchUrl(item.link, source.limits, {}, ctx);
 * if (page.status === 'ok') extractArticle(page.document.text, page.document.url);
 */
export async function fetchUrl(
  url: string,
  limits: Partial<FetchLimits>,
  previous: Validators,
  ctx: FetchContext,
  options: { readonly accept?: string } = {},
): Promise<FetchedUrl> {
  const merged = { ...DEFAULT_LIMITS, ...limits };
  const local = localPathOf({ url });
  if (local !== undefined) {
    const result = await fetchLocal({
      path: local,
      allowFolder: false,
      maxBytes: merged.maxBytes,
      previous,
      label: url,
    });
    const fetchedAt = ctx.now();
    if (result.status === 'not-modified') return { ...result, fetchedAt };
    const document = result.documents[0];
    if (!document) throw new FeedloomError('FETCH_FILE', `fetch: ${url}: nothing to read`);
    return {
      status: 'ok',
      url: result.url,
      document,
      validators: result.validators,
      fetchedAt,
      bytes: result.bytes,
    };
  }
  const result = await fetchHttp({
    url,
    limits: merged,
    previous,
    accept: options.accept ?? ACCEPT.article,
    client: ctx.client,
    now: () => ctx.now(),
  });
  const fetchedAt = ctx.now();
  if (result.status === 'not-modified') return { ...result, fetchedAt };
  const { validators, bytes, status: _ok, ...document } = result;
  return { status: 'ok', url: result.url, document, validators, fetchedAt, bytes };
}

/** The local path a location names (`path`, or a `file:` URL), else undefined. */
function localPathOf(location: Source['location']): string | undefined {
  if ('path' in location) return location.path;
  if (!location.url.toLowerCase().startsWith('file:')) return undefined;
  try {
    return fileURLToPath(location.url);
  } catch (e) {
    throw new FeedloomError('FETCH_FILE', `fetch: ${location.url}: not a usable file: URL`, { cause: e });
  }
}
