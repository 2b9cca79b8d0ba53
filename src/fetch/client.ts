// The HTTP client of one run: a keep-alive undici Agent shared by every source, and the two request
// caps (all hosts together, and per host). Redirects, retries and decompression live in http.ts and are
// written by hand rather than composed from undici interceptors: we need Retry-After with a cap that
// fails with a message, redirect counts reported as our own error, and decompressed-size limits, and
// 7.x's decompress interceptor is experimental (it prints an ExperimentalWarning).
import type { Dispatcher } from 'undici';
import type { FetchSettings } from '../types.js';
import { USER_AGENT } from '../util/version.js';
import {
  CONNECT_TIMEOUT_MS,
  DEFAULT_FETCH_SETTINGS,
  HARD_MAX_RESPONSE_BYTES,
  KEEP_ALIVE_MS,
} from './limits.js';
import { createKeyedSemaphore, createSemaphore, type Release } from './semaphore.js';
import { Agent } from './undici-agent.js';

export interface HttpClient {
  readonly settings: Required<FetchSettings>;
  /** The undici dispatcher; for this stage's own modules. */
  readonly dispatcher: Dispatcher;
  /** Waits for a slot for `host` and an overall slot; call the result once the response body is done. */
  acquire(host: string): Promise<Release>;
  /** Closes idle keep-alive sockets and waits for requests in flight. */
  close(): Promise<void>;
  /** Records that `host` asked to be left alone (Retry-After) until `hold.untilMs` (Date.now() time). */
  holdHost(host: string, hold: HostHold): void;
  /** The hold `host` asked for, while it lasts. */
  hostHold(host: string): HostHold | undefined;
}

/**
 * A server's short Retry-After (one a run waits out), kept for its whole host: every request there
 * waits, not only the one that was answered.
 */
export interface HostHold {
  /** End of the hold on the real clock (Date.now()), which the waits measure against. */
  readonly untilMs: number;
  /** The status that asked (429 or 503). */
  readonly status: number;
}

/**
 * Creates the one HTTP client of a run. Close it when the run ends, or keep-alive sockets hold the
 * process open for a few seconds.
 *
 * @example
 * const client = createHttpClient(config.fetch);
 * try { await fetchSource(source, previous, { now: () => new Date(), client }); } finally { await client.close(); }
 */
export function createHttpClient(settings: Partial<FetchSettings> = {}): HttpClient {
  const resolved: Required<FetchSettings> = {
    ...DEFAULT_FETCH_SETTINGS,
    userAgent: USER_AGENT,
    ...withoutUndefined(settings),
  };
  const dispatcher = new Agent({
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MS * 6,
    connect: { timeout: CONNECT_TIMEOUT_MS },
    // Per-request values from the source's limits override these two on every call.
    headersTimeout: CONNECT_TIMEOUT_MS,
    bodyTimeout: CONNECT_TIMEOUT_MS,
    maxResponseSize: HARD_MAX_RESPONSE_BYTES,
  });
  const overall = createSemaphore(resolved.concurrency);
  const perHost = createKeyedSemaphore(resolved.perHost);
  const holds = new Map<string, HostHold>();

  return {
    settings: resolved,
    dispatcher,
    acquire: async (host) => {
      // Host first: a request queued behind its own host must not sit on an overall slot meanwhile.
      const releaseHost = await perHost.acquire(host);
      const releaseOverall = await overall.acquire();
      return () => {
        releaseOverall();
        releaseHost();
      };
    },
    close: () => dispatcher.close(),
    holdHost: (host, hold) => {
      // A later answer may shorten nothing: the longest wait asked for stands.
      if ((holds.get(host)?.untilMs ?? 0) < hold.untilMs) holds.set(host, hold);
    },
    hostHold: (host) => {
      const hold = holds.get(host);
      if (hold && hold.untilMs <= Date.now()) holds.delete(host);
      return hold && hold.untilMs > Date.now() ? hold : undefined;
    },
  };
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
