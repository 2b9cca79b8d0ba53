// Every limit has a default (DESIGN.md: "Every limit has a default"). One table, so a review diffs data.

export const DEFAULTS = {
  configFile: 'sources.json',
  outDir: 'output',
  stateDir: '.feedloom',
  schedule: '*/30 * * * *',
  /** Whole request budget: connect, headers and body together. */
  timeoutMs: 15_000,
  /** On the wire; a feed this large is almost always a mistake or an attack. */
  maxBytes: 10 * 1024 * 1024,
  /** After gzip/br: bounds a decompression bomb. */
  maxDecompressedBytes: 50 * 1024 * 1024,
  maxRedirects: 5,
  retries: 2,
  /** Items taken from one source per run; the rest are ignored with a warning. */
  maxItems: 500,
  priority: 0,
  concurrency: 16,
  perHost: 4,
  /** Waiting longer than this inside one run would stall the others; the next run retries. */
  retryAfterCapMs: 60_000,
  backoffBaseMs: 500,
  outputLimit: 100,
  dedupeWindowDays: 7,
  dedupeNear: true,
  /** Chosen on the labeled corpus in tests/fixtures/dedupe (see src/dedupe/near.ts). */
  dedupeThreshold: 0.45,
  siteTitle: 'feedloom',
  /** No floor by default: a source is held back only by what it asks for (ttl, max-age) and by failures. */
  minIntervalMinutes: 0,
  jitterSeconds: 30,
  backoffCapHours: 24,
  deadAfterFailures: 10,
  deadAfterHours: 24,
  graceSeconds: 10,
  debounceSeconds: 2,
} as const;
