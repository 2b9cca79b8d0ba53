// Real feed readers read what we write: Python feedparser (strict parse, `bozo` flag) and newsboat
// (a terminal reader, its own parser). Each skips when the tool is missing, unless
// FEEDLOOM_REQUIRE_TOOLS=1 (tools.ts).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { atomId } from '../../../src/emit/atom.js';
import { renderOutput, writeFiles } from '../../../src/emit/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { also, HOSTILE, makeContext, makeEntry } from './make-entry.js';
import { cleaned } from './render.js';
import { feedparser, feedparserJson, feedparserRead, need, newsboat, run } from './tools.js';

const entries = [
  makeEntry({
    entryId: 'e-1',
    item: { title: `Two ]]> ends ]]> and R&amp;D ${HOSTILE.emoji}`, image: 'https://img.example/a.png' },
    alsoFrom: [also('daily', 'The Daily', 'https://daily.example.net/s/1')],
  }),
  makeEntry({
    entryId: 'e-2',
    item: {
      title: HOSTILE.rtl,
      link: 'https://wire.example.com/2?a=1&b=2',
      contentHtml: `<p>${HOSTILE.controls}</p>`,
    },
  }),
  makeEntry({ entryId: 'e-3', item: { title: HOSTILE.markup, link: 'https://wire.example.com/3' } }),
];
const titles = entries.map((e) => cleaned(e.item.title));

/** Renders the output into a fresh folder (temp dirs are per test, so do it inside each test). */
async function writeOutput(): Promise<string> {
  const dir = await tempDir();
  await writeFiles(dir, renderOutput(entries, makeContext()));
  return dir;
}

describe.skipIf(feedparser().skip)('Python feedparser', () => {
  beforeAll(() => {
    need(feedparser());
  });

  it.each([
    ['feed.xml', 'rss20', ['e-1', 'e-2', 'e-3']],
    ['atom.xml', 'atom10', ['e-1', 'e-2', 'e-3'].map(atomId)],
  ])('parses %s strictly (bozo 0) with every entry and exact titles', async (file, version, ids) => {
    const d = feedparserRead(join(await writeOutput(), file));
    expect(d.bozo_exception).toBe('');
    expect(d.bozo).toBe(0);
    expect(d.version).toBe(version);
    expect(d.entries.map((e) => e.id)).toEqual(ids);
    expect(d.entries.map((e) => e.title)).toEqual(titles);
    expect(d.entries[1]?.link).toBe('https://wire.example.com/2?a=1&b=2');
    expect(d.entries[0]?.content?.[0]).toContain(
      'Also reported by: <a href="https://daily.example.net/s/1">The Daily</a>',
    );
  });

  it.skipIf(feedparserJson().skip)('parses feed.json (feedparser with JSON Feed support)', async () => {
    const d = feedparserRead(join(await writeOutput(), 'feed.json'));
    expect(d.bozo).toBe(0);
    expect(d.version).toMatch(/^json1/);
    expect(d.entries.map((e) => e.title)).toEqual(titles);
  });
});

describe.skipIf(newsboat().skip)('newsboat', () => {
  it('loads feed.xml and atom.xml from disk with every entry and exact titles', async () => {
    const dir = await writeOutput();
    const urls = ['feed.xml', 'atom.xml'].map((f) => pathToFileURL(join(dir, f)).href);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'urls'), `${urls.join('\n')}\n`);
    const cache = join(dir, 'cache.db');
    const r = run(need(newsboat()), ['-u', join(dir, 'urls'), '-c', cache, '-x', 'reload', 'print-unread'], {
      env: {
        ...process.env,
        HOME: dir,
        XDG_CONFIG_HOME: join(dir, '.config'),
        XDG_DATA_HOME: join(dir, '.local'),
      },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`${entries.length * 2} unread articles`);
    // newsboat keeps what it parsed in SQLite: read it back as the reader would show it.
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
    const db = new Database(cache, { readonly: true });
    try {
      for (const url of urls) {
        const rows = db
          .prepare('SELECT title FROM rss_item WHERE feedurl = ? ORDER BY pubDate DESC, guid')
          .all(url) as {
          title: string;
        }[];
        expect(rows.map((x) => x.title).sort()).toEqual([...titles].sort());
      }
    } finally {
      db.close();
    }
  });
});
