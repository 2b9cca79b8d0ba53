// The CLI's real output, read by real clients: Python feedparser (strict, bozo flag), xmllint with
// the RFC 4287 RELAX NG schema, the JSON Feed 1.1 schema, and newsboat fetching over HTTP. One run
// over every kind of fixture (legacy encoding, recovered XML, hostile HTML, a duplicate story).
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
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

const SOURCES = [
  ['harbor', 'harbor.xml'],
  ['science', 'science.atom'],
  ['culture', 'culture.json'],
  ['cp1252', 'windows-1252.xml'],
  ['ampersand', 'bare-ampersand.xml'],
  ['hostile', 'hostile.xml'],
  ['wire', 'dedupe-wire.xml'],
  ['daily', 'dedupe-daily.xml'],
] as const;
/** 3 + 2 + 2 + 1 + 2 + 4 + 2 + 2 items, one story carried twice. */
const ENTRIES = 17;

let fixtures: TestServer;
let p: Project;
let out: ParsedOutputs;
/** A copy of output/ that outlives the per-test temp dir cleanup. */
let outDir: string;

beforeAll(async () => {
  fixtures = await startServer(E2E_FIXTURES);
  // tempDir() cleans up after each test; the run here is shared by the whole file.
  const { mkdtemp, cp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  p = await project({ sources: SOURCES.map(([id, file]) => ({ id, kind: 'feed', url: fixtures.at(file) })) });
  const r = await p.run();
  expect(r.code, r.stderr).toBe(0);
  outDir = await mkdtemp(join(tmpdir(), 'feedloom-e2e-readers-'));
  await cp(p.outDir, outDir, { recursive: true });
  out = await parseOutputs(outDir);
  afterAll(async () => {
    await rm(outDir, { recursive: true, force: true });
  });
});

afterAll(async () => {
  await fixtures.close();
});

describe('the three formats', () => {
  it('list the same entries in the same order', () => {
    expect(out.json).toHaveLength(ENTRIES);
    const ids = out.json.map((e) => e.id);
    expect(new Set(ids).size).toBe(ENTRIES);
    expect(out.rss.map((e) => e.id)).toEqual(ids);
    expect(out.atom.map((e) => e.id)).toEqual(ids.map(atomId));
    const titles = out.json.map((e) => e.title);
    expect(out.rss.map((e) => e.title)).toEqual(titles);
    expect(out.atom.map((e) => e.title)).toEqual(titles);
    expect(out.html.map((e) => e.title)).toEqual(titles);
    const links = out.json.map((e) => e.link);
    expect(out.rss.map((e) => e.link)).toEqual(links);
    expect(out.atom.map((e) => e.link)).toEqual(links);
  });
});

describe.skipIf(feedparser().skip)('Python feedparser', () => {
  it.each([
    ['feed.xml', 'rss20'],
    ['atom.xml', 'atom10'],
  ])('parses %s strictly (bozo 0) with every entry', (file, version) => {
    need(feedparser());
    const d = feedparserRead(join(outDir, file));
    expect(d.bozo_exception).toBe('');
    expect(d.bozo).toBe(0);
    expect(d.version).toBe(version);
    const ids = out.json.map((e) => e.id);
    expect(d.entries.map((e) => e.id)).toEqual(file === 'atom.xml' ? ids.map(atomId) : ids);
    expect(d.entries.map((e) => e.title)).toEqual(out.json.map((e) => e.title));
    expect(d.entries.map((e) => e.link)).toEqual(out.json.map((e) => e.link));
  });
});

describe.skipIf(xmllint().skip)('xmllint', () => {
  it('validates atom.xml against the RFC 4287 RELAX NG schema', () => {
    const r = xmllintCheck(
      readFileSync(join(outDir, 'atom.xml'), 'utf8'),
      join(FIXTURES, '..', 'schemas', 'atom.rng'),
    );
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status, r.stderr).toBe(0);
  });

  it.each(['feed.xml', 'sources.opml'])('finds %s well-formed', (file) => {
    const r = xmllintCheck(readFileSync(join(outDir, file), 'utf8'));
    expect(r.status, r.stderr).toBe(0);
  });
});

describe('JSON Feed 1.1 schema', () => {
  it('accepts feed.json', () => {
    const schema = JSON.parse(
      readFileSync(join(FIXTURES, '..', 'schemas', 'jsonfeed-1.1.schema.json'), 'utf8'),
    );
    const doc = JSON.parse(readFileSync(join(outDir, 'feed.json'), 'utf8'));
    expect(validate(schema, doc)).toEqual([]);
    expect(doc.version).toBe('https://jsonfeed.org/version/1.1');
  });
});

describe.skipIf(newsboat().skip)('newsboat', () => {
  it('fetches feed.xml and atom.xml over HTTP and loads every item', async () => {
    const cmd = need(newsboat());
    // Served over loopback, as a reader would meet them; newsboat runs async so this server answers.
    const site = await startServer(outDir);
    try {
      const home = await tempDir('feedloom-e2e-newsboat-');
      const urls = [site.at('feed.xml'), site.at('atom.xml')];
      await writeFile(join(home, 'urls'), `${urls.join('\n')}\n`);
      const cache = join(home, 'cache.db');
      const stdout = await newsboatReload(cmd, home, cache);
      expect(site.requests.map((r) => [r.path, r.status]).sort()).toEqual([
        ['/atom.xml', 200],
        ['/feed.xml', 200],
      ]);
      expect(stdout.trim()).toBe(`${ENTRIES * 2} unread articles`);
      const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
      const db = new Database(cache, { readonly: true });
      try {
        const titles = out.json.map((e) => e.title).sort();
        for (const url of urls) {
          const rows = db.prepare('SELECT title FROM rss_item WHERE feedurl = ?').all(url) as {
            title: string;
          }[];
          expect(rows.map((x) => x.title).sort(), url).toEqual(titles);
        }
      } finally {
        db.close();
      }
    } finally {
      await site.close();
    }
  });
});
