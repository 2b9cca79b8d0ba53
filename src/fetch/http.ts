// One document over HTTP: conditional GET, redirects, retries with backoff and Retry-After, size and
// time limits. The body comes back as received: decompress.ts and decode.ts make it text. Every
// failure becomes a FeedloomError whose message names the method and URL.
import { isUtf8 } from 'node:buffer';
import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { FeedloomError } from '../errors.js';
import type { FetchLimits, Validators } from '../types.js';
import type { HttpClient } from './client.js';
import { isSupportedCoding } from './decompress.js';
import {
  GONE_RETRY_MS,
  MAX_BACKOFF_MS,
  PERMANENT_REDIRECTS,
  REDIRECT_STATUSES,
  RETRY_AFTER_STATUSES,
} from './limits.js';
import type { Release } from './semaphore.js';
import { tooLarge } from './too-large.js';

export type HttpResult =
  | {
      readonly status: 'ok';
      /** Final URL, after redirects. */
      readonly url: string;
      readonly contentType: string;
      /** The body as received; fetch/decode.ts takes off `contentEncodings` and turns it into text. */
      readonly body: Uint8Array;
      /** Content codings still on the body, in the order they were applied (Content-Encoding). */
      readonly contentEncodings: readonly string[];
      readonly validators: Validators;
      readonly modifiedAt?: Date;
      /** Bytes received on the wire (compressed). */
      readonly bytes: number;
      readonly httpStatus: number;
      /** Freshness lifetime the server gave (Cache-Control max-age, else Expires), in seconds. */
      readonly maxAgeS?: number;
      /** Where the URL moved for good: the target of its leading permanent redirects (see movedOf). */
      readonly movedTo?: string;
    }
  | {
      readonly status: 'not-modified';
      readonly url: string;
      readonly validators: Validators;
      readonly httpStatus: number;
      readonly maxAgeS?: number;
      readonly movedTo?: string;
    };

export interface HttpRequest {
  readonly url: string;
  readonly limits: FetchLimits;
  readonly previous: Validators;
  readonly accept: string;
  readonly client: HttpClient;
  readonly now: () => Date;
  /** Cancels the request and any wait between attempts (the daemon's stop after its grace period). */
  readonly signal?: AbortSignal;
}

/** Errors worth another attempt (connection refused or reset, a socket closed mid-body). */
const retryable = new WeakSet<FeedloomError>();

function fail(
  code: FeedloomError['code'],
  message: string,
  cause?: unknown,
  canRetry = false,
  detail: { httpStatus?: number; retryAt?: Date } = {},
): FeedloomError {
  const e = new FeedloomError(code, message, { ...(cause === undefined ? {} : { cause }), ...detail });
  if (canRetry) retryable.add(e);
  return e;
}

/**
 * GETs one URL with everything a polite, careful client does. Retries network errors, 5xx and 429
 * up to `limits.retries` times; a 304 answers `not-modified` with `previous` updated.
 */
