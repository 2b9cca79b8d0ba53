// Retention over a simulated year (issue 5, point 7): 365 daily runs of the real pipeline against a
// loopback server whose feeds publish new items every simulated day, through a fake clock. The state
// file must level off, every output must keep what it shows, and no item still in a feed may come
// back as new after its first sighting was pruned.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { runOnce } from '../../src/pipeline/index.js';
import { STATE_FILE } from '../../src/store/index.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T06:00:00Z');
const DAYS = 365;

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const WORDS = (
  'river harbor council budget school storm bridge market festival election rail energy court museum ' +
  'forest coast library theatre vote clinic tunnel airport farm garden factory ferry canal park tower ' +
  'orchestra stadium hospital reservoir bakery bicycle glacier volcano satellite observatory'
).split(' ');

/** A distinct plain sentence per item, so near-duplicate matching keeps different stories apart. */
function text(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  const words = Array.from(h.subarray(0, 24), (b) => WORDS[b % WORDS.length]);
  return `${seed}: ${words.join(' ')}.`;
}

interface FeedItem {
  readonly guid: string;
  readonly link: string;
  readonly title: string;
  readonly day: number;
}

/** What each feed carries on simulated day `d` (newest first); items are dated on the fake clock. */
const FEEDS: Record<string, (d: number) => FeedItem[]> = {
  // Four new items a day; the feed shows the last twelve.
  daily: (d) => window(d, 3, 4, (day, i) => own('daily', day, i)),
  // Two items of its own a day, and a copy of one of daily's (same link: one story, two outlets).
  wire: (d) =>
    window(d, 4, 3, (day, i) =>
      i === 2 ? { ...own('daily', day, 0), guid: `wire-${day}-copy` } : own('wire', day, i),
    ),
  // A pinned item from day 0 that never leaves the top, and one new item every third day.
  pinned: (d) => [
    own('pinned', 0, 99),
    ...window(Math.floor(d / 3), 3, 1, (n) => own('pinned', n * 3, 0)).filter((it) => it.day <= d),
  ],
  // A new item every twenty days; the feed shows ten (two hundred days back). Mostly 304s.
  rare: (d) => window(Math.floor(d / 20), 10, 1, (n) => own('rare', n * 20, 0)),
};

function own(source: string, day: number, i: number): FeedItem {
  return {
    guid: `${source}-${day}-${i}`,
    link: `https://${source}.example/${day}/${i}`,
    title: `${source} story ${i} of day ${day}`,
    day,
  };
}

/** The items of the last `span` periods up to `last`, `perPeriod` each, newest first. */
function window(
  last: number,
  span: number,
  perPeriod: number,
  make: (period: number, i: number) => FeedItem,
): FeedItem[] {
  const out: FeedItem[] = [];
  for (let p = last; p > last - span && p >= 0; p--) for (let i = 0; i < perPeriod; i++) out.push(make(p, i));
  return out;
}

function rss(source: string, items: readonly FeedItem[]): string {
  const body = items
    .map(
      (
        it,
      ) => `<item><title>${it.title}</title><link>${it.link}</link><guid isPermaLink="false">${it.guid}</guid>
<pubDate>${new Date(T0 + it.day * DAY + 3_600_000).toUTCString()}</pubDate>
<description>${text(it.guid)}</description></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>${source}</title><link>https://${source}.example/</link>
<description>${source} news</description>
${body}
</channel></rss>`;
}

/** Serves FEEDS for the current simulated day, with an ETag so an unchanged feed answers 304. */
function feedRoute(source: string, today: () => number) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const body = rss(source, FEEDS[source]?.(today()) ?? []);
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag });
    res.end(body);
  };
}

/**
 * A temp folder in memory where there is one: the test measures sizes, not durability, and 365 runs
 * of fsyncs on a slow disk would take most of its time.
 */
