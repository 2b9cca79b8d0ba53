// An `article` source by URL through the real bin: a Windows-1252 news page that declares its charset
// only in an http-equiv meta, with the furniture of a real news site around the story. And `fullText`
// feeds: a teaser item gets its page's article, fetched once and then served from the store.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as cheerio from 'cheerio';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { project, summaryRow } from './cli.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const TITLE = 'Bakers’ strike ends with a “fair” ½-day deal';
const PARAGRAPHS = [
  'The bakers’ union and the employers agreed on Tuesday night to a deal that gives every worker a ½-day off each month – the first new leave in a decade.',
  '“It is a fair result,” said Marta Oliveira, the union’s chief negotiator — “not everything we asked for, but more than they offered.”',
  'Bakeries across the region, closed since Monday, will reopen on Thursday morning, the employers’ association said, and wages will rise by 4½ percent over two years.',
];
const FURNITURE = [
  'Home',
  'Economy',
  'Share on Facebook',
  'Related stories',
  'Flour prices hit a record high',
  '© Regional Courier',
  'trackPageView',
  'pixel.gif',
];

/** The two ways a page declares its charset in markup (WHATWG prescan). */
const DECLARATIONS = {
  'http-equiv': '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
  'meta charset': '<meta charset="windows-1252">',
} as const;

/** The page as a Windows-1252 server sends it: no charset in the HTTP header, only in the meta. */
function page(declaration: string): Buffer {
  const html = `<!DOCTYPE html>
<html lang="en"><head>
${declaration}
<title>${TITLE} | Regional Courier</title>
<meta property="og:title" content="${TITLE}">
<meta property="og:image" content="/img/bakery-strike.jpg">
<meta property="og:site_name" content="Regional Courier">
<link rel="canonical" href="/economy/bakers-strike-ends?utm_source=rss&amp;utm_medium=feed">
<script type="application/ld+json">
{"@context":"https://schema.org","@type":"NewsArticle","headline":"Bakers’ strike ends",
 "author":[{"@type":"Person","name":"Jonas Weber"}],"datePublished":"2026-03-03T21:15:00+01:00"}
</script>
<script>function trackPageView(){}; trackPageView();</script>
</head><body>
<header><a href="/">Regional Courier</a><nav><ul><li><a href="/">Home</a></li><li><a href="/economy">Economy</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
<article>
<h1>${TITLE}</h1>
<div class="share-bar"><a href="https://facebook.example/share">Share on Facebook</a> <a href="mailto:?">Email</a></div>
<div class="article-body">
${PARAGRAPHS.map((p) => `<p>${p}</p>`).join('\n')}
</div>
<div class="related"><h3>Related stories</h3><ul><li><a href="/a">Flour prices hit a record high</a></li><li><a href="/b">Union vote set for Friday</a></li></ul></div>
</article>
<footer><p>© Regional Courier 2026</p></footer>
<img src="/pixel.gif?article=42" width="1" height="1" alt="">
<script src="/js/ads.js"></script>
</body></html>`;
  return iconv.encode(html, 'windows-1252');
}

