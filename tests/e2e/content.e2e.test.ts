// What comes out of real, messy sources through the real bin: legacy encodings, broken and hostile
// XML, hostile HTML, and one story carried by two feeds.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { copyFixtures, E2E_FIXTURES, ENTRY_FILES, project, summaryRow } from './cli.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function serve(root?: string): Promise<TestServer> {
  const s = await startServer(root);
  servers.push(s);
  return s;
}

describe('Windows-1252 feed with no charset declared anywhere', () => {
  const TITLE = '“Quoted” and ‘single’ – en — em, ½ off';
  const BODY = 'She said “yes”, he said ‘no’ – then — after a pause — they split it ½ and ½.';

  it('comes out as exact Unicode in every format, with no U+FFFD', async () => {
    const server = await serve(E2E_FIXTURES);
    const p = await project({
      sources: [{ id: 'cp1252', kind: 'feed', url: server.at('windows-1252.xml') }],
    });
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    // The server really declared nothing: no charset parameter on the content type.
    expect(server.requests[0]?.path).toBe('/windows-1252.xml');

    const f = await p.feed();
    for (const e of [...f.rss, ...f.atom, ...f.json]) {
      expect(e.title).toBe(TITLE);
      expect(cheerio.load(e.content).text()).toContain(BODY);
    }
    expect(f.html.map((e) => e.title)).toEqual([TITLE]);
    expect(cheerio.load(f.html[0]?.html ?? '').text()).toContain(BODY);

    for (const [name, bytes] of await p.outputs()) {
      const text = bytes.toString('utf8');
      // Valid UTF-8 on disk (a round trip changes nothing) and no replacement character anywhere.
      expect(Buffer.from(text, 'utf8').equals(bytes), name).toBe(true);
      expect(text.includes('\uFFFD'), name).toBe(false);
      expect(text.toLowerCase().includes('\\ufffd'), name).toBe(false);
      expect(text.toLowerCase().includes('&#xfffd;') || text.includes('&#65533;'), name).toBe(false);
    }
    expect(await p.read('sources.opml')).toContain('Windows Press ‘1252’');
  });
});

describe('broken and hostile XML in one run', () => {
  it('recovers a feed with a bare & and &nbsp;; a billion-laughs feed fails fast and alone', async () => {
    const server = await serve(E2E_FIXTURES);
    const p = await project({
      sources: [
        { id: 'ampersand', kind: 'feed', url: server.at('bare-ampersand.xml') },
        // Retries allowed: an entity bomb is refused on sight, never fetched again in the same run.
        { id: 'laughs', kind: 'feed', url: server.at('billion-laughs.xml'), retries: 2 },
        { id: 'harbor', kind: 'feed', url: server.at('harbor.xml') },
      ],
    });
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    expect(summaryRow(r.stdout, 'ampersand')?.slice(0, 3)).toEqual(['ampersand', 'recovered', '2']);
    const laughs = summaryRow(r.stdout, 'laughs');
    expect(laughs?.slice(0, 3)).toEqual(['laughs', 'failed', '0']);
    expect(laughs?.join(' ')).toMatch(/declares \d+ entities in its DOCTYPE/);
    expect(r.stderr).toMatch(/feedloom: laughs: .*entities/);
    expect(r.stderr).not.toMatch(/every source failed/);
    expect(summaryRow(r.stdout, 'harbor')?.slice(0, 3)).toEqual(['harbor', 'ok', '3']);
    expect(server.requests.filter((q) => q.path === '/billion-laughs.xml')).toHaveLength(1);

    const f = await p.feed();
    const titles = f.json.map((e) => e.title);
    expect(titles).toEqual(expect.arrayContaining(['R&D budget grows', 'Q&A with the lab director']));
    expect(titles).toEqual(expect.arrayContaining(['Ferry timetable changes in spring']));
    expect(titles).toHaveLength(5);
    expect(titles.some((t) => t.includes('lol'))).toBe(false);
    const rd = f.json.find((e) => e.title === 'R&D budget grows');
    // &nbsp; is no XML entity: recovered as the character it means in HTML.
    expect(cheerio.load(rd?.content ?? '').text()).toMatch(/Tom & Jerry met at the lab;[\u00a0 ]the budget/);
    expect(rd?.link).toBe('https://rd.example.com/story?id=1&ref=rss');
    for (const e of [...f.rss, ...f.atom]) expect(e.title).not.toMatch(/&amp;|lol/);
  });
});