export async function fetchHttp(req: HttpRequest): Promise<HttpResult> {
  const { limits, client } = req;
  const start = parseHttpUrl(req.url);
  for (let attempt = 1; ; attempt++) {
    let outcome: Outcome;
    try {
      outcome = await attemptOnce(start, req);
    } catch (e) {
      if (!(e instanceof FeedloomError) || !retryable.has(e)) throw e;
      if (attempt > limits.retries) throw gaveUp(e, attempt);
      await pause(backoff(attempt, client.settings.backoffBaseMs), req);
      continue;
    }
    if (outcome.kind === 'done') return outcome.result;

    const { status, url } = outcome;
    const line = `fetch: GET ${url}: ${status} ${STATUS_CODES[status] ?? 'Unknown Status'}`;
    if (status === 410) {
      // Gone is the server saying "for good" (RFC 9110 §15.5.11): the scheduler comes back daily,
      // so a feed that returns is noticed, and the user is told to act.
      throw fail(
        'FETCH_STATUS',
        `${line}: the server says it was removed for good; it is asked again once a day only: ` +
          'remove it from sources.json or point it at a new URL',
        undefined,
        false,
        { httpStatus: status, retryAt: new Date(req.now().getTime() + GONE_RETRY_MS) },
      );
    }
    // 4xx other than 429 are the client's fault or a gone feed: asking again changes nothing.
    if (status !== 429 && status < 500)
      throw fail('FETCH_STATUS', line, undefined, false, { httpStatus: status });
    let delay: number | undefined;
    if (RETRY_AFTER_STATUSES.has(status) && outcome.retryAfter !== undefined) {
      delay = retryAfterMs(outcome.retryAfter, req.now());
      const cap = client.settings.retryAfterCapMs;
      if (delay !== undefined && delay > 0 && delay <= cap) {
        // Meant for us, not only for this URL: the host's other requests wait too (acquireWhenOpen).
        // A longer one is this source's alone: a host-wide hold of hours would stall a daemon's every
        // source on a host where one path is down.
        client.holdHost(new URL(url).host, { untilMs: Date.now() + delay, status });
      }
      if (delay !== undefined && delay > cap) {
        const retryAt = new Date(req.now().getTime() + delay);
        throw fail(
          'FETCH_STATUS',
          `${line}; the server asked to be retried after ${retryAt.toISOString()} (in ${Math.ceil(delay / 1000)} s), ` +
            `longer than we wait within a run (fetch.retryAfterCapMs = ${cap} ms): try again after then`,
          undefined,
          false,
          { httpStatus: status, retryAt },
        );
      }
    }
    if (attempt > limits.retries) {
      // Out of attempts: the Retry-After still tells the scheduler when to come back.
      const retryAt = delay !== undefined ? new Date(req.now().getTime() + delay) : undefined;
      throw fail('FETCH_STATUS', `${line} (gave up after ${attempt} attempts)`, undefined, false, {
        httpStatus: status,
        ...(retryAt ? { retryAt } : {}),
      });
    }
    await pause(delay ?? backoff(attempt, client.settings.backoffBaseMs), req);
  }
}

type Outcome =
  | { readonly kind: 'done'; readonly result: HttpResult }
  | { readonly kind: 'status'; readonly status: number; readonly url: string; readonly retryAfter?: string };

/** Exponential backoff with "equal jitter": half the delay fixed, half random, so retries spread out. */
export function backoff(attempt: number, baseMs: number): number {
  const full = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** (attempt - 1));
  return full / 2 + Math.random() * (full / 2);
}

/** Retry-After (RFC 9110 §10.2.3) as milliseconds from `now`: delay-seconds or an HTTP-date. */
export function retryAfterMs(value: string, now: Date): number | undefined {
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}

/** Sleeps between attempts; a cancelled request stops waiting at once. */
async function pause(ms: number, req: HttpRequest): Promise<void> {
  try {
    await sleep(ms, undefined, req.signal ? { signal: req.signal } : undefined);
  } catch (e) {
    throw aborted(req.url, e);
  }
}

function aborted(url: string, cause: unknown): FeedloomError {
  return new FeedloomError('FETCH_ABORTED', `fetch: GET ${url}: cancelled (feedloom is stopping)`, { cause });
}

/**
 * Freshness lifetime in seconds (RFC 9111 §4.2.1): max-age (or s-maxage) of Cache-Control, else Expires
 * minus Date. `no-cache`/`no-store` say nothing about how often to poll, so they give none.
 */
export function freshnessS(
  cacheControl: string | undefined,
  expires: string | undefined,
  date: string | undefined,
): number | undefined {
  const directives = new Map<string, string>();
  for (const part of (cacheControl ?? '').split(',')) {
    const [k, v] = part.split('=');
    const key = k?.trim().toLowerCase();
    if (key) directives.set(key, (v ?? '').trim().replace(/^"|"$/g, ''));
  }
  // max-age is ours; s-maxage speaks to shared caches, so it only stands in when max-age is absent.
  for (const key of ['max-age', 's-maxage']) {
    const v = directives.get(key);
    if (v !== undefined && /^\d+$/.test(v)) return Number(v) > 0 ? Number(v) : undefined;
  }
  if (expires === undefined) return undefined;
  const until = Date.parse(expires);
  const from = date === undefined ? Number.NaN : Date.parse(date);
  if (Number.isNaN(until) || Number.isNaN(from)) return undefined;
  const s = Math.floor((until - from) / 1000);
  return s > 0 ? s : undefined;
}

