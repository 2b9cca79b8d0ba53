// Three outputs from one sources.json, as issue 6's "done when" says: `all`; one by tag with an
// exclude filter; one by source ids with one feed per source. Each gets the right entries, and every
// feed of every output is judged by real clients: Python feedparser (no bozo), xmllint with the RFC
// 4287 RELAX NG schema, the JSON Feed 1.1 schema, and newsboat loading them from `feedloom serve`.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atomId } from '../../src/emit/atom.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { validate } from '../unit/emit/json-schema-lite.js';
import {
  feedparser,
  feedparserRead,
  need,
  newsboat,
  newsboatReload,
  xmllint,
  xmllintCheck,
} from '../unit/emit/tools.js';
import { E2E_FIXTURES, type ParsedOutputs, type Project, parseOutputs, project } from './cli.js';
import { serveOutput } from './serving.js';

const FEED_BASE = 'https://feeds.example.org/news/';
/** Output folder (relative to output/) -> the source ids whose entries it may hold. */
const FOLDERS = {
  '': ['harbor', 'science', 'culture', 'wire', 'daily'],
  'coast/': ['harbor', 'culture', 'wire', 'daily'],
  'picked/': ['science', 'culture'],
  'picked/science/': ['science'],
  'picked/culture/': ['culture'],
} as const;
type Folder = keyof typeof FOLDERS;
const FOLDER_NAMES = Object.keys(FOLDERS) as Folder[];

let fixtures: TestServer;
let p: Project;
/** A copy of output/ that outlives the per-test temp dir cleanup. */
let outDir: string;
const parsed = new Map<Folder, ParsedOutputs>();

beforeAll(async () => {
  fixtures = await startServer(E2E_FIXTURES);
  p = await project({
    site: { title: 'Coast Desk', feedBase: FEED_BASE, language: 'en' },
    sources: [
      { id: 'harbor', kind: 'feed', url: fixtures.at('harbor.xml'), tags: ['coast'] },
      { id: 'science', kind: 'feed', url: fixtures.at('science.atom'), tags: ['science'] },
      { id: 'culture', kind: 'feed', url: fixtures.at('culture.json'), tags: ['coast', 'culture'] },
      { id: 'wire', kind: 'feed', url: fixtures.at('dedupe-wire.xml'), tags: ['coast'] },
      { id: 'daily', kind: 'feed', url: fixtures.at('dedupe-daily.xml'), tags: ['coast'] },
    ],
    outputs: [
      { name: 'all' },
      {
        name: 'coast',
        title: 'Coast without storms',
        tags: ['coast'],
        exclude: { title: 'storm|crane' },
        language: 'en-GB',
      },
      { name: 'picked', sources: ['science', 'culture'], perSource: true, limit: 3 },
    ],
  });
  const r = await p.run();
  expect(r.code, r.stderr).toBe(0);
  outDir = await mkdtemp(join(tmpdir(), 'feedloom-e2e-outputs-'));
  await cp(p.outDir, outDir, { recursive: true });
  for (const f of FOLDER_NAMES) parsed.set(f, await parseOutputs(join(outDir, f)));
}, 60_000);