describe('hostile item content', () => {
  const RAW_BANNED = ['<script', 'javascript:', '<iframe', 'onerror', 'onclick', '<form', '<object'];

  /** Why an HTML fragment is unsafe, or undefined. Works on the decoded DOM, so escapes do not hide it. */
  function unsafe(html: string): string | undefined {
    const $ = cheerio.load(html, {}, false);
    for (const el of $('*').toArray()) {
      if (el.type !== 'tag' && el.type !== 'script' && el.type !== 'style') continue;
      const name = el.name.toLowerCase();
      if (
        ['script', 'iframe', 'form', 'object', 'embed', 'style', 'meta', 'link', 'base', 'frame'].includes(
          name,
        )
      )
        return `<${name}>`;
      for (const [attr, value] of Object.entries(el.attribs)) {
        const a = attr.toLowerCase();
        if (a.startsWith('on') || a === 'style' || a === 'srcdoc' || a === 'formaction')
          return `<${name} ${a}="${value}">`;
        // Browsers drop ASCII whitespace and controls inside a scheme: "java\tscript:" still runs.
        const squeezed = [...value]
          .filter((c) => c.charCodeAt(0) > 0x20)
          .join('')
          .toLowerCase();
        if (/^(javascript|vbscript|data):/.test(squeezed) && a !== 'alt' && a !== 'title')
          return `<${name} ${a}="${value}">`;
      }
    }
    return undefined;
  }

  it('leaves no script, handler, javascript: link, frame, form, object or style in any output', async () => {
    const server = await serve(E2E_FIXTURES);
    const p = await project({ sources: [{ id: 'hostile', kind: 'feed', url: server.at('hostile.xml') }] });
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);

    const outputs = await p.outputs();
    for (const name of ENTRY_FILES) {
      const raw = (outputs.get(name) ?? Buffer.alloc(0)).toString('utf8').toLowerCase();
      for (const banned of RAW_BANNED) expect(raw.includes(banned), `${name} contains ${banned}`).toBe(false);
      // Escaped forms count too: &lt;script in XML text, \u003cscript in JSON.
      for (const banned of ['&lt;script', '&lt;iframe', '&lt;form', '&lt;object', '\\u003cscript'])
        expect(raw.includes(banned), `${name} contains ${banned}`).toBe(false);
    }
    // index.html: the page itself has one <style> (ours, hashed in the CSP) and no style attributes.
    const page = (outputs.get('index.html') ?? Buffer.alloc(0)).toString('utf8');
    expect(page.match(/<style[\s>]/gi)).toHaveLength(1);
    expect(page).not.toMatch(/\sstyle\s*=/i);

    const f = await p.feed();
    expect(f.json).toHaveLength(4);
    for (const e of [...f.rss, ...f.atom, ...f.json]) {
      expect(unsafe(e.content), `${e.title}: ${e.content}`).toBeUndefined();
      const decoded = e.content.toLowerCase();
      for (const banned of RAW_BANNED) expect(decoded.includes(banned), `${e.title}: ${banned}`).toBe(false);
    }
    for (const e of f.html) expect(unsafe(e.html), e.html).toBeUndefined();

    // The harmless parts survive: text, a plain image, an https link.
    const byTitle = new Map(f.json.map((e) => [e.title, e.content]));
    expect(byTitle.get('Scripts and handlers')).toContain('Safe words survive.');
    expect(byTitle.get('Scripts and handlers')).toContain('src="https://hostile.example.com/pic.png"');
    expect(byTitle.get('Links that run code')).toContain('href="https://hostile.example.com/fine"');
    expect(byTitle.get('Frames, forms and objects')).toContain('End of the hostile item.');
    expect(byTitle.get('Escaped markup in a description')).toContain('<b>bold</b>');
  });
});

