import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore, STATE_FILE, type Store } from '../../../src/store/index.js';
import type { Item } from '../../../src/types.js';
import { makeItem } from '../../helpers/items.js';
import { tempDir } from '../../helpers/tmp.js';

const AT = new Date('2026-02-01T00:00:00Z');

function save(
  store: Store,
  sourceId: string,
  items: { item: Item; entryId: string; newEntry: boolean }[],
  at = AT,
) {
  store.saveSourceRun({
    sourceId,
    at,
    status: 'ok',
    validators: { etag: '"v1"' },
    runId: 1,
    items: items.map((x, i) => ({
      ...x,
      rawHash: `raw-${x.item.key}-${i}`,
      linkKey: x.item.link,
      priority: 0,
    })),
    seenRawHashes: [],
  });
}

describe('sqlite store', () => {
  it('makes a new file with 16 KB pages and leaves an existing file its own', async () => {
    const pageSize = (dir: string): unknown => {
      const db = new Database(join(dir, STATE_FILE), { readonly: true });
      try {
        return db.pragma('page_size', { simple: true });
      } finally {
        db.close();
      }
    };
    const fresh = await tempDir();
    openSqliteStore(fresh).close();
    expect(pageSize(fresh)).toBe(16384);

    const older = await tempDir();
    const db = new Database(join(older, STATE_FILE));
    db.pragma('page_size = 8192');
    db.exec('CREATE TABLE early (x)');
    db.close();
    const store = openSqliteStore(older);
    store.close();
    expect(pageSize(older)).toBe(8192);
  });

  it('creates the state file in WAL mode and keeps validators between opens', async () => {
    const dir = await tempDir();
    const store = openSqliteStore(join(dir, 'state'));
    save(store, 's1', []);
    store.close();
    expect(existsSync(join(dir, 'state', STATE_FILE))).toBe(true);
    const db = new Database(join(dir, 'state', STATE_FILE));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const again = openSqliteStore(join(dir, 'state'));
    expect(again.sourceState('s1')?.validators).toEqual({ etag: '"v1"' });
    again.close();
  });

  it('returns entries newest first with the other outlets as alsoFrom', async () => {
    const store = openSqliteStore(await tempDir());
    const story = makeItem({ sourceId: 'a', guid: 'story', published: new Date('2026-01-02T00:00:00Z') });
    const copy = makeItem({
      sourceId: 'b',
      guid: 'copy',
      link: 'https://b.example/copy',
      published: new Date('2026-01-02T01:00:00Z'),
    });
    const older = makeItem({ sourceId: 'a', guid: 'older', published: new Date('2026-01-01T00:00:00Z') });
    save(store, 'a', [
      { item: story, entryId: 'e1', newEntry: true },
      { item: older, entryId: 'e2', newEntry: true },
    ]);
    save(store, 'b', [{ item: copy, entryId: 'e1', newEntry: false }]);
    const entries = store.entries({ sourceIds: ['a', 'b'], limit: 10 }, (id) => `Source ${id}`);
    expect(entries.map((e) => e.entryId)).toEqual(['e1', 'e2']);
    expect(entries[0]?.item.key).toBe(story.key);
    expect(entries[0]?.sourceTitle).toBe('Source a');
    expect(entries[0]?.alsoFrom).toEqual([
      { sourceId: 'b', sourceTitle: 'Source b', link: copy.link, title: copy.title },
    ]);
    expect(entries[0]?.item.published.toISOString()).toBe('2026-01-02T00:00:00.000Z');
    store.close();
  });

  it('orders entries of the same date by the run that first saw them, then as their source listed them', async () => {
    const store = openSqliteStore(await tempDir());
    const sameDay = new Date('2026-01-02T00:00:00Z');
    const item = (guid: string) => makeItem({ sourceId: 'a', guid, published: sameDay });
    // Entry ids in the opposite order of the listing, so that an order by id would show.
    save(store, 'a', [
      { item: item('first'), entryId: 'e9', newEntry: true },
      { item: item('second'), entryId: 'e5', newEntry: true },
      { item: item('third'), entryId: 'e1', newEntry: true },
    ]);
    // A later run adds a story of the same day: newer than the three.
    save(
      store,
      'a',
      [{ item: item('later'), entryId: 'e7', newEntry: true }],
      new Date(AT.getTime() + 3_600_000),
    );
    const entries = store.entries({ sourceIds: ['a'], limit: 10 }, (id) => id);
    expect(entries.map((e) => e.entryId)).toEqual(['e7', 'e9', 'e5', 'e1']);
    store.close();
  });

  it('filters by source, age and limit', async () => {
    const store = openSqliteStore(await tempDir());
    save(store, 'a', [
      {
        item: makeItem({ sourceId: 'a', guid: '1', published: new Date('2026-01-01T00:00:00Z') }),
        entryId: 'e1',
        newEntry: true,
      },
      {
        item: makeItem({ sourceId: 'a', guid: '2', published: new Date('2026-01-05T00:00:00Z') }),
        entryId: 'e2',
        newEntry: true,
      },
    ]);
    save(store, 'b', [{ item: makeItem({ sourceId: 'b', guid: '3' }), entryId: 'e3', newEntry: true }]);
    const t = (id: string) => id;
    expect(store.entries({ sourceIds: ['b'], limit: 10 }, t).map((e) => e.entryId)).toEqual(['e3']);
    expect(store.entries({ sourceIds: ['a'], limit: 1 }, t).map((e) => e.entryId)).toEqual(['e2']);
    expect(
      store
        .entries({ sourceIds: ['a'], limit: 10, since: new Date('2026-01-03T00:00:00Z') }, t)
        .map((e) => e.entryId),
    ).toEqual(['e2']);
    store.close();
  });

  it('keeps first-seen and the entry of an item that is updated later', async () => {
    const store = openSqliteStore(await tempDir());
    const v1 = makeItem({ sourceId: 'a', guid: 'x', title: 'First title' });
    save(store, 'a', [{ item: v1, entryId: 'e1', newEntry: true }]);
    const v2 = makeItem({ sourceId: 'a', guid: 'x', title: 'Corrected title' });
    save(store, 'a', [{ item: v2, entryId: 'other', newEntry: true }], new Date('2026-03-01T00:00:00Z'));
    expect(store.item(v1.key)).toMatchObject({ entryId: 'e1', firstSeen: AT });
    const [entry] = store.entries({ sourceIds: ['a'], limit: 5 }, (id) => id);
    expect(entry?.item.title).toBe('Corrected title');
    expect(entry?.entryId).toBe('e1');
    store.close();
  });

  it('finds entries by raw hash, link and fingerprint', async () => {
    const store = openSqliteStore(await tempDir());
    const item = makeItem({ sourceId: 'a', guid: 'x' });
    store.saveSourceRun({
      runId: 1,
      sourceId: 'a',
      at: AT,
      status: 'ok',
      validators: {},
      items: [
        {
          item,
          rawHash: 'r1',
          entryId: 'e1',
          newEntry: true,
          linkKey: item.link,
          priority: 0,
          contentKey: item.fingerprint,
        },
      ],
      seenRawHashes: [],
    });
    expect(store.hasRaw('a', 'r1')).toBe(true);
    expect(store.hasRaw('b', 'r1')).toBe(false);
    expect(store.entryForLink(item.link, AT)).toBe('e1');
    expect(store.entryForFingerprint(item.fingerprint, AT)).toBe('e1');
    // Outside the dedupe window an old story no longer attracts new copies.
    const later = new Date(AT.getTime() + 1);
    expect(store.entryForLink(item.link, later)).toBeUndefined();
    expect(store.entryForFingerprint(item.fingerprint, later)).toBeUndefined();
    store.close();
  });

  it('counts consecutive failures and clears them on success', async () => {
    const store = openSqliteStore(await tempDir());
    store.recordFailure('a', AT, 'boom');
    store.recordFailure('a', AT, 'boom again');
    expect(store.sourceState('a')).toMatchObject({
      consecutiveFailures: 2,
      lastError: 'boom again',
      lastStatus: 'failed',
    });
    save(store, 'a', []);
    expect(store.sourceState('a')).toMatchObject({ consecutiveFailures: 0, lastStatus: 'ok' });
    store.close();
  });

  it('reads the state of many sources in one call, the same as one by one', async () => {
    const store = openSqliteStore(await tempDir());
    save(store, 'a', []);
    store.recordFailure('b', AT, 'boom');
    const states = store.sourceStates(['a', 'b', 'never-fetched']);
    expect([...states.keys()].sort()).toEqual(['a', 'b']);
    expect(states.get('a')).toEqual(store.sourceState('a'));
    expect(states.get('b')).toEqual(store.sourceState('b'));
    expect(states.get('b')).toMatchObject({ consecutiveFailures: 1, lastError: 'boom' });
    store.close();
  });

  it('says what is wrong when the state folder cannot be made', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a-file'), 'not a folder');
    expect(() => openSqliteStore(join(dir, 'a-file', 'state'))).toThrow(/store: .*state\.db: .*ENOTDIR/);
  });
});