function maxAgeOf(headers: Dispatcher.ResponseData['headers']): { maxAgeS?: number } {
  const s = freshnessS(
    headerOf(headers, 'cache-control'),
    headerOf(headers, 'expires'),
    headerOf(headers, 'date'),
  );
  return s === undefined ? {} : { maxAgeS: s };
}

function gaveUp(e: FeedloomError, attempts: number): FeedloomError {
  return new FeedloomError(e.code, `${e.message} (gave up after ${attempts} attempts)`, { cause: e.cause });
}

function parseHttpUrl(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch (e) {
    throw fail('FETCH_UNSUPPORTED', `fetch: not a valid URL: ${url}`, e);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw fail('FETCH_UNSUPPORTED', `fetch: ${url}: only http:, https: and file: URLs can be fetched`);
  }
  return u;
}

/** The whole-request budget: starts once we hold a slot, so time spent queueing is not counted. */
interface Deadline {
  readonly signal: AbortSignal;
  start(): void;
  clear(): void;
}

function deadlineOf(ms: number): Deadline {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  return {
    signal: controller.signal,
    start: () => {
      timer ??= setTimeout(() => controller.abort(new Error(`deadline of ${ms} ms passed`)), ms);
    },
    clear: () => clearTimeout(timer),
  };
}

