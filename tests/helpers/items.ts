import type { Item } from '../../src/types.js';
import { hashOf } from '../../src/util/hash.js';

/** A clean Item as normalize would give, for tests of the later stages. */
export function makeItem(over: Partial<Item> & { sourceId?: string; guid?: string } = {}): Item {
  const sourceId = over.sourceId ?? 'src';
  const guid = over.guid ?? over.link ?? 'g1';
  const title = over.title ?? `Title of ${guid}`;
  const summary =
    over.summary ??
    `A summary of ${guid} that is long enough to be distinctive, with words enough to count as content.`;
  return {
    key: hashOf([sourceId, guid]),
    sourceId,
    guid,
    link: over.link ?? `https://news.example/${encodeURIComponent(guid)}`,
    title,
    contentHtml: over.contentHtml ?? `<p>${summary}</p>`,
    summary,
    published: over.published ?? new Date('2026-01-01T10:00:00Z'),
    publishedGuessed: over.publishedGuessed ?? false,
    authors: over.authors ?? [],
    tags: over.tags ?? [],
    enclosures: over.enclosures ?? [],
    contentHash: over.contentHash ?? hashOf([title, summary, over.link]),
    fingerprint: over.fingerprint ?? hashOf([summary.toLowerCase()]),
    ...(over.image ? { image: over.image } : {}),
    ...(over.updated ? { updated: over.updated } : {}),
    ...(over.key ? { key: over.key } : {}),
  };
}