describe('sqlite store: near-duplicate index and representatives', () => {
  const saveOne = (
    store: Store,
    item: Item,
    o: { entryId: string; newEntry: boolean; runId: number; priority?: number; bands?: number[]; at?: Date },
  ) =>
    store.saveSourceRun({
      runId: o.runId,
      sourceId: item.sourceId,
      at: o.at ?? AT,
      status: 'ok',
      validators: {},
      items: [
        {
          item,
          rawHash: `raw-${item.key}`,
          entryId: o.entryId,
          newEntry: o.newEntry,
          priority: o.priority ?? 0,
          ...(o.bands ? { nearBands: o.bands, nearSignature: Buffer.from(`sig-${item.key}`) } : {}),
          ...(o.newEntry ? {} : { matchedBy: 'near', matchDetail: '{"score":0.8}' }),
        },
      ],
      seenRawHashes: [],
    });

  it('finds items by shared band inside the window only', async () => {
    const store = openSqliteStore(await tempDir());
    const a = makeItem({ sourceId: 'a', guid: '1' });
    saveOne(store, a, { entryId: 'e1', newEntry: true, runId: 1, bands: [1, 2] });
    expect(store.nearCandidates([2, 99], AT)).toEqual([
      { entryId: 'e1', signature: Buffer.from(`sig-${a.key}`), sourceId: 'a' },
    ]);
    expect(store.nearCandidates([99], AT)).toEqual([]);
    expect(store.nearCandidates([1], new Date(AT.getTime() + 1))).toEqual([]);
    store.close();
  });

  it('writes every column of an item row from its own field', async () => {
    const dir = await tempDir();
    const store = openSqliteStore(dir);
    const item = makeItem({
      sourceId: 'src',
      guid: 'the-guid',
      link: 'https://x.example/the-link',
      title: 'The title',
      contentHtml: '<p>The content</p>',
      summary: 'The summary',
      published: new Date('2026-01-03T00:00:00Z'),
      updated: new Date('2026-01-04T00:00:00Z'),
      authors: ['An Author'],
      tags: ['a-tag'],
      image: 'https://x.example/image.jpg',
      enclosures: [{ url: 'https://x.example/a.mp3', type: 'audio/mpeg' }],
    });
    // Saved twice, a day apart: first_seen keeps the first time, last_seen takes the second.
    const later = new Date(AT.getTime() + 86_400_000);
    for (const at of [AT, later])
      store.saveSourceRun({
        sourceId: 'src',
        at,
        status: 'ok',
        validators: {},
        runId: 1,
        items: [
          {
            item,
            rawHash: 'the-raw-hash',
            entryId: 'the-entry',
            newEntry: true,
            exact: { entryId: 'the-exact-entry', newEntry: true },
            linkKey: 'the-link-key',
            contentKey: 'the-content-key',
            nearSignature: Buffer.from('the-signature'),
            matchedBy: 'near',
            matchDetail: 'the-detail',
            priority: 7,
          },
        ],
        seenRawHashes: [],
      });
    store.close();
    const db = new Database(join(dir, STATE_FILE), { readonly: true });
    const row = db.prepare('SELECT * FROM items').get() as Record<string, unknown>;
    db.close();
    expect(row).toMatchObject({
      key: item.key,
      source_id: 'src',
      entry_id: 'the-entry',
      exact_entry_id: 'the-exact-entry',
      raw_hash: 'the-raw-hash',
      guid: 'the-guid',
      link: 'https://x.example/the-link',
      link_key: 'the-link-key',
      title: 'The title',
      content_html: '<p>The content</p>',
      summary: 'The summary',
      published: Date.parse('2026-01-03T00:00:00Z'),
      published_guessed: 0,
      updated: Date.parse('2026-01-04T00:00:00Z'),
      authors: JSON.stringify(['An Author']),
      tags: JSON.stringify(['a-tag']),
      image: 'https://x.example/image.jpg',
      enclosures: JSON.stringify(item.enclosures),
      content_hash: item.contentHash,
      fingerprint: item.fingerprint,
      content_key: 'the-content-key',
      first_seen: AT.getTime(),
      last_seen: later.getTime(),
      near_sig: Buffer.from('the-signature'),
      matched_by: 'near',
      match_detail: 'the-detail',
      priority: 7,
    });
  });

  it('indexes a changed item under its own row, not the last one inserted', async () => {
    const store = openSqliteStore(await tempDir());
    const a = makeItem({ sourceId: 'a', guid: '1', title: 'First version' });
    const b = makeItem({ sourceId: 'a', guid: '2' });
    saveOne(store, a, { entryId: 'e1', newEntry: true, runId: 1, bands: [1] });
    saveOne(store, b, { entryId: 'e2', newEntry: true, runId: 1, bands: [2] });
    // The same key again (an update, no insert): its new bands must lead to a's row, not b's.
    const edited = { ...a, title: 'Second version' };
    saveOne(store, edited, { entryId: 'e1', newEntry: false, runId: 2, bands: [3] });
    expect(store.nearCandidates([3], AT)).toEqual([
      { entryId: 'e1', signature: Buffer.from(`sig-${a.key}`), sourceId: 'a' },
    ]);
    expect(store.nearCandidates([2], AT)).toEqual([
      { entryId: 'e2', signature: Buffer.from(`sig-${b.key}`), sourceId: 'a' },
    ]);
    store.close();
  });

  it('bounds the candidates of a very common band to the newest 50', async () => {
    const store = openSqliteStore(await tempDir());
    for (let i = 0; i < 80; i++) {
      const item = makeItem({ sourceId: 'a', guid: `g${i}` });
      saveOne(store, item, {
        entryId: `e${i}`,
        newEntry: true,
        runId: 1,
        bands: [7],
        at: new Date(AT.getTime() + i),
      });
    }
    const found = store.nearCandidates([7], AT);
    expect(found).toHaveLength(50);
    expect(found.map((c) => c.entryId)).toContain('e79');
    expect(found.map((c) => c.entryId)).not.toContain('e0');
    store.close();
  });

  it('lets a better copy become the representative within the run that opened the entry', async () => {
    const store = openSqliteStore(await tempDir());
    const late = makeItem({ sourceId: 'partner', guid: 'p', published: new Date('2026-01-02T12:00:00Z') });
    const original = makeItem({ sourceId: 'wire', guid: 'w', published: new Date('2026-01-02T09:00:00Z') });
    saveOne(store, late, { entryId: 'e1', newEntry: true, runId: 7 });
    saveOne(store, original, { entryId: 'e1', newEntry: false, runId: 7 });
    const [entry] = store.entries({ sourceIds: ['wire', 'partner'], limit: 5 }, (id) => id);
    expect(entry?.entryId).toBe('e1');
    expect(entry?.item.sourceId).toBe('wire');
    expect(entry?.alsoFrom.map((o) => o.sourceId)).toEqual(['partner']);
    store.close();
  });

  it("prefers the story to an earlier stub that only points at it (an aggregator's 'Comments')", async () => {
    const story = `${'The floating bridge opened to traffic on Tuesday after two years of work, '.repeat(3)}officials said.`;
    for (const stubFirst of [true, false]) {
      const store = openSqliteStore(await tempDir());
      const stub = makeItem({
        sourceId: 'hn',
        guid: 'h',
        summary: 'Comments',
        published: new Date('2026-01-02T14:40:00Z'),
      });
      const full = makeItem({
        sourceId: 'daily',
        guid: 'd',
        summary: story,
        published: new Date('2026-01-02T14:45:00Z'),
      });
      const [a, b] = stubFirst ? [stub, full] : [full, stub];
      saveOne(store, a, { entryId: 'e1', newEntry: true, runId: 7 });
      saveOne(store, b, { entryId: 'e1', newEntry: false, runId: 7 });
      const [entry] = store.entries({ sourceIds: ['hn', 'daily'], limit: 5 }, (id) => id);
      expect(entry?.item.sourceId, `stub first: ${stubFirst}`).toBe('daily');
      expect(entry?.alsoFrom.map((o) => o.sourceId)).toEqual(['hn']);
      store.close();
    }
  });

  it('lets a higher priority win over an earlier date', async () => {
    const store = openSqliteStore(await tempDir());
    const early = makeItem({ sourceId: 'agg', guid: 'x', published: new Date('2026-01-02T08:00:00Z') });
    const preferred = makeItem({ sourceId: 'own', guid: 'y', published: new Date('2026-01-02T10:00:00Z') });
    saveOne(store, early, { entryId: 'e1', newEntry: true, runId: 7 });
    saveOne(store, preferred, { entryId: 'e1', newEntry: false, runId: 7, priority: 5 });
    expect(store.entries({ sourceIds: ['agg', 'own'], limit: 5 }, (id) => id)[0]?.item.sourceId).toBe('own');
    store.close();
  });

  it('keeps the published representative when a better copy arrives in a later run', async () => {
    const store = openSqliteStore(await tempDir());
    const first = makeItem({ sourceId: 'partner', guid: 'p', published: new Date('2026-01-02T12:00:00Z') });
    const better = makeItem({ sourceId: 'wire', guid: 'w', published: new Date('2026-01-02T09:00:00Z') });
    saveOne(store, first, { entryId: 'e1', newEntry: true, runId: 1 });
    saveOne(store, better, { entryId: 'e1', newEntry: false, runId: 2, priority: 9 });
    const [entry] = store.entries({ sourceIds: ['wire', 'partner'], limit: 5 }, (id) => id);
    expect(entry?.item.sourceId).toBe('partner');
    expect(entry?.alsoFrom.map((o) => o.sourceId)).toEqual(['wire']);
    store.close();
  });

  it('explains an entry found by id, link or guid', async () => {
    const store = openSqliteStore(await tempDir());
    const a = makeItem({ sourceId: 'a', guid: 'ga', link: 'https://a.example/story' });
    const b = makeItem({ sourceId: 'b', guid: 'gb', link: 'https://b.example/copy' });
    saveOne(store, a, { entryId: 'e1', newEntry: true, runId: 1 });
    saveOne(store, b, { entryId: 'e1', newEntry: false, runId: 2, at: new Date(AT.getTime() + 1000) });
    for (const ref of ['e1', 'https://b.example/copy', 'ga']) {
      const found = store.explain(ref);
      expect(found?.entryId, ref).toBe('e1');
      expect(found?.items.map((i) => [i.sourceId, i.representative, i.matchedBy ?? null])).toEqual([
        ['a', true, null],
        ['b', false, 'near'],
      ]);
    }
    expect(store.explain('https://nowhere.example/')).toBeUndefined();
    store.close();
  });
});

