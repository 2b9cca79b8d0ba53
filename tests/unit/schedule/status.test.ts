// Source health as `feedloom status` and output/status.json report it: the dead rule at its
// boundaries, the median, and the fetch log and failure streak the SQLite store keeps for them.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { HEALTH_POLICY, isDead, median, sourceStatus, statusReport } from '../../../src/pipeline/status.js';
import { FETCH_LOG_KEEP, openSqliteStore, type SourceState } from '../../../src/store/index.js';
import type { Config } from '../../../src/types.js';
import { tempDir } from '../../helpers/tmp.js';

const T0 = new Date('2026-03-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const DAY = 24 * 3_600_000;
const fail = (id: string): never => {
  throw new Error(`no health for ${id}`);
};

describe('isDead', () => {
  it.each([
    ['10 failures exactly 24 h apart', 10, DAY, true],
    ['10 failures 1 ms short of 24 h', 10, DAY - 1, false],
    ['9 failures over a week', 9, 7 * DAY, false],
    ['50 failures within an hour', 50, 3_600_000, false],
    ['11 failures over 2 days', 11, 2 * DAY, true],
  ])('%s', (_name, failures, span, dead) => {
    expect(isDead(failures, T0, at(span))).toBe(dead);
  });

  it('is never dead without a known streak start', () => {
    expect(isDead(100, undefined, at(7 * DAY))).toBe(false);
  });

  it('follows the policy table', () => {
    expect(HEALTH_POLICY).toEqual({ deadAfterFailures: 10, deadAfterMs: DAY });
  });
});

describe('median', () => {
  it.each([
    ['none', [], undefined],
    ['one', [40], 40],
    ['odd count, unsorted', [300, 10, 20], 20],
    ['even count: mean of the middle two', [10, 20, 30, 1000], 25],
  ])('%s', (_name, values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe('sourceStatus', () => {
  const failing = (failures: number): SourceState => ({
    validators: {},
    lastStatus: 'failed',
    lastError: 'fetch: http://x.example/feed: 404 Not Found',
    lastFetchedAt: at(DAY),
    lastOkAt: T0,
    consecutiveFailures: failures,
  });

  it('says "never run" for a source the store has not seen', () => {
    expect(sourceStatus({ id: 'new', kind: 'feed' }, undefined, undefined)).toEqual({
      id: 'new',
      kind: 'feed',
      status: 'never run',
      lastSuccess: null,
      lastFetched: null,
      consecutiveFailures: 0,
      failingSince: null,
      items: 0,
      medianMs: null,
      fetches: 0,
      lastError: null,
      dead: false,
      nextDue: null,
    });
  });

  it('marks dead from the streak start to the newest logged failure', () => {
    const fetches = [{ at: at(DAY), ms: 30, outcome: 'failed' }];
    const s = sourceStatus({ id: 'gone', kind: 'feed' }, failing(10), {
      fetches,
      failingSince: T0,
      items: 3,
    });
    expect(s).toMatchObject({
      status: 'failed',
      dead: true,
      failingSince: T0.toISOString(),
      lastSuccess: T0.toISOString(),
      items: 3,
      medianMs: 30,
      lastError: 'fetch: http://x.example/feed: 404 Not Found',
    });
    // One failure fewer, or a streak a millisecond shorter: alive.
    expect(
      sourceStatus({ id: 'g', kind: 'feed' }, failing(9), { fetches, failingSince: T0, items: 0 }).dead,
    ).toBe(false);
    expect(
      sourceStatus({ id: 'g', kind: 'feed' }, failing(10), { fetches, failingSince: at(1), items: 0 }).dead,
    ).toBe(false);
  });
});

describe('the store behind status', () => {
  it(`keeps the newest ${FETCH_LOG_KEEP} fetches per source and the start of the failure streak`, async () => {
    const store = openSqliteStore(join(await tempDir(), 'state'));
    try {
      for (let i = 0; i < 30; i++) store.recordFetch('other', at(i), 5, 'ok');
      // 25 ok fetches taking 100 + i ms; only the newest 20 (105..124) count for the median.
      for (let i = 0; i < 25; i++) {
        store.saveSourceRun({
          runId: i,
          sourceId: 'a',
          at: at(i * 1000),
          status: 'ok',
          validators: {},
          items: [],
          seenRawHashes: [],
        });
        store.recordFetch('a', at(i * 1000), 100 + i, 'ok');
      }
      let h = store.sourceHealth(['a']).get('a') ?? fail('a');
      expect(h.fetches).toHaveLength(FETCH_LOG_KEEP);
      expect(h.fetches[0]).toEqual({ at: at(24_000), ms: 124, outcome: 'ok' });
      expect(median(h.fetches.map((f) => f.ms))).toBe(115);
      expect(h.failingSince).toBeUndefined();
      expect(store.sourceHealth(['other']).get('other')?.fetches).toHaveLength(FETCH_LOG_KEEP);

      // A streak: its start is the first failure and stays there; a success ends it.
      for (let i = 0; i < 3; i++) {
        store.recordFailure('a', at(DAY * i), 'boom');
        store.recordFetch('a', at(DAY * i), 7, 'failed');
      }
      h = store.sourceHealth(['a']).get('a') ?? fail('a');
      expect(h.failingSince).toEqual(at(0));
      expect(store.sourceState('a')?.consecutiveFailures).toBe(3);
      store.recordFetch('a', at(3 * DAY), 7, 'not-modified');
      expect(store.sourceHealth(['a']).get('a')?.failingSince).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('keeps the fetch log bounded across store openings, as cron runs do', async () => {
    const dir = join(await tempDir(), 'state');
    // Fifty "runs" of 100 sources each, every one in a process (store) of its own.
    for (let run = 0; run < 50; run++) {
      const store = openSqliteStore(dir);
      try {
        for (let s = 0; s < 100; s++) store.recordFetch(`s${s}`, at(run * 1000), 5, 'not-modified');
      } finally {
        store.close();
      }
    }
    const db = new Database(join(dir, 'state.db'), { readonly: true });
    try {
      const rows = (db.prepare('SELECT COUNT(*) AS n FROM fetch_log').get() as { n: number }).n;
      // Without trimming there would be 5,000; a bulk trim runs every 1,000 rows.
      expect(rows).toBeLessThan(100 * FETCH_LOG_KEEP + 1000);
    } finally {
      db.close();
    }
    const store = openSqliteStore(dir);
    try {
      const health = store.sourceHealth(['s0', 's99', 'never']);
      expect(health.get('s0')?.fetches).toHaveLength(FETCH_LOG_KEEP);
      expect(health.get('s99')?.fetches[0]?.at).toEqual(at(49_000));
      expect(health.get('never')).toEqual({ fetches: [], items: 0 });
    } finally {
      store.close();
    }
  });

  it('statusReport lists every configured source, dead ones in `dead`', async () => {
    const store = openSqliteStore(join(await tempDir(), 'state'));
    try {
      for (let i = 0; i < 10; i++) {
        const when = at((i * DAY) / 9); // ten failures spread over exactly one day
        store.recordFailure('gone', when, `fetch: 404 number ${i}`);
        store.recordFetch('gone', when, 12, 'failed');
      }
      const config = {
        sources: [
          { id: 'gone', kind: 'feed' },
          { id: 'fresh', kind: 'page' },
        ],
        schedule: { deadAfterFailures: 10, deadAfterHours: 24 },
      } as unknown as Config;
      const report = statusReport(config, store, at(2 * DAY));
      expect(report.dead).toEqual(['gone']);
      expect(report.generatedAt).toBe(at(2 * DAY).toISOString());
      expect(report.sources.map((s) => [s.id, s.status, s.consecutiveFailures, s.dead])).toEqual([
        ['gone', 'failed', 10, true],
        ['fresh', 'never run', 0, false],
      ]);
      expect(report.sources[0]?.lastError).toBe('fetch: 404 number 9');
    } finally {
      store.close();
    }
  });
});