async function fastDir(): Promise<string> {
  if (!existsSync('/dev/shm')) return tempDir('feedloom-retention-');
  const dir = await mkdtemp('/dev/shm/feedloom-retention-');
  cleanup.push(dir);
  return dir;
}
const cleanup: string[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** Size of the state on disk: the database and whatever WAL a close left behind. */
function stateBytes(stateDir: string): number {
  const file = join(stateDir, STATE_FILE);
  const wal = `${file}-wal`;
  return statSync(file).size + (existsSync(wal) ? statSync(wal).size : 0);
}

describe('retention over a simulated year', () => {
  it('levels the state file off, keeps what outputs show and never re-publishes a feed item', async () => {
    let today = 0;
    const server = await startServer();
    servers.push(server);
    for (const id of Object.keys(FEEDS))
      server.route(
        `/${id}.xml`,
        feedRoute(id, () => today),
      );
    const dir = await fastDir();
    await writeFile(
      join(dir, 'sources.json'),
      JSON.stringify({
        defaults: { timeoutMs: 5000, retries: 0 },
        fetch: { backoffBaseMs: 10 },
        sources: Object.keys(FEEDS).map((id) => ({
          id,
          kind: 'feed',
          url: server.at(`/${id}.xml`),
          tags: [id === 'rare' ? 'rare' : 'busy'],
        })),
        outputs: [
          // No maxAgeDays: the newest 30 whatever their age.
          { name: 'all', limit: 30 },
          // Needs 8 stories of a source that writes one every 20 days: 160 days, far past the window.
          { name: 'rare', tags: ['rare'], limit: 8 },
          { name: 'recent', tags: ['busy'], limit: 500, maxAgeDays: 10 },
        ],
      }),
    );
    const config = loadConfig(join(dir, 'sources.json'));

    const newItems = new Map<string, number>();
    const sizes: number[] = [];
    for (today = 0; today < DAYS; today++) {
      let tick = 0;
      const report = await runOnce(config, { now: () => new Date(T0 + today * DAY + tick++) });
      for (const s of report.sources) {
        expect(s.outcome, `day ${today} ${s.sourceId}: ${s.error?.message}`).not.toBe('failed');
        newItems.set(s.sourceId, (newItems.get(s.sourceId) ?? 0) + s.newItems);
      }
      sizes.push(stateBytes(config.stateDir));
    }

    // Each item counted new exactly once: the pinned one and the rare ones outlive the window.
    const distinct = (source: string) => {
      const guids = new Set<string>();
      for (let d = 0; d < DAYS; d++) for (const it of FEEDS[source]?.(d) ?? []) guids.add(it.guid);
      return guids.size;
    };
    for (const source of Object.keys(FEEDS)) expect(newItems.get(source), source).toBe(distinct(source));

    // Bounded: the second half of the year adds (almost) nothing to the file.
    const at180 = sizes[179] ?? 0;
    const at365 = sizes[DAYS - 1] ?? 0;
    expect(Math.abs(at365 - at180) / at180).toBeLessThan(0.15);
    const db = new Database(join(config.stateDir, STATE_FILE), { readonly: true });
    const items = (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    // A year published ~2,600 items; about a month's worth (plus what outputs pin) is all that stays.
    expect(items).toBeLessThan(400);

    // What each output shows survived: the rare output still has its 8 stories, 140 days old.
    const rare = JSON.parse(await readFile(join(config.outDir, 'rare', 'feed.json'), 'utf8')) as {
      items: { url: string }[];
    };
    const lastRare = Math.floor((DAYS - 1) / 20);
    expect(rare.items.map((i) => i.url)).toEqual(
      Array.from({ length: 8 }, (_, k) => `https://rare.example/${(lastRare - k) * 20}/0`),
    );
    const all = JSON.parse(await readFile(join(config.outDir, 'feed.json'), 'utf8')) as { items: unknown[] };
    expect(all.items).toHaveLength(30);
    const recent = JSON.parse(await readFile(join(config.outDir, 'recent', 'feed.json'), 'utf8')) as {
      items: { date_published: string }[];
    };
    // Ten days of daily (4) and wire (2 own + a copy merged into daily's story) and pinned's new ones.
    expect(recent.items.length).toBeGreaterThanOrEqual(60);
    const oldest = Math.min(...recent.items.map((i) => Date.parse(i.date_published)));
    expect(oldest).toBeGreaterThanOrEqual(T0 + (DAYS - 1 - 10) * DAY);
  }, 180_000);
});
