// Builds Fetched objects by hand: the ingest stage never fetches, so its tests do not either.
import type { Fetched, FetchedDocument, PageSelectors, Source } from '../../../src/types.js';

type Ok = Extract<Fetched, { status: 'ok' }>;

export const NOW = new Date('2026-01-10T12:00:00Z');
export const ctx = { now: () => NOW };

export function doc(url: string, text: string, extra: Partial<FetchedDocument> = {}): FetchedDocument {
  return { url, contentType: 'application/octet-stream', charset: 'utf-8', text, ...extra };
}

export function fetched(
  kind: Source['kind'],
  documents: readonly FetchedDocument[],
  options: { maxItems?: number; select?: PageSelectors; id?: string } = {},
): Ok {
  const base = {
    id: options.id ?? 'test-source',
    location: { url: documents[0]?.url ?? 'https://example.test/' },
    tags: [],
    schedule: '*/30 * * * *',
    priority: 0,
    maxItems: options.maxItems ?? 500,
    limits: { timeoutMs: 1000, maxBytes: 1e7, maxDecompressedBytes: 1e8, maxRedirects: 5, retries: 0 },
  };
  const source: Source =
    kind === 'page'
      ? { ...base, kind, select: options.select ?? { item: 'article', title: 'h2', link: 'a' } }
      : { ...base, kind };
  return {
    status: 'ok',
    source,
    url: documents[0]?.url ?? 'https://example.test/',
    documents,
    validators: {},
    fetchedAt: NOW,
    bytes: documents.reduce((n, d) => n + d.text.length, 0),
  };
}