afterAll(async () => {
  await fixtures.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

const readOut = (file: string): Promise<string> => readFile(join(outDir, file), 'utf8');
const out = (f: Folder): ParsedOutputs => parsed.get(f) as ParsedOutputs;
const titles = (f: Folder): string[] => out(f).json.map((e) => e.title);

describe('each output holds the right entries', () => {
  it('all: every story once (the storm carried by two outlets is one entry)', () => {
    expect(titles('')).toHaveLength(3 + 2 + 2 + 2 + 2 - 1);
    expect(titles('').filter((t) => /storm/i.test(t))).toHaveLength(1);
  });

  it('coast: only coast-tagged sources, and the excluded titles are gone', () => {
    const all = out('').json;
    const science = new Set(parsed.get('picked/science/')?.json.map((e) => e.id));
    const expected = all
      .filter((e) => !science.has(e.id))
      .filter((e) => !/storm|crane/i.test(e.title))
      .map((e) => e.title);
    expect(titles('coast/')).toEqual(expected);
    expect(titles('coast/').length).toBe(all.length - 2 - 2);
  });

  it('picked: only the two sources chosen, newest 3; each source its own folder', () => {
    expect(titles('picked/')).toHaveLength(3);
    const own = new Set([...titles('picked/science/'), ...titles('picked/culture/')]);
    for (const t of titles('picked/')) expect(own.has(t)).toBe(true);
    expect(titles('picked/science/')).toEqual([
      'Seagrass meadows store more carbon than thought',
      'Tide gauges get a satellite link',
    ]);
    expect(titles('picked/culture/')).toHaveLength(2);
  });

  it('per-output language reaches the feeds and the page', async () => {
    expect(await readOut('coast/atom.xml')).toContain('xml:lang="en-GB"');
    expect(await readOut('coast/index.html')).toContain('<html lang="en-GB">');
    expect(await readOut('picked/index.html')).toContain('<html lang="en">');
  });
});

describe.each(FOLDER_NAMES.map((f) => [f || '(root)', f] as const))('output %s', (_, folder) => {
  it('lists the same entries in the same order in its three formats and its page', () => {
    const o = out(folder);
    const ids = o.json.map((e) => e.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(o.rss.map((e) => e.id)).toEqual(ids);
    expect(o.atom.map((e) => e.id)).toEqual(ids.map(atomId));
    expect(o.rss.map((e) => e.title)).toEqual(titles(folder));
    expect(o.atom.map((e) => e.title)).toEqual(titles(folder));
    expect(o.html.map((e) => e.title)).toEqual(titles(folder));
    expect(o.atom.map((e) => e.link)).toEqual(o.json.map((e) => e.link));
  });

  it.skipIf(feedparser().skip).each([
    ['feed.xml', 'rss20'],
    ['atom.xml', 'atom10'],
  ])('%s parses in feedparser without bozo', (file, version) => {
    need(feedparser());
    const d = feedparserRead(join(outDir, folder, file));
    expect(d.bozo_exception).toBe('');
    expect(d.bozo).toBe(0);
    expect(d.version).toBe(version);
    expect(d.entries.map((e) => e.title)).toEqual(titles(folder));
  });

  it.skipIf(xmllint().skip)(
    'atom.xml passes the RFC 4287 RELAX NG schema; feed.xml is well-formed',
    async () => {
      const atom = xmllintCheck(
        await readFile(join(outDir, folder, 'atom.xml'), 'utf8'),
        join(FIXTURES, '..', 'schemas', 'atom.rng'),
      );
      expect(atom.status, atom.stderr).toBe(0);
      const rss = xmllintCheck(await readFile(join(outDir, folder, 'feed.xml'), 'utf8'));
      expect(rss.status, rss.stderr).toBe(0);
    },
  );

  it('feed.json passes the JSON Feed 1.1 schema', async () => {
    const schema = JSON.parse(
      await readFile(join(FIXTURES, '..', 'schemas', 'jsonfeed-1.1.schema.json'), 'utf8'),
    );
    const doc = JSON.parse(await readFile(join(outDir, folder, 'feed.json'), 'utf8'));
    expect(validate(schema, doc)).toEqual([]);
    expect(doc.feed_url).toBe(`${FEED_BASE}${folder}feed.json`);
  });
});

describe('the root page and feeds.opml', () => {
  it('index.html lists every output with its three feeds and their public URLs', async () => {
    const $ = cheerio.load(await readOut('index.html'));
    expect(
      $('nav.all > ul > li > h3 a')
        .toArray()
        .map((a) => $(a).attr('href')),
    ).toEqual(['index.html', 'coast/index.html', 'picked/index.html']);
    expect(
      $('nav.all code.url')
        .toArray()
        .map((c) => $(c).text())
        .filter((u) => u.includes('/coast/')),
    ).toEqual([`${FEED_BASE}coast/feed.xml`, `${FEED_BASE}coast/atom.xml`, `${FEED_BASE}coast/feed.json`]);
    expect($('link[rel=alternate]').length).toBe(5 * 3);
  });

  it('feeds.opml offers one subscription per output and per source', async () => {
    const $ = cheerio.load(await readOut('feeds.opml'), { xml: true });
    expect(
      $('outline[xmlUrl]')
        .toArray()
        .map((o) => $(o).attr('xmlUrl')),
    ).toEqual(FOLDER_NAMES.map((f) => `${FEED_BASE}${f}feed.xml`));
    if (!xmllint().skip) expect(xmllintCheck(await readOut('feeds.opml')).status).toBe(0);
  });
});

describe.skipIf(newsboat().skip)('newsboat', () => {
  // newsboat keys its cache on the item guid across feeds, and our outputs share entries (same guid
  // in `all`, `coast` and `picked`): one cache per output folder, or it keeps one copy of each.
  it('loads every item of every RSS and Atom feed served by feedloom serve', async () => {
    const cmd = need(newsboat());
    // The copy: the project's temp folder is removed after the first test.
    const s = await serveOutput(outDir, ['--out', outDir, '--quiet']);
    try {
      for (const f of FOLDER_NAMES) {
        const home = await tempDir('feedloom-e2e-newsboat-');
        const urls = [new URL(`${f}feed.xml`, s.url).href, new URL(`${f}atom.xml`, s.url).href];
        await writeFile(join(home, 'urls'), `${urls.join('\n')}\n`);
        const cache = join(home, 'cache.db');
        const stdout = await newsboatReload(cmd, home, cache);
        expect(stdout.trim(), f).toBe(`${2 * titles(f).length} unread articles`);
        const db = new Database(cache, { readonly: true });
        try {
          for (const url of urls) {
            const rows = db.prepare('SELECT title FROM rss_item WHERE feedurl = ?').all(url) as {
              title: string;
            }[];
            expect(rows.map((r) => r.title).sort(), url).toEqual([...titles(f)].sort());
          }
        } finally {
          db.close();
        }
      }
    } finally {
      expect(await s.stop()).toBe(0);
    }
  }, 120_000);
});

const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');

/** `newsboat -x reload print-unread` with its own home, config and cache; resolves with stdout. */