function headerOf(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function validatorsOf(headers: Dispatcher.ResponseData['headers']): Validators {
  const etag = headerOf(headers, 'etag');
  const lastModified = headerOf(headers, 'last-modified');
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

/** Drains a body we do not want, so the keep-alive socket can serve the next request. */
async function discard(body: Dispatcher.ResponseData['body']): Promise<void> {
  await body.dump().catch(() => undefined);
}

/** One attempt: the redirect chain and the body, within one `limits.timeoutMs` budget. */
async function attemptOnce(start: URL, req: HttpRequest): Promise<Outcome> {
  const { limits, previous, client } = req;
  const headers: Record<string, string> = {
    'user-agent': client.settings.userAgent,
    accept: req.accept,
    'accept-encoding': 'gzip, deflate, br',
    ...(previous.etag ? { 'if-none-match': previous.etag } : {}),
    ...(previous.lastModified ? { 'if-modified-since': previous.lastModified } : {}),
  };
  const deadline = deadlineOf(limits.timeoutMs);
  const signal = req.signal ? AbortSignal.any([deadline.signal, req.signal]) : deadline.signal;
  if (req.signal?.aborted) throw aborted(start.href, req.signal.reason);
  let current = start;
  const hops: Hop[] = [{ url: start, permanent: false }];
  try {
    for (;;) {
      const release = await acquireWhenOpen(current, req);
      deadline.start();
      try {
        let res: Dispatcher.ResponseData;
        try {
          res = await client.dispatcher.request({
            origin: current.origin,
            path: `${current.pathname}${current.search}`,
            method: 'GET',
            headers,
            signal,
            headersTimeout: limits.timeoutMs,
            bodyTimeout: limits.timeoutMs,
          });
        } catch (e) {
          if (req.signal?.aborted) throw aborted(current.href, e);
          throw networkFailure(e, current.href, limits, deadline.signal);
        }
        const status = res.statusCode;
        const location = headerOf(res.headers, 'location');
        if (REDIRECT_STATUSES.has(status) && location) {
          await discard(res.body);
          current = nextHop(hops, location, status, limits.maxRedirects);
          continue;
        }
        if (status === 304) {
          await discard(res.body);
          // 304 carries no body; the stored validators stay, refreshed by any the server sent again.
          const result: HttpResult = {
            status: 'not-modified',
            url: current.href,
            validators: { ...previous, ...validatorsOf(res.headers) },
            httpStatus: 304,
            ...maxAgeOf(res.headers),
            ...movedOf(hops),
          };
          return { kind: 'done', result };
        }
        if (status < 200 || status > 299) {
          await discard(res.body);
          const retryAfter = headerOf(res.headers, 'retry-after');
          return { kind: 'status', status, url: current.href, ...(retryAfter ? { retryAfter } : {}) };
        }
        const body = await readBody(res, current.href, limits, deadline.signal).catch((e: unknown) => {
          throw req.signal?.aborted ? aborted(current.href, e) : e;
        });
        const contentType = headerOf(res.headers, 'content-type') ?? '';
        const validators = validatorsOf(res.headers);
        const modified = validators.lastModified ? new Date(validators.lastModified) : undefined;
        const result: HttpResult = {
          status: 'ok',
          url: current.href,
          contentType,
          body: body.bytes,
          contentEncodings: body.codings,
          validators,
          ...(modified && !Number.isNaN(modified.getTime()) ? { modifiedAt: modified } : {}),
          bytes: body.wireBytes,
          httpStatus: status,
          ...maxAgeOf(res.headers),
          ...movedOf(hops),
        };
        return { kind: 'done', result };
      } finally {
        release();
      }
    }
  } finally {
    deadline.clear();
  }
}

/**
 * A slot for the URL's host once the host is not holding us off: a short Retry-After it sent to
 * another request of this client, which every request to it waits out rather than collect its own.
 */
async function acquireWhenOpen(url: URL, req: HttpRequest): Promise<Release> {
  const { client } = req;
  for (;;) {
    const hold = client.hostHold(url.host);
    if (hold === undefined) {
      const release = await client.acquire(url.host);
      // A hold may have begun while we queued for the slot: the request that set it holds one too.
      if (client.hostHold(url.host) === undefined) return release;
      release();
      continue;
    }
    await pause(hold.untilMs - Date.now(), req);
  }
}

/** A URL of a redirect chain, and whether the status that led there says "moved for good". */
interface Hop {
  readonly url: URL;
  readonly permanent: boolean;
}

/**
 * The URL a redirect leads to, appended to `hops` (the chain so far, the URL requested first).
 * A URL already in the chain is a loop: no redirect limit would get out of it, so it is named as one.
 */
function nextHop(hops: Hop[], location: string, status: number, max: number): URL {
  const start = (hops[0] as Hop).url;
  const current = (hops.at(-1) as Hop).url;
  let next: URL;
  try {
    // RFC 9110 §10.2.2: a relative Location is resolved against the URL that was requested.
    next = new URL(asUtf8(location), current);
  } catch (e) {
    throw fail('FETCH_REDIRECTS', `fetch: GET ${current.href}: redirect to an invalid URL: ${location}`, e);
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw fail('FETCH_REDIRECTS', `fetch: GET ${current.href}: redirect to a non-HTTP URL: ${next.href}`);
  }
  if (hops.some((h) => h.url.href === next.href)) {
    const chain = [...hops.map((h) => h.url), next].map((u) => u.href).join(' -> ');
    throw fail(
      'FETCH_REDIRECTS',
      `fetch: GET ${start.href}: redirect loop: ${chain}; ` +
        'the server sends the request back where it started, so no redirect limit helps: check the URL in a browser',
    );
  }
  if (hops.length > max) {
    throw fail(
      'FETCH_REDIRECTS',
      `fetch: GET ${start.href}: more than ${max} redirects (maxRedirects, set per source or in defaults), last to ${next.href}; ` +
        'point the source at the final URL or raise the limit',
    );
  }
  hops.push({ url: next, permanent: PERMANENT_REDIRECTS.has(status) });
  return next;
}

/**
 * A header value as its sender meant it. Headers arrive as Latin-1, one character per byte; a server
 * that writes a non-ASCII path into Location sends its UTF-8 bytes, which browsers read as UTF-8.
 */
function asUtf8(value: string): string {
  if (!/[\x80-\xff]/.test(value)) return value;
  const bytes = Buffer.from(value, 'latin1');
  return isUtf8(bytes) ? bytes.toString('utf8') : value;
}

/**
 * Where the requested URL moved for good: the end of the permanent redirects (301, 308) it starts
 * with. A temporary hop after them is where the site stands today, not a new address; one before
 * them means the URL given is the one the site wants kept.
 */
function movedOf(hops: readonly Hop[]): { movedTo?: string } {
  let moved: URL | undefined;
  for (const hop of hops.slice(1)) {
    if (!hop.permanent) break;
    moved = hop.url;
  }
  return moved ? { movedTo: moved.href } : {};
}

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Turns whatever undici, a socket or a stream threw into our taxonomy. */
function networkFailure(e: unknown, url: string, limits: FetchLimits, deadline: AbortSignal): FeedloomError {
  if (e instanceof FeedloomError) return e;
  const code = errorCode(e);
  if (
    deadline.aborted ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    // Not retried: a server slower than the budget will most likely be as slow again, and three
    // timeouts in a row would hold a slot for three budgets.
    return fail(
      'FETCH_TIMEOUT',
      `fetch: GET ${url}: no complete response within ${limits.timeoutMs} ms (timeoutMs, set per source or in defaults)` +
        (code === 'UND_ERR_CONNECT_TIMEOUT' ? ': could not connect' : ''),
      e,
    );
  }
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return fail('FETCH_TOO_LARGE', `fetch: GET ${url}: response larger than undici's size backstop`, e);
  }
  const detail = oneLine(e instanceof Error ? e.message : String(e));
  if (code !== undefined && isTlsFailure(code)) {
    // The same handshake fails the same way a second later: an HTTPS URL on a plain HTTP port, an
    // expired or self-signed certificate. Not retried.
    return fail('FETCH_NETWORK', `fetch: GET ${url}: TLS failed: ${code} (${detail})`, e);
  }
  return fail(
    'FETCH_NETWORK',
    `fetch: GET ${url}: network error: ${code ? `${code} ` : ''}(${detail})`,
    e,
    true,
  );
}

/** Certificate verification codes of Node's TLS (OpenSSL's X509 names), beside the ERR_SSL_/ERR_TLS_ ones. */
const CERT_CODES = /^(ERR_SSL_|ERR_TLS_)|CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME_MISMATCH/;

function isTlsFailure(code: string): boolean {
  return CERT_CODES.test(code);
}

/**
 * An error message fit for one line of a report. OpenSSL's run over lines and name source files
 * ("80EC...:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/...:350:"):
 * its reason alone is kept.
 */
function oneLine(message: string): string {
  const reason = /:SSL routines:[^:]*:([^:\n]+)/.exec(message)?.[1];
  if (reason) return reason.trim();
  return message.replace(/\s+/g, ' ').trim();
}

/** Drops a body mid-stream (undici then closes the socket); the abort error it emits is expected. */
function abandon(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function contentEncodings(headers: Dispatcher.ResponseData['headers']): string[] {
  const raw = headers['content-encoding'];
  const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '' && v !== 'identity');
}

/**
 * Reads the body within limits.maxBytes, content codings left on (decompress.ts takes them off where
 * the body is decoded); on any failure the stream is destroyed and the socket dropped.
 */
async function readBody(
  res: Dispatcher.ResponseData,
  url: string,
  limits: FetchLimits,
  deadline: AbortSignal,
): Promise<{ bytes: Uint8Array; wireBytes: number; codings: string[] }> {
  const declared = Number(headerOf(res.headers, 'content-length'));
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    abandon(res.body);
    throw tooLarge(url, limits.maxBytes, 'maxBytes');
  }
  const codings = contentEncodings(res.headers);
  const unsupported = codings.find((c) => !isSupportedCoding(c));
  if (unsupported !== undefined) {
    abandon(res.body);
    throw fail(
      'FETCH_UNSUPPORTED',
      `fetch: GET ${url}: unsupported Content-Encoding '${unsupported}' (we ask for gzip, deflate or br)`,
    );
  }
  const chunks: Buffer[] = [];
  let wireBytes = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      wireBytes += chunk.length;
      if (wireBytes > limits.maxBytes) {
        abandon(res.body);
        throw tooLarge(url, limits.maxBytes, 'maxBytes');
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof FeedloomError) throw e;
    throw networkFailure(e, url, limits, deadline);
  }
  return { bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks), wireBytes, codings };
}
