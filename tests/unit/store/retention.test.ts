// Retention (issue 5): what prune deletes and, above all, what it must keep.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import { decodeChunk } from '../../../src/store/band-table.js';
import {
  FETCH_LOG_KEEP,
  LAST_SEEN_GRANULARITY_MS,
  openSqliteStore,
  RETENTION_POLICY,
  retentionCutoff,
  retentionDays,
  STATE_FILE,
  type Store,
} from '../../../src/store/index.js';
import type { Item } from '../../../src/types.js';
import { makeItem } from '../../helpers/items.js';
import { tempDir } from '../../helpers/tmp.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const day = (n: number): Date => new Date(T0 + n * DAY);

interface Saved {
  item: Item;
  entryId: string;
  newEntry?: boolean;
  exactEntryId?: string;
  bands?: number[];
}

/** One fetch of `sourceId` on day `n` holding `items` (their last_seen becomes that day). */
function fetchOn(store: Store, sourceId: string, n: number, items: Saved[], seenRaw: string[] = []): void {
  store.saveSourceRun({
    runId: n,
    sourceId,
    at: day(n),
    status: 'ok',
    validators: {},
    items: items.map((s) => ({
      item: s.item,
      rawHash: `raw-${s.item.key}`,
      entryId: s.entryId,
      newEntry: s.newEntry ?? true,
      linkKey: s.item.link,
      priority: 0,
      ...(s.exactEntryId ? { exact: { entryId: s.exactEntryId, newEntry: s.newEntry ?? true } } : {}),
      ...(s.bands ? { nearSignature: Buffer.from('sig'), nearBands: s.bands } : {}),
    })),
    seenRawHashes: seenRaw,
  });
}

const item = (sourceId: string, guid: string, publishedDay: number): Item =>
  makeItem({ sourceId, guid, published: day(publishedDay) });

function open(dir: string): { db: Database.Database; count(sql: string, ...args: unknown[]): number } {
  const db = new Database(join(dir, STATE_FILE));
  return {
    db,
    count: (sql, ...args) => (db.prepare(sql).get(...args) as { n: number }).n,
  };
}

describe('retentionDays', () => {
  it.each([
    ['the dedupe window plus the margin', { dedupeWindowDays: 7, maxAgeDays: [] }, 7 + 7],
    ['the longest output age plus the margin', { dedupeWindowDays: 7, maxAgeDays: [30, undefined, 3] }, 37],
    ['the override as given', { dedupeWindowDays: 7, maxAgeDays: [30], override: 90 }, 90],
  ])('%s', (_name, needs, expected) => {
    expect(retentionDays(needs)).toBe(expected);
  });

  it('counts the cutoff back from now', () => {
    expect(retentionCutoff(day(30), 10)).toEqual(day(20));
    expect(RETENTION_POLICY.marginDays).toBeGreaterThan(0);
  });
});

