// `feedloom run` across runs, through the real bin: conditional requests and untouched files when
// nothing changed, the previous output kept when every source fails, and items kept when one source
// breaks or drops them.
import { statSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { STATE_FILE } from '../../src/store/index.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import {
  backdate,
  copyFixtures,
  E2E_FIXTURES,
  OUTPUT_FILES,
  project,
  readTree,
  stamps,
  summaryRow,
} from './cli.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(root?: string): Promise<TestServer> {
  const s = await startServer(root);
  servers.push(s);
  return s;
}

const THREE_SOURCES = (s: TestServer, names = ['harbor.xml', 'science.atom', 'culture.json']) => [
  { id: 'harbor', kind: 'feed', url: s.at(names[0] ?? '') },
  { id: 'science', kind: 'feed', url: s.at(names[1] ?? '') },
  { id: 'culture', kind: 'feed', url: s.at(names[2] ?? '') },
];
/** 3 + 2 + 2 items in harbor.xml, science.atom, culture.json. */
const ALL_ITEMS = 7;

const LONG_AGO = new Date('2020-01-02T03:04:05Z');

describe('run twice against unchanged sources', () => {
  it('sends conditional requests, gets 304, says not-modified and rewrites no output file', async () => {
    const server = await serve(E2E_FIXTURES);
    const p = await project({ sources: THREE_SOURCES(server) });

    const first = await p.run();
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`wrote ${OUTPUT_FILES.length} files`);
    const firstAnswers = new Map(
      server.requests.map((r) => [r.path, r.status] as const).filter(([, status]) => status === 200),
    );
    expect([...firstAnswers.keys()].sort()).toEqual(['/culture.json', '/harbor.xml', '/science.atom']);

    const before = await readTree(p.outDir);
    expect([...before.keys()].sort()).toEqual([...OUTPUT_FILES].sort());
    await backdate(p.outDir, OUTPUT_FILES, LONG_AGO);
    const stamped = await stamps(p.outDir, OUTPUT_FILES);
    const seen = server.requests.length;

    const second = await p.run();
    expect(second.code, second.stderr).toBe(0);
    const again = server.requests.slice(seen);
    expect(again).toHaveLength(3);
    for (const r of again) {
      // The validators of run 1's 200 come back: the ETag and the Last-Modified the server sent.
      expect(r.headers['if-none-match'], r.path).toMatch(/^"[0-9a-f]{16}"$/);
      expect(r.headers['if-modified-since'], r.path).toBe(
        statSync(join(E2E_FIXTURES, r.path)).mtime.toUTCString(),
      );
      expect(r.status, r.path).toBe(304);
    }
    for (const id of ['harbor', 'science', 'culture'])
      expect(summaryRow(second.stdout, id)?.[1]).toBe('not-modified');
    expect(second.stdout).toMatch(/output\/ unchanged/);

    // Not rewritten: same inode (no rename over it), mtime still the backdated one, same bytes.
    expect(await stamps(p.outDir, OUTPUT_FILES)).toEqual(stamped);
    for (const s of stamped.values()) expect(s.mtimeMs).toBe(LONG_AGO.getTime());
    expect(await readTree(p.outDir)).toEqual(before);
  });
});

describe('every source failing', () => {
  it('exits 1, says so on stderr and leaves the earlier output byte-identical', async () => {
    const rootA = await tempDir();
    const rootB = await tempDir();
    await copyFixtures(rootA, ['harbor.xml', 'culture.json']);
    await copyFixtures(rootB, ['science.atom']);
    const a = await serve(rootA);
    const b = await serve(rootB);
    const p = await project({
      sources: [
        { id: 'gone', kind: 'feed', url: a.at('harbor.xml') },
        { id: 'refused', kind: 'feed', url: b.at('science.atom') },
        { id: 'garbage', kind: 'feed', url: a.at('culture.json') },
      ],
    });
    const first = await p.run();
    expect(first.code, first.stderr).toBe(0);
    expect((await p.feed()).rss).toHaveLength(ALL_ITEMS);
    await backdate(p.outDir, OUTPUT_FILES, LONG_AGO);
    const before = await readTree(p.outDir);
    const stamped = await stamps(p.outDir, OUTPUT_FILES);

    // Now each source fails its own way: 404, connection refused, invalid XML that is no feed.
    await rm(join(rootA, 'harbor.xml'));
    await b.close();
    servers.splice(servers.indexOf(b), 1);
    await writeFile(join(rootA, 'culture.json'), await readFile(join(E2E_FIXTURES, 'not-a-feed.xml')));

    const second = await p.run();
    expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(1);
    expect(second.stderr).toMatch(/every source failed; the previous output was left as it was/);
    expect(second.stderr).toMatch(/feedloom: gone: .*404/);
    expect(second.stderr).toMatch(/feedloom: refused: .*(refused|ECONNREFUSED)/i);
    expect(second.stderr).toMatch(/feedloom: garbage: /);
    for (const id of ['gone', 'refused', 'garbage'])
      expect(summaryRow(second.stdout, id)?.[1]).toBe('failed');
    expect(await readTree(p.outDir)).toEqual(before);
    expect(await stamps(p.outDir, OUTPUT_FILES)).toEqual(stamped);

    // The next cron run finds every source waiting out its backoff: still a failure, still untouched.
    const third = await p.run();
    expect(third.code, `${third.stdout}\n${third.stderr}`).toBe(1);
    expect(third.stderr).toMatch(/every source is waiting out a backoff after failures/);
    for (const id of ['gone', 'refused', 'garbage'])
      expect(summaryRow(third.stdout, id)?.[1]).toBe('not-due');
    expect(await readTree(p.outDir)).toEqual(before);
    expect(await stamps(p.outDir, OUTPUT_FILES)).toEqual(stamped);
  });
});

