import { describe, expect, it } from 'vitest';
import { selectEntries } from '../../../src/emit/index.js';
import { also, makeEntry, makeOutput, T0 } from './make-entry.js';

const NOW = new Date('2026-01-10T00:00:00Z');
const hoursAgo = (h: number): Date => new Date(NOW.getTime() - h * 3_600_000);
const TAGS = new Map<string, readonly string[]>([
  ['wire', ['world']],
  ['asia-wire', ['asia', 'world']],
  ['blog', []],
]);

describe('selectEntries', () => {
  it('orders newest first by item.published, ties broken by entryId', () => {
    const entries = [
      makeEntry({ entryId: 'b', item: { published: hoursAgo(5) } }),
      makeEntry({ entryId: 'c', item: { published: hoursAgo(1) } }),
      makeEntry({ entryId: 'z', item: { published: hoursAgo(5) } }),
      makeEntry({ entryId: 'a', item: { published: hoursAgo(5) } }),
    ];
    const ids = selectEntries(entries, makeOutput(), TAGS, NOW).map((e) => e.entryId);
    expect(ids).toEqual(['c', 'a', 'b', 'z']);
    // The input order does not matter: same set, same list.
    expect(selectEntries([...entries].reverse(), makeOutput(), TAGS, NOW).map((e) => e.entryId)).toEqual(ids);
  });

  it('keeps the newest `limit` entries', () => {
    const entries = Array.from({ length: 10 }, (_, i) =>
      makeEntry({ entryId: `e${i}`, item: { published: hoursAgo(i) } }),
    );
    expect(selectEntries(entries, makeOutput({ limit: 3 }), TAGS, NOW).map((e) => e.entryId)).toEqual([
      'e0',
      'e1',
      'e2',
    ]);
    expect(selectEntries(entries, makeOutput({ limit: 0 }), TAGS, NOW)).toEqual([]);
  });

  it('leaves out entries older than maxAgeDays', () => {
    const entries = [
      makeEntry({ entryId: 'fresh', item: { published: hoursAgo(47) } }),
      makeEntry({ entryId: 'stale', item: { published: hoursAgo(49) } }),
    ];
    const ids = selectEntries(entries, makeOutput({ maxAgeDays: 2 }), TAGS, NOW).map((e) => e.entryId);
    expect(ids).toEqual(['fresh']);
  });

  it('filters by source tags, matching any outlet that carried the story', () => {
    const entries = [
      makeEntry({ entryId: 'asia-rep', item: { sourceId: 'asia-wire', published: T0 } }),
      makeEntry({
        entryId: 'asia-also',
        item: { sourceId: 'blog', published: T0 },
        alsoFrom: [also('asia-wire', 'Asia Wire', 'https://asia.example/1')],
      }),
      makeEntry({ entryId: 'blog-only', item: { sourceId: 'blog', published: T0 } }),
      makeEntry({ entryId: 'unknown-source', item: { sourceId: 'gone', published: T0 } }),
    ];
    const ids = selectEntries(entries, makeOutput({ tags: ['asia'] }), TAGS, NOW).map((e) => e.entryId);
    expect(ids.sort()).toEqual(['asia-also', 'asia-rep']);
  });

  it('filters by source ids', () => {
    const entries = [
      makeEntry({ entryId: 'w', item: { sourceId: 'wire' } }),
      makeEntry({ entryId: 'b', item: { sourceId: 'blog' } }),
    ];
    const ids = selectEntries(entries, makeOutput({ sources: ['blog'] }), TAGS, NOW).map((e) => e.entryId);
    expect(ids).toEqual(['b']);
  });

  it('sorts an invalid date last instead of scrambling the order', () => {
    const entries = [
      makeEntry({ entryId: 'bad', item: { published: new Date(Number.NaN) } }),
      makeEntry({ entryId: 'old', item: { published: hoursAgo(10) } }),
      makeEntry({ entryId: 'new', item: { published: hoursAgo(1) } }),
    ];
    expect(selectEntries(entries, makeOutput(), TAGS, NOW).map((e) => e.entryId)).toEqual([
      'new',
      'old',
      'bad',
    ]);
    // With an age limit, an undatable entry cannot prove it is recent.
    expect(selectEntries(entries, makeOutput({ maxAgeDays: 30 }), TAGS, NOW).map((e) => e.entryId)).toEqual([
      'new',
      'old',
    ]);
  });
});
