// Every limit and header of the fetch stage, as data. Config merges per-source limits over these; the
// fetch stage falls back to them when handed a partial object (tests, the full-text fetcher).
import type { FetchLimits, FetchSettings, SourceKind } from '../types.js';

const MB = 1024 * 1024;

export const DEFAULT_LIMITS: FetchLimits = {
  timeoutMs: 15_000,
  maxBytes: 10 * MB,
  // A feed compresses about 5-10x; anything past this is a decompression bomb, not news.
  maxDecompressedBytes: 50 * MB,
  maxRedirects: 5,
  retries: 2,
};

export const DEFAULT_FETCH_SETTINGS: FetchSettings = {
  concurrency: 16,
  // Politeness: a single site never sees more than this many requests from us at once.
  perHost: 4,
  retryAfterCapMs: 60_000,
  backoffBaseMs: 500,
};

/** undici's connect timeout defaults to 10 s but its header and body timeouts to 300 s: we set all. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** Idle keep-alive sockets are kept this long, so the next source on the same host reuses them. */
export const KEEP_ALIVE_MS = 10_000;
/** No single backoff sleep is longer than this, whatever the attempt number. */
export const MAX_BACKOFF_MS = 30_000;
/**
 * Backstop for undici's own `maxResponseSize` (default: unlimited). Our per-source counter enforces
 * `limits.maxBytes` precisely; this only guarantees undici itself never buffers without bound.
 */
export const HARD_MAX_RESPONSE_BYTES = 1024 * MB;

/** Redirect statuses we follow. 300 (multiple choices) and 305 (use proxy) are not redirects to follow. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** After a 410 Gone, the URL is not asked again before this (the scheduler's Retry-After). */
export const GONE_RETRY_MS = 24 * 60 * 60 * 1000;
/** Redirects that say the resource moved for good (RFC 9110 §15.4.2, §15.4.9): update the link. */
export const PERMANENT_REDIRECTS: ReadonlySet<number> = new Set([301, 308]);
/** Statuses that may carry Retry-After worth honouring (RFC 9110 §10.2.3). */
export const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Accept headers by what we hope to receive. Feeds first for feed sources, HTML for pages. */
export const ACCEPT: Readonly<Record<SourceKind, string>> = {
  feed: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml, text/xml, application/json;q=0.9, text/html;q=0.8, */*;q=0.5',
  page: 'text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.5',
  article: 'text/html, application/xhtml+xml, text/markdown;q=0.9, text/plain;q=0.9, */*;q=0.5',
};

/** Content-Encoding values we decode by hand; `identity` means none. */
export const CONTENT_ENCODINGS = ['gzip', 'x-gzip', 'deflate', 'br', 'identity'] as const;

/** Files an `article` folder contributes, by lower-case extension. */
export const ARTICLE_EXTENSIONS: ReadonlySet<string> = new Set(['.html', '.htm', '.txt', '.md', '.markdown']);

/** Content types for local files, by lower-case extension; others are application/octet-stream. */
export const LOCAL_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html',
  '.htm': 'text/html',
  '.xhtml': 'application/xhtml+xml',
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.xml': 'application/xml',
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml',
  '.rdf': 'application/rdf+xml',
  '.json': 'application/json',
};