/** harbor.xml served from a folder of its own (so a test may rewrite it), run once. */
async function harborProject() {
  const root = await tempDir();
  await copyFixtures(root, ['harbor.xml']);
  const server = await serve(root);
  const p = await project({ sources: [{ id: 'harbor', kind: 'feed', url: server.at('harbor.xml') }] });
  expect((await p.run()).code).toBe(0);
  return { root, server, p };
}

describe('a feed that changed', () => {
  const ferry = '<item>\n      <title>Ferry timetable changes in spring</title>';
  const extra = `<item>
      <title>Tugboat race on Sunday</title>
      <link>https://harbor.example.com/news/tugboat-race</link>
      <guid isPermaLink="false">harbor-4</guid>
      <description>&lt;p&gt;Six tugboats race across the inner harbor at noon.&lt;/p&gt;</description>
      <pubDate>Tue, 06 Jan 2026 08:00:00 GMT</pubDate>
    </item>
    `;

  it('reads its new item and knows the stored ones, also from a state written before feed items had XML hashes', async () => {
    const { root, p } = await harborProject();
    const ids = (await p.feed()).json.map((e) => e.id);
    expect(ids).toHaveLength(3);

    // Earlier versions stored the hash of the item's JSON (32 hex digits) rather than of its XML.
    const state = join(p.stateDir, STATE_FILE);
    const db = new Database(state);
    expect(db.prepare('SELECT DISTINCT length(raw_hash) AS n FROM items').all()).toEqual([{ n: 40 }]);
    db.prepare('UPDATE items SET raw_hash = substr(raw_hash, 1, 32)').run();
    db.close();

    const xml = await readFile(join(root, 'harbor.xml'), 'utf8');
    await writeFile(join(root, 'harbor.xml'), xml.replace(ferry, `${extra}${ferry}`));
    const upgraded = await p.run();
    expect(upgraded.code, upgraded.stderr).toBe(0);
    expect(summaryRow(upgraded.stdout, 'harbor')?.slice(0, 4)).toEqual(['harbor', 'ok', '4', '1']);
    const after = (await p.feed()).json.map((e) => e.id);
    expect(after.slice(1)).toEqual(ids);

    const regatta = extra
      .replace(/harbor-4|tugboat-race/g, (m) => `${m}b`)
      .replace('Tugboat race on Sunday', 'Rowing regatta moves to May')
      .replace(
        'Six tugboats race across the inner harbor at noon.',
        'The rowing club needs the summer berths.',
      );
    const again = xml.replace(ferry, `${extra}${regatta}${ferry}`);
    await writeFile(join(root, 'harbor.xml'), again);
    const third = await p.run();
    expect(third.code, third.stderr).toBe(0);
    expect(summaryRow(third.stdout, 'harbor')?.slice(0, 4)).toEqual(['harbor', 'ok', '5', '1']);
    const last = (await p.feed()).json.map((e) => e.id);
    expect(last).toHaveLength(5);
    expect(last).toEqual(expect.arrayContaining(after));
    const check = new Database(state, { readonly: true });
    expect(check.prepare('SELECT DISTINCT length(raw_hash) AS n FROM items').all()).toEqual([{ n: 40 }]);
    check.close();
  });
});

describe('items are kept across runs', () => {
  it('one source answering 500 does not empty the output', async () => {
    const server = await serve(E2E_FIXTURES);
    const p = await project({ sources: THREE_SOURCES(server) });
    const first = await p.run();
    expect(first.code, first.stderr).toBe(0);
    const ids = (await p.feed()).rss.map((e) => e.id);
    expect(ids).toHaveLength(ALL_ITEMS);

    server.route('/science.atom', (_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('database on fire');
    });
    const second = await p.run();
    expect(second.code, second.stderr).toBe(0);
    expect(summaryRow(second.stdout, 'science')?.slice(0, 2)).toEqual(['science', 'failed']);
    expect(second.stderr).toMatch(/feedloom: science: .*500/);
    const after = await p.feed();
    expect(after.rss.map((e) => e.id)).toEqual(ids);
    expect(after.json.map((e) => e.id)).toEqual(ids);
  });

  it('an item the source dropped from its feed stays in ours', async () => {
    const { root, server, p } = await harborProject();
    const titles = (await p.feed()).rss.map((e) => e.title);
    expect(titles).toContain('Lighthouse open for visitors again');

    const xml = await readFile(join(root, 'harbor.xml'), 'utf8');
    const without = xml.replace(/<item>\s*<title>Lighthouse[\s\S]*?<\/item>\s*/, '');
    expect(without).not.toContain('Lighthouse');
    await writeFile(join(root, 'harbor.xml'), without);
    const seen = server.requests.length;

    const second = await p.run();
    expect(second.code, second.stderr).toBe(0);
    // A new ETag: the feed was fetched and read again, not answered with 304.
    expect(server.requests.slice(seen).map((r) => r.status)).toEqual([200]);
    expect(summaryRow(second.stdout, 'harbor')?.slice(0, 3)).toEqual(['harbor', 'ok', '2']);
    const after = await p.feed();
    expect(after.rss.map((e) => e.title)).toEqual(titles);
    expect(after.atom.map((e) => e.title)).toEqual(titles);
    expect(after.json.map((e) => e.title)).toEqual(titles);
  });
});