describe('article source by URL', () => {
  it.each(Object.entries(DECLARATIONS))(
    'a Windows-1252 page declared only by %s comes out clean, dated, credited and with an absolute image',
    async (_name, declaration) => {
      const server = await startServer();
      servers.push(server);
      const bytes = page(declaration);
      // The bytes really are Windows-1252: ½ is one byte 0xBD, not UTF-8's C2 BD.
      expect(bytes.includes(0xbd)).toBe(true);
      expect(bytes.includes(Buffer.from('½', 'utf8'))).toBe(false);
      server.route('/economy/bakers-strike-ends', (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(bytes);
      });
      const p = await project({
        sources: [{ id: 'courier', kind: 'article', url: server.at('/economy/bakers-strike-ends') }],
      });
      const r = await p.run();
      expect(r.code, r.stderr).toBe(0);
      expect(summaryRow(r.stdout, 'courier')?.slice(0, 3)).toEqual(['courier', 'ok', '1']);

      const f = await p.feed();
      const link = server.at('/economy/bakers-strike-ends');
      for (const e of [...f.rss, ...f.atom, ...f.json]) {
        expect(e.title).toBe(TITLE);
        // The canonical URL, made absolute, tracking parameters gone.
        expect(e.link).toBe(link);
        const text = cheerio.load(e.content).text();
        for (const p of PARAGRAPHS) expect(text).toContain(p);
        for (const junk of FURNITURE) expect(e.content).not.toContain(junk);
        expect(e.content).not.toMatch(/<script|<nav|<footer|width="1"/);
        expect(text).not.toContain('\uFFFD');
      }
      const [json] = f.json;
      expect(json?.raw['authors']).toEqual([{ name: 'Jonas Weber' }]);
      expect(json?.raw['date_published']).toBe('2026-03-03T20:15:00Z');
      expect(json?.raw['image']).toBe(server.at('/img/bakery-strike.jpg'));
      const rss = await p.read('feed.xml');
      expect(rss).toContain('<dc:creator>Jonas Weber</dc:creator>');
      expect(rss).toContain('Tue, 03 Mar 2026 20:15:00 GMT');
      const atom = cheerio.load(await p.read('atom.xml'), { xml: true });
      expect(atom('entry > author > name').text()).toBe('Jonas Weber');
      expect(atom('entry > published').text()).toBe('2026-03-03T20:15:00Z');
      // One request: the page itself; the pixel and the image are never fetched.
      expect(server.requests.map((q) => q.path)).toEqual(['/economy/bakers-strike-ends']);
    },
  );
});

const FULL = [
  'The city council approved next year’s budget on Monday evening after a debate that lasted more than six hours, with 31 votes in favour and 12 against.',
  'The budget raises spending on public transport by 14 percent, most of it for new night buses and for longer opening hours at the central station.',
  'Opposition members criticised the plan for relying on a one-off property sale to balance the books, and warned that next year would bring harder choices.',
];
const LONG = Array.from(
  { length: 40 },
  (_, i) => `Sentence ${i + 1} of a complete story that the feed carries in full.`,
).join(' ');

function articlePage(): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Council passes budget</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council passes budget</h1>${FULL.map((p) => `<p>${p}</p>`).join('')}
<div class="share-bar"><a href="#">Share this story</a></div></article>
<footer>City Gazette</footer></body></html>`;
}

function feed(base: string): string {
  const item = (title: string, path: string, body: string) =>
    `<item><title>${title}</title><link>${base}${path}</link><guid>${base}${path}</guid>` +
    `<pubDate>Mon, 02 Mar 2026 18:00:00 GMT</pubDate><description><![CDATA[${body}]]></description></item>`;
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>City Gazette</title><link>${base}/</link>
${item('Council passes budget', '/news/budget', '<p>The city council approved next year’s budget on Monday evening after a debate…</p>')}
${item('A story in full', '/news/long', `<p>${LONG}</p>`)}
${item('Page that is gone', '/news/missing', 'The page of this teaser no longer exists [...]')}
</channel></rss>`;
}

/** The data version a run bumps when it saved something outputs show. */
function storedDataVersion(stateDir: string): string | undefined {
  const db = new Database(join(stateDir, 'state.db'), { readonly: true });
  try {
    return (db.prepare("SELECT value FROM meta WHERE key = 'data_version'").get() as { value: string })
      ?.value;
  } finally {
    db.close();
  }
}

/** A loopback server whose /feed.xml is the gazette feed, without validators: every run reads it. */
async function gazetteServer(): Promise<Awaited<ReturnType<typeof startServer>>> {
  const server = await startServer();
  servers.push(server);
  server.route('/feed.xml', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    res.end(feed(server.url));
  });
  return server;
}