describe("a GitHub release feed's 30-pixel author avatars", () => {
  it("are no entry's picture in any output; a screenshot in the notes is", async () => {
    const server = await serve(E2E_FIXTURES);
    const p = await project({
      sources: [{ id: 'widget', kind: 'feed', url: server.at('github-releases.atom') }],
    });
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    for (const [name, bytes] of await p.outputs()) {
      expect(bytes.toString('utf8').includes('avatars.githubusercontent.com'), name).toBe(false);
    }
    const rss = cheerio.load(await p.read('feed.xml'), { xml: true });
    expect(
      rss('item')
        .toArray()
        .map((el) => rss(el).children('enclosure').attr('url')),
    ).toEqual([undefined, 'https://github.com/acme/widget/assets/1/dashboard.png']);
    const json = (await p.feed()).json.map((e) => e.raw['image']);
    expect(json).toEqual([undefined, 'https://github.com/acme/widget/assets/1/dashboard.png']);
  });
});

describe('one story from two feeds', () => {
  it('becomes one entry naming the other source, listed in _feedloom, with ids stable across runs', async () => {
    const root = await tempDir();
    await copyFixtures(root, ['dedupe-wire.xml', 'dedupe-daily.xml']);
    const server = await serve(root);
    const p = await project({
      sources: [
        { id: 'wire', kind: 'feed', title: 'Bay Wire', url: server.at('dedupe-wire.xml') },
        { id: 'daily', kind: 'feed', title: 'The Coast Daily', url: server.at('dedupe-daily.xml') },
      ],
    });
    const first = await p.run();
    expect(first.code, first.stderr).toBe(0);
    const f1 = await p.feed();
    // 4 items, 3 stories.
    expect(f1.json).toHaveLength(3);
    const story = f1.json.find(
      (e) => e.link === 'https://story.example.org/2026/01/storm-closes-coastal-road',
    );
    expect(story, JSON.stringify(f1.json.map((e) => e.link))).toBeDefined();
    const other =
      story?.raw['title'] === 'Storm closes the coastal road for a night' ? 'The Coast Daily' : 'Bay Wire';
    const last = cheerio
      .load(story?.content ?? '')('p')
      .last()
      .text();
    expect(last).toMatch(/^Also reported by:/);
    expect(last).toContain(other);
    expect(f1.json.filter((e) => e.link.includes('storm-closes-coastal-road'))).toHaveLength(1);
    expect(JSON.stringify(f1.json)).not.toContain('utm_');
    const ext = story?.raw['_feedloom'] as { sources: { id: string; title: string; url?: string }[] };
    expect(ext.sources.map((s) => s.id).sort()).toEqual(['daily', 'wire']);
    for (const e of [...f1.rss, ...f1.atom]) {
      if (e.link.includes('storm-closes-coastal-road')) expect(e.content).toContain(`Also reported by:`);
    }

    // Run 2 with both feeds changed (one new item each): every entry keeps its id in every format.
    const addItem = async (file: string, guid: string, title: string) => {
      const path = join(root, file);
      const { readFile } = await import('node:fs/promises');
      const xml = await readFile(path, 'utf8');
      const item = `<item><title>${title}</title><link>https://more.example.com/${guid}</link><guid isPermaLink="false">${guid}</guid><description>${title}, in full.</description><pubDate>Fri, 09 Jan 2026 06:00:00 GMT</pubDate></item>`;
      await writeFile(path, xml.replace('<item>', `${item}\n    <item>`));
    };
    await addItem('dedupe-wire.xml', 'wire-new', 'Harbour master retires after thirty years');
    await addItem('dedupe-daily.xml', 'daily-new', 'Bakery on the quay wins the bread award');
    const second = await p.run();
    expect(second.code, second.stderr).toBe(0);
    expect(summaryRow(second.stdout, 'wire')?.[1]).toBe('ok');
    expect(summaryRow(second.stdout, 'daily')?.[1]).toBe('ok');
    const f2 = await p.feed();
    expect(f2.json).toHaveLength(5);
    for (const format of ['rss', 'atom', 'json'] as const) {
      const ids2 = new Map(f2[format].map((e) => [e.link, e.id]));
      for (const e of f1[format]) expect(ids2.get(e.link), `${format} ${e.link}`).toBe(e.id);
    }
    expect(f2.json.filter((e) => e.link.includes('storm-closes-coastal-road'))).toHaveLength(1);
  });
});