describe('prune', () => {
  it('deletes an old item no feed carries and no output shows, with its bands and stories', async () => {
    const dir = await tempDir();
    const store = openSqliteStore(dir);
    const gone = item('a', 'gone', 0);
    fetchOn(store, 'a', 0, [{ item: gone, entryId: 'e-gone', bands: [1, 2] }]);
    // Day 40: the feed moved on; only the new item is in it.
    const fresh = item('a', 'fresh', 40);
    fetchOn(store, 'a', 40, [{ item: fresh, entryId: 'e-fresh', bands: [3] }]);

    const report = store.prune({ before: day(26), keep: [] });
    store.close();

    expect(report).toMatchObject({ items: 1, entries: 2, bands: 1 });
    const { db, count } = open(dir);
    expect(count('SELECT count(*) AS n FROM items WHERE key = ?', gone.key)).toBe(0);
    expect(count("SELECT count(*) AS n FROM entries WHERE entry_id = 'e-gone'")).toBe(0);
    expect(count("SELECT count(*) AS n FROM exact_entries WHERE entry_id = 'e-gone'")).toBe(0);
    expect(count('SELECT count(*) AS n FROM near_chunks')).toBe(1);
    expect(count('SELECT count(*) AS n FROM items WHERE key = ?', fresh.key)).toBe(1);
    // The chunk left holds the fresh item's bands.
    const chunk = db.prepare('SELECT items FROM near_chunks').get() as { items: Buffer };
    const rowids: number[] = [];
    decodeChunk(chunk.items, (rowid, _firstSeen, values, start, end) => {
      rowids.push(rowid);
      expect([...values.subarray(start, end)]).toEqual([3]);
    });
    expect(rowids).toEqual([count('SELECT rowid AS n FROM items WHERE key = ?', fresh.key)]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('keeps every item of the source’s latest feed, however old, even after weeks of 304s', async () => {
    const dir = await tempDir();
    const store = openSqliteStore(dir);
    const pinned = item('quiet', 'pinned', 0);
    const older = item('quiet', 'older', 0);
    fetchOn(store, 'quiet', 0, [
      { item: pinned, entryId: 'e-pinned' },
      { item: older, entryId: 'e-older' },
    ]);
    // Day 5: the feed still carries "pinned" (seen unchanged) but no longer "older".
    fetchOn(store, 'quiet', 5, [], [`raw-${pinned.key}`]);
    // Then only 304s: nothing in the store moves, so the latest feed is the one of day 5.
    store.saveSourceRun({
      runId: 90,
      sourceId: 'quiet',
      at: day(90),
      status: 'not-modified',
      validators: {},
      items: [],
      seenRawHashes: [],
    });

    const report = store.prune({ before: day(76), keep: [] });
    expect(report.items).toBe(1);
    // Still remembered: when the feed changes, "pinned" is not new again.
    expect(store.item(pinned.key)?.entryId).toBe('e-pinned');
    expect(store.item(older.key)).toBeUndefined();
    store.close();
  });

  it('rewrites an unchanged item’s last_seen at most hourly, and still counts it in the latest feed', async () => {
    const dir = await tempDir();
    const store = openSqliteStore(dir);
    const steady = item('busy', 'steady', 0);
    fetchOn(store, 'busy', 0, [{ item: steady, entryId: 'e-steady' }]);
    const lastSeen = () => open(dir).count('SELECT last_seen AS n FROM items WHERE key = ?', steady.key);
    // 30 minutes later the feed changed (a new item) and still carries "steady": no rewrite.
    const halfHour = LAST_SEEN_GRANULARITY_MS / 2 / DAY;
    const fresh = item('busy', 'fresh', 0);
    fetchOn(store, 'busy', halfHour, [{ item: fresh, entryId: 'e-fresh' }], [`raw-${steady.key}`]);
    store.flush();
    expect(lastSeen()).toBe(day(0).getTime());
    // Weeks of 304s later, "steady" is still part of the latest feed: kept, though seen half an hour
    // before the newest item of the source.
    const report = store.prune({ before: day(60), keep: [] });
    expect(report.items).toBe(0);
    expect(store.item(steady.key)?.entryId).toBe('e-steady');
    // Over an hour later it is rewritten.
    fetchOn(store, 'busy', 2 * halfHour + 0.01, [], [`raw-${steady.key}`]);
    store.flush();
    expect(lastSeen()).toBe(day(2 * halfHour + 0.01).getTime());
    store.close();
  });

  it('keeps an output’s newest entries whatever their age, and only those', async () => {
    const dir = await tempDir();
    const store = openSqliteStore(dir);
    // Ten stories, one every ten days; then the feed rotates to a new item only.
    for (let n = 0; n < 10; n++)
      fetchOn(store, 'rare', n * 10, [{ item: item('rare', `r${n}`, n * 10), entryId: `r${n}` }]);
    fetchOn(store, 'rare', 200, [{ item: item('rare', 'latest', 200), entryId: 'latest' }]);

    store.prune({ before: day(186), keep: [{ sourceIds: ['rare'], limit: 4 }] });
    const shown = store.entries({ sourceIds: ['rare'], limit: 100 }, (id) => id).map((e) => e.entryId);
    expect(shown).toEqual(['latest', 'r9', 'r8', 'r7']);
    store.close();
  });

  it('keeps entries an output with maxAgeDays still shows, and prunes past its age', async () => {
    const dir = await tempDir();
    const store = openSqliteStore(dir);
    for (let n = 0; n < 5; n++) fetchOn(store, 'a', n, [{ item: item('a', `i${n}`, n), entryId: `i${n}` }]);
    fetchOn(store, 'a', 100, [{ item: item('a', 'now', 100), entryId: 'now' }]);
    // The output shows 50 entries but only those published since day 3: i3, i4 (and "now").
    store.prune({ before: day(90), keep: [{ sourceIds: ['a'], limit: 50, since: day(3) }] });
    const left = store.entries({ sourceIds: ['a'], limit: 100 }, (id) => id).map((e) => e.entryId);
    expect(left).toEqual(['now', 'i4', 'i3']);
    store.close();
  });

  it('keeps a story whole: an old copy stays while a recent copy of the same story does', async () => {
    const dir = await tempDir();
    const store = openSqliteStore(dir);
    const original = item('a', 'original', 0);
    fetchOn(store, 'a', 0, [{ item: original, entryId: 'story' }]);
    fetchOn(store, 'a', 50, [{ item: item('a', 'next', 50), entryId: 'next' }]);
    // A late copy from another source joins the story (near and exact) on day 45.
    const copy = item('b', 'copy', 45);
    fetchOn(store, 'b', 45, [{ item: copy, entryId: 'story', newEntry: false }]);
    fetchOn(store, 'b', 50, [{ item: item('b', 'b-next', 50), entryId: 'b-next' }]);

    store.prune({ before: day(36), keep: [] });
    const [entry] = store
      .entries({ sourceIds: ['a', 'b'], limit: 100 }, (id) => id)
      .filter((e) => e.entryId === 'story');
    // The representative is still there, so the story still renders with both outlets.
    expect(entry?.item.key).toBe(original.key);
    expect(entry?.alsoFrom.map((a) => a.sourceId)).toEqual(['b']);
    store.close();
  });

  it('keeps a story whole across groupings: the exact story spans two near stories', async () => {
    const dir = await tempDir();
    const store = openSqliteStore(dir);
    const old = item('a', 'old', 0);
    fetchOn(store, 'a', 0, [{ item: old, entryId: 'near-1', exactEntryId: 'exact-1' }]);
    fetchOn(store, 'a', 50, [{ item: item('a', 'x', 50), entryId: 'x' }]);
    // Recent item: its own near story, but the same exact story as the old one.
    const recent = item('b', 'recent', 45);
    fetchOn(store, 'b', 45, [{ item: recent, entryId: 'near-2', exactEntryId: 'exact-1', newEntry: false }]);
    fetchOn(store, 'b', 50, [{ item: item('b', 'y', 50), entryId: 'y' }]);

    store.prune({ before: day(36), keep: [] });
    expect(store.item(old.key)).toBeDefined();
    expect(store.item(recent.key)).toBeDefined();
    store.close();
  });

  it('does nothing when nothing is old', async () => {
    const dir = await tempDir();
    const store = openSqliteStore(dir);
    fetchOn(store, 'a', 10, [{ item: item('a', 'i', 10), entryId: 'i' }]);
    expect(store.prune({ before: day(5), keep: [] })).toEqual({
      items: 0,
      entries: 0,
      bands: 0,
      fetchLog: 0,
      freedPages: 0,
    });
    store.close();
  });

  it('trims the fetch log to its keep per source', async () => {
    const dir = await tempDir();
    const store = openSqliteStore(dir);
    store.close();
    // Rows as an older version could leave them: more than the keep for one source.
    const { db } = open(dir);
    const insert = db.prepare("INSERT INTO fetch_log (source_id, at, ms, status) VALUES ('a', ?, 5, 'ok')");
    for (let i = 0; i < FETCH_LOG_KEEP + 15; i++) insert.run(T0 + i);
    db.close();
    const again = openSqliteStore(dir);
    expect(again.prune({ before: day(0), keep: [] }).fetchLog).toBe(15);
    expect(again.sourceHealth(['a']).get('a')?.fetches[0]?.at).toEqual(new Date(T0 + FETCH_LOG_KEEP + 14));
    again.close();
    const after = open(dir);
    expect(after.count('SELECT count(*) AS n FROM fetch_log')).toBe(FETCH_LOG_KEEP);
    after.db.close();
  });

  it('creates new state with incremental auto_vacuum and hands freed pages back', async () => {
    const dir = await tempDir();
    const store = openSqliteStore(dir);
    const big = `<p>${'lorem ipsum '.repeat(2000)}</p>`;
    for (let n = 0; n < 200; n++) {
      fetchOn(store, 'a', n / 10, [
        {
          item: makeItem({ sourceId: 'a', guid: `g${n}`, contentHtml: big, published: day(n / 10) }),
          entryId: `e${n}`,
        },
      ]);
    }
    fetchOn(store, 'a', 100, [{ item: item('a', 'last', 100), entryId: 'last' }]);
    store.close();
    const before = statSync(join(dir, STATE_FILE)).size;

    const again = openSqliteStore(dir);
    const report = again.prune({ before: day(90), keep: [] });
    again.close();
    expect(report.items).toBe(200);
    expect(report.freedPages).toBeGreaterThan(0);
    const { db } = open(dir);
    expect(db.pragma('auto_vacuum', { simple: true })).toBe(2);
    expect(db.pragma('freelist_count', { simple: true })).toBe(0);
    db.close();
    expect(statSync(join(dir, STATE_FILE)).size).toBeLessThan(before / 4);
  });

  it('never rebuilds a file made without auto_vacuum, and reuses its freed pages instead', async () => {
    const dir = await tempDir();
    // An older feedloom's file: tables created before auto_vacuum was chosen.
    const legacy = new Database(join(dir, STATE_FILE));
    legacy.exec('CREATE TABLE placeholder (x)');
    legacy.exec('DROP TABLE placeholder');
    legacy.close();
    const big = `<p>${'dolor sit amet '.repeat(2000)}</p>`;
    const fill = (store: Store, from: number, day: number) => {
      for (let n = from; n < from + 100; n++) {
        fetchOn(store, 'a', day, [
          { item: makeItem({ sourceId: 'a', guid: `g${n}`, contentHtml: big }), entryId: `e${n}` },
        ]);
      }
    };
    const store = openSqliteStore(dir);
    fill(store, 0, 0);
    fetchOn(store, 'a', 100, [{ item: item('a', 'last', 100), entryId: 'last' }]);
    store.close();

    const again = openSqliteStore(dir);
    expect(again.prune({ before: day(90), keep: [] }).items).toBe(100);
    again.close();
    const pruned = statSync(join(dir, STATE_FILE)).size;
    // A full VACUUM would renumber the rowids the band index points at: the file keeps its mode.
    expect(open(dir).db.pragma('auto_vacuum', { simple: true })).toBe(0);

    const later = openSqliteStore(dir);
    fill(later, 1000, 101);
    later.close();
    const { db } = open(dir);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    // The same amount of text again fits in the pages the pruned items left.
    expect(statSync(join(dir, STATE_FILE)).size).toBeLessThanOrEqual(pruned * 1.05);
  });
});

describe('retention in sources.json', () => {
  const text = (retention?: unknown) =>
    JSON.stringify({ sources: [{ id: 'a', kind: 'feed', url: 'https://a.example/rss' }], retention });

  it('is unset by default, so the window is derived', () => {
    expect(parseConfig(text(), '/srv/sources.json').retention).toBeUndefined();
  });

  it('takes days as given', () => {
    expect(parseConfig(text({ days: 90 }), '/srv/sources.json').retention).toEqual({ days: 90 });
  });

  it.each([
    ['shorter than the dedupe window', { days: 3 }, /retention\.days: 3 is shorter than dedupe\.windowDays/],
    ['not a number', { days: 'long' }, /retention\.days/],
    ['an unknown key', { keep: 5 }, /retention/],
  ])('refuses %s', (_name, retention, message) => {
    expect(() => parseConfig(text(retention), '/srv/sources.json')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    try {
      parseConfig(text(retention), '/srv/sources.json');
    } catch (e) {
      const all = [(e as Error).message, ...((e as { problems?: string[] }).problems ?? [])].join('\n');
      expect(all).toMatch(message);
    }
  });
});
