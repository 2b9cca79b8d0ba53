// The fetch stage: Source → Fetched. HTTP(S) through the run's shared client, local paths and file:
// URLs from disk. Throws FeedloomError; the pipeline turns that into the source's report.
import { fileURLToPath } from 'node:url';
import { FeedloomError } from '../errors.js';
import type { EncodedDocument, Fetched, FetchedDocument, FetchLimits, Source, Validators } from '../types.js';
import type { HttpClient } from './client.js';
import { decodeDocument, decodeFetched } from './decode.js';
import { fetchLocal } from './file.js';
import { fetchHttp, type HttpResult } from './http.js';
import { ACCEPT, DEFAULT_LIMITS } from './limits.js';

export { createHttpClient, type HttpClient } from './client.js';
export { type Decoded, decodeBody, decodeDocument, decodeFetched } from './decode.js';
export { ACCEPT, DEFAULT_FETCH_SETTINGS, DEFAULT_LIMITS } from './limits.js';
export { createSemaphore, type Release, type Semaphore } from './semaphore.js';

export interface FetchContext {
  now(): Date;
  client: HttpClient;
  /** Cancels HTTP requests in flight (a stopping daemon); the fetch then fails with FETCH_ABORTED. */
  signal?: AbortSignal;
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
  const fetched = await fetchSourceEncoded(source, previous, ctx);
  return fetched.status === 'ok' ? decodeFetched(fetched) : fetched;
}

/**
 * fetchSource without the decoding of HTTP bodies: their documents carry the bytes, for a worker
 * to decode (decodeDocument). Local files come decoded.
 *
 * @example
 * const fetched = await fetchSourceEncoded(source, previous, ctx); // then pool.read({ fetched, ... })
 */
export async function fetchSourceEncoded(
  source: Source,
  previous: Validators,
  ctx: FetchContext,
): Promise<Fetched<FetchedDocument | EncodedDocument>> {
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
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const fetchedAt = ctx.now();
  const hints = {
    httpStatus: result.httpStatus,
    ...(result.maxAgeS ? { maxAgeS: result.maxAgeS } : {}),
    ...(result.movedTo ? { movedTo: result.movedTo } : {}),
  };
  if (result.status === 'not-modified') {
    return {
      status: 'not-modified',
      source,
      url: result.url,
      validators: result.validators,
      fetchedAt,
      ...hints,
    };
  }
  const { validators, bytes } = result;
  return {
    status: 'ok',
    source,
    url: result.url,
    documents: [encodedDocument(result, limits.maxDecompressedBytes)],
    validators,
    fetchedAt,
    bytes,
    ...hints,
  };
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
  if (result.status === 'not-modified') {
    return { status: 'not-modified', url: result.url, validators: result.validators, fetchedAt };
  }
  const { validators, bytes } = result;
  const document = decodeDocument(encodedDocument(result, merged.maxDecompressedBytes));
  return { status: 'ok', url: result.url, document, validators, fetchedAt, bytes };
}

function encodedDocument(
  result: Extract<HttpResult, { status: 'ok' }>,
  maxDecompressedBytes: number,
): EncodedDocument {
  return {
    url: result.url,
    contentType: result.contentType,
    body: result.body,
    // The limit goes along even without codings: a gzip file served as it is comes off too.
    maxDecompressedBytes,
    ...(result.contentEncodings.length > 0 ? { contentEncodings: result.contentEncodings } : {}),
    ...(result.modifiedAt ? { modifiedAt: result.modifiedAt } : {}),
  };
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

/** What a form POST got back: the status and the start of the body (for an error message). */
export interface PostResult {
  readonly status: number;
  readonly body: string;
}

/** Longest a POST may take, and how much of its answer we read: hubs answer with a status and a line. */
const POST_LIMITS = { timeoutMs: 10_000, maxBodyBytes: 16_384 } as const;

/**
 * POSTs `fields` as application/x-www-form-urlencoded through the run's client (its User-Agent and
 * per-host slots). Any status resolves; network failures and timeouts throw FeedloomError.
 * Used for WebSub publish pings.
 *
 * @example
 * const r = await postForm('https://hub.example/', { 'hub.mode': 'publish', 'hub.url': feedUrl }, client);
 * if (r.status >= 300) warn(r.status);
 */
export async function postForm(
  url: string,
  fields: Readonly<Record<string, string>>,
  client: HttpClient,
  timeoutMs: number = POST_LIMITS.timeoutMs,
): Promise<PostResult> {
  const target = new URL(url);
  const body = new URLSearchParams(fields).toString();
  const release = await client.acquire(target.host);
  try {
    const res = await client.dispatcher.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': client.settings.userAgent,
      },
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      // One deadline for the whole exchange: a hub that trickles its answer byte by byte never
      // trips bodyTimeout (a limit on the gap between chunks), and would hold up the write after it.
      signal: AbortSignal.timeout(timeoutMs),
    });
    let text = '';
    for await (const chunk of res.body) {
      text += Buffer.from(chunk as Uint8Array).toString('utf8');
      if (text.length >= POST_LIMITS.maxBodyBytes) {
        // Enough to report what the hub said; the rest is not read.
        res.body.destroy();
        break;
      }
    }
    return { status: res.statusCode, body: text.slice(0, POST_LIMITS.maxBodyBytes) };
  } catch (e) {
    const timeout = /timeout/i.test((e as Error).name ?? '') || /timeout/i.test((e as Error).message ?? '');
    throw new FeedloomError(
      timeout ? 'FETCH_TIMEOUT' : 'FETCH_NETWORK',
      `fetch: POST ${url}: ${timeout ? `no answer within ${timeoutMs} ms` : (e as Error).message}`,
      { cause: e },
    );
  } finally {
    release();
  }
}
