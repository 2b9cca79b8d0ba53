// Shared bits of the fetch tests: Source objects built by hand, fast client settings, a fixed clock.
import type { FetchLimits, FetchSettings, Source } from '../../../src/types.js';

export const NOW = new Date('2026-01-05T10:00:00Z');

/** Small budgets so failing paths fail fast. */
export const TEST_LIMITS: FetchLimits = {
  timeoutMs: 2_000,
  maxBytes: 1024 * 1024,
  maxDecompressedBytes: 4 * 1024 * 1024,
  maxRedirects: 5,
  retries: 2,
};

export const TEST_SETTINGS: FetchSettings = {
  concurrency: 16,
  perHost: 4,
  retryAfterCapMs: 5_000,
  backoffBaseMs: 10,
};

export function sourceAt(
  location: Source['location'],
  limits: Partial<FetchLimits> = {},
  kind: 'feed' | 'article' = 'feed',
): Source {
  return {
    id: 'test-source',
    kind,
    location,
    tags: [],
    schedule: '*/30 * * * *',
    priority: 0,
    maxItems: 100,
    limits: { ...TEST_LIMITS, ...limits },
  };
}