describe('sqlite store: the exact grouping beside the near one', () => {
  it('keeps near-duplicate copies apart under exact keys, with their own representatives', async () => {
    const store = openSqliteStore(await tempDir());
    const original = makeItem({ sourceId: 'wire', guid: 'w', published: new Date('2026-01-02T09:00:00Z') });
    const copy = makeItem({ sourceId: 'partner', guid: 'p', published: new Date('2026-01-02T12:00:00Z') });
    const save = (
      item: Item,
      near: { entryId: string; newEntry: boolean },
      exact: { entryId: string; newEntry: boolean },
    ) =>
      store.saveSourceRun({
        runId: 1,
        sourceId: item.sourceId,
        at: AT,
        status: 'ok',
        validators: {},
        items: [{ item, rawHash: `r-${item.key}`, ...near, priority: 0, exact }],
        seenRawHashes: [],
      });
    save(original, { entryId: 'e1', newEntry: true }, { entryId: 'e1', newEntry: true });
    save(copy, { entryId: 'e1', newEntry: false }, { entryId: 'x2', newEntry: true });
    const ids = (grouping: 'near' | 'exact') =>
      store
        .entries({ sourceIds: ['wire', 'partner'], limit: 10, grouping }, (id) => id)
        .map((e) => [e.entryId, e.item.sourceId, e.alsoFrom.length]);
    expect(ids('near')).toEqual([['e1', 'wire', 1]]);
    expect(ids('exact')).toEqual([
      ['x2', 'partner', 0],
      ['e1', 'wire', 0],
    ]);
    expect(store.item(copy.key)).toMatchObject({ entryId: 'e1', exactEntryId: 'x2' });
    store.close();
  });
});