describe('fullText on a feed source', () => {
  it('replaces a truncated item by its extracted page, and fetches the page only once', async () => {
    const server = await gazetteServer();
    // The article moved: its page answers after a redirect, as many news sites' feed links do.
    server.route('/news/budget', (_req, res) => {
      res.writeHead(301, { location: '/articles/2026/budget' });
      res.end();
    });
    server.route('/articles/2026/budget', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(articlePage());
    });
    const p = await project({
      sources: [{ id: 'gazette', kind: 'feed', url: server.at('/feed.xml'), fullText: true }],
    });
    const pageRequests = (path: string) => server.requests.filter((q) => q.path === path).length;

    const first = await p.run();
    expect(first.code, first.stderr).toBe(0);
    expect(pageRequests('/news/budget')).toBe(1);
    // Complete items are not fetched; a page that fails leaves its item as the feed gave it.
    expect(pageRequests('/news/long')).toBe(0);
    expect(pageRequests('/news/missing')).toBe(1);
    expect(`${first.stdout}${first.stderr}`).toMatch(/news\/missing/);

    const check = async () => {
      const f = await p.feed();
      for (const entries of [f.rss, f.atom, f.json]) {
        const byTitle = new Map(entries.map((e) => [e.title, cheerio.load(e.content).text()]));
        for (const para of FULL) expect(byTitle.get('Council passes budget')).toContain(para);
        expect(byTitle.get('Council passes budget')).not.toMatch(/Share this story|City Gazette|Home/);
        expect(byTitle.get('A story in full')).toContain(LONG);
        expect(byTitle.get('Page that is gone')).toContain('no longer exists');
      }
    };
    await check();

    const dataVersion = () => storedDataVersion(p.stateDir);
    const before = dataVersion();
    const second = await p.run();
    expect(second.code, second.stderr).toBe(0);
    expect(server.requests.filter((q) => q.path === '/feed.xml')).toHaveLength(2);
    // Served from the store: no second request for the article page.
    expect(pageRequests('/news/budget')).toBe(1);
    // The item built from the cache is the item stored: nothing to save, nothing to render again.
    expect(dataVersion()).toBe(before);
    await check();
  });
  it('asks a page that failed for a passing reason again an hour later, and a missing one never', async () => {
    const server = await gazetteServer();
    let down = true;
    server.route('/news/budget', (_req, res) => {
      if (down) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('maintenance');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(articlePage());
    });
    const p = await project({
      defaults: { retries: 0 },
      sources: [{ id: 'gazette', kind: 'feed', url: server.at('/feed.xml'), fullText: true }],
    });
    const pageRequests = (path: string) => server.requests.filter((q) => q.path === path).length;
    const state = join(p.stateDir, 'state.db');
    const dataVersion = () => storedDataVersion(p.stateDir);
    const budgetText = async () => {
      const entries = (await p.feed()).json;
      return cheerio.load(entries.find((e) => e.title === 'Council passes budget')?.content ?? '').text();
    };

    const first = await p.run();
    expect(first.code, first.stderr).toBe(0);
    expect(`${first.stdout}${first.stderr}`).toMatch(/news\/budget.*will try again/);
    expect(pageRequests('/news/budget')).toBe(1);
    expect(pageRequests('/news/missing')).toBe(1);
    expect(await budgetText()).toContain('after a debate');

    // Within the hour: not asked again, and nothing to save or render.
    down = false;
    const before = dataVersion();
    expect((await p.run()).code).toBe(0);
    expect(pageRequests('/news/budget')).toBe(1);
    expect(dataVersion()).toBe(before);

    // An hour later (the failure backdated): asked again, and the item gets its page's text.
    const db = new Database(state);
    db.prepare('UPDATE full_text SET fetched_at = fetched_at - 3600000').run();
    db.close();
    const later = await p.run();
    expect(later.code, later.stderr).toBe(0);
    expect(pageRequests('/news/budget')).toBe(2);
    for (const para of FULL) expect(await budgetText()).toContain(para);
    // A 404 is final for that item: never asked again.
    expect(pageRequests('/news/missing')).toBe(1);

    const settled = dataVersion();
    expect((await p.run()).code).toBe(0);
    expect(pageRequests('/news/budget')).toBe(2);
    expect(dataVersion()).toBe(settled);
  });
});
