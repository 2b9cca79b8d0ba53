// One error type for the whole program. The code is stable (tests and logs key on it); the message
// names the stage and the thing, and says what to fix.

export type ErrorCode =
  | 'CONFIG_READ'
  | 'CONFIG_INVALID'
  | 'FETCH_NETWORK'
  | 'FETCH_TIMEOUT'
  | 'FETCH_STATUS'
  | 'FETCH_TOO_LARGE'
  | 'FETCH_REDIRECTS'
  | 'FETCH_FILE'
  | 'FETCH_UNSUPPORTED'
  | 'FETCH_ABORTED'
  | 'PARSE_UNKNOWN_FORMAT'
  | 'PARSE_FEED'
  | 'PARSE_ENTITIES'
  | 'PARSE_ARTICLE'
  | 'PARSE_PAGE'
  | 'STORE'
  | 'EMIT_WRITE'
  | 'SERVE_LISTEN'
  | 'LOCKED';

export class FeedloomError extends Error {
  readonly code: ErrorCode;
  /** Several independent problems (a config with many mistakes), one line each. */
  readonly problems: readonly string[];
  /** HTTP status of the response that failed, where there was one. */
  readonly httpStatus?: number;
  /** The server asked not to be asked again before this time (Retry-After past the in-run cap). */
  readonly retryAt?: Date;

  /**
   * @example
   * throw new FeedloomError('FETCH_STATUS', 'fetch: https://x.example/rss.xml: 503 Service Unavailable');
   */
  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; problems?: readonly string[]; httpStatus?: number; retryAt?: Date },
  ) {
    super(message, options);
    this.name = 'FeedloomError';
    this.code = code;
    this.problems = options?.problems ?? [];
    if (options?.httpStatus !== undefined) this.httpStatus = options.httpStatus;
    if (options?.retryAt !== undefined) this.retryAt = options.retryAt;
  }
}

export function isFeedloomError(e: unknown): e is FeedloomError {
  return e instanceof FeedloomError;
}

/** The message of anything thrown, for reports. */
export function describeError(e: unknown): { code: string; message: string } {
  if (e instanceof FeedloomError) return { code: e.code, message: e.message };
  if (e instanceof Error) return { code: 'INTERNAL', message: e.message };
  return { code: 'INTERNAL', message: String(e) };
}
