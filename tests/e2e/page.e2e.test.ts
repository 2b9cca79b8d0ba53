// Page sources through the real bin, served from a loopback server: a listing read with selectors
// (German dates via dateFormat, and a paginated archive), listings read without any (JSON-LD, plain
// <article> blocks), each ending as correct entries in feed.xml, atom.xml and feed.json; and
// `feedloom preview`, which shows what a page source would read.
import * as cheerio from 'cheerio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixturePath, readFixture } from '../helpers/fixtures.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { type Project, project, runCli, summaryRow } from './cli.js';

let server: TestServer;
beforeEach(async () => {
  server = await startServer(fixturePath('pages'));
});
afterEach(async () => {
  await server.close();
});

interface Published {
  readonly title: string;
  readonly link: string;
  readonly date: string;
}

/** Every entry of the three feeds as title, link and publication date (ISO, UTC). */
async function published(p: Project): Promise<{ rss: Published[]; atom: Published[]; json: Published[] }> {
  const rss$ = cheerio.load(await p.read('feed.xml'), { xml: true });
  const rss = rss$('channel > item')
    .toArray()
    .map((el) => ({
      title: rss$(el).children('title').text(),
      link: rss$(el).children('link').text(),
      date: new Date(rss$(el).children('pubDate').text()).toISOString(),
    }));
  const atom$ = cheerio.load(await p.read('atom.xml'), { xml: true });
  const atom = atom$('feed > entry')
    .toArray()
    .map((el) => ({
      title: atom$(el).children('title').text(),
      link: atom$(el).children('link[rel="alternate"], link:not([rel])').first().attr('href') ?? '',
      date: new Date(
        atom$(el).children('published').text() || atom$(el).children('updated').text(),
      ).toISOString(),
    }));
  const feed = JSON.parse(await p.read('feed.json')) as { items: Record<string, string>[] };
  const json = feed.items.map((i) => ({
    title: i['title'] ?? '',
    link: i['url'] ?? '',
    date: new Date(i['date_published'] ?? '').toISOString(),
  }));
  return { rss, atom, json };
}

/** The same entries, in the same order, in all three formats. */
async function entries(p: Project): Promise<Map<string, Published>> {
  const { rss, atom, json } = await published(p);
  expect(atom).toEqual(rss);
  expect(json).toEqual(rss);
  return new Map(rss.map((e) => [e.title, e]));
}

describe('page sources', () => {
  it('with selectors: German dates by dateFormat, and a paginated archive followed through next', async () => {
    const p = await project({
      sources: [
        {
          id: 'hafenbote',
          kind: 'page',
          url: server.at('/div-soup-de.html'),
          select: JSON.parse(readFixture('pages/div-soup-de.select.json')),
        },
        {
          id: 'quay',
          kind: 'page',
          url: server.at('/paginated/page-1.html'),
          select: JSON.parse(readFixture('pages/paginated/select.json')),
          maxPages: 5,
        },
      ],
    });
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    expect(summaryRow(r.stdout, 'hafenbote')?.slice(0, 3)).toEqual(['hafenbote', 'ok', '11']);
    expect(summaryRow(r.stdout, 'quay')?.slice(0, 3)).toEqual(['quay', 'ok', '12']);

    const got = await entries(p);
    expect(got.size).toBe(23);
    expect(got.get('Neue Fährverbindung nach Gotland ab März')).toEqual({
      title: 'Neue Fährverbindung nach Gotland ab März',
      link: 'https://hafenbote.example/aktuell/meldung-1000.html',
      date: '2026-03-12T14:30:00.000Z',
    });
    expect(got.get('Wasserpreise steigen um vier Prozent')?.date).toBe('2025-11-05T11:55:00.000Z');
    // Page 3 of the archive, reached by following "Older" twice; the link back to page 1 ends it.
    expect(got.get('Lighthouse open to visitors in July')).toEqual({
      title: 'Lighthouse open to visitors in July',
      link: server.at('/posts/12.html'),
      date: '2026-06-16T00:00:00.000Z',
    });
    const pages = server.requests.map((q) => q.path).filter((path) => path.startsWith('/paginated/'));
    expect(pages).toEqual(['/paginated/page-1.html', '/paginated/page-2.html', '/paginated/page-3.html']);
  });

  it('without selectors: a JSON-LD listing and a page of plain <article> blocks', async () => {
    const p = await project({
      sources: [
        { id: 'gazette', kind: 'page', url: server.at('/jsonld-itemlist.html') },
        { id: 'notebook', kind: 'page', url: server.at('/h-entry-blog.html') },
      ],
    });
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    expect(summaryRow(r.stdout, 'gazette')?.slice(0, 3)).toEqual(['gazette', 'ok', '12']);
    expect(summaryRow(r.stdout, 'notebook')?.slice(0, 3)).toEqual(['notebook', 'ok', '11']);
    const got = await entries(p);
    expect(got.get('Harbour authority approves new ferry terminal')).toEqual({
      title: 'Harbour authority approves new ferry terminal',
      link: server.at('/news/harbour-ferry-terminal'),
      date: '2026-10-02T06:15:00.000Z',
    });
    // A bare ListItem URL, named by the page's own link text.
    expect(got.get('Storm warning for the northern islands')?.link).toBe(
      'https://gazette.example/news/storm-warning-islands',
    );
    expect(got.get('Sourdough, week three')).toEqual({
      title: 'Sourdough, week three',
      link: server.at('/2026/sourdough-week-three/'),
      date: '2026-09-21T09:00:00.000Z',
    });
    // The reply nested in a post is no item of its own.
    expect(got.has('Nice one!')).toBe(false);

    const articles = await project({
      sources: [{ id: 'culture', kind: 'page', url: server.at('/articles.html') }],
    });
    const a = await articles.run();
    expect(a.code, a.stderr).toBe(0);
    expect(summaryRow(a.stdout, 'culture')?.slice(0, 3)).toEqual(['culture', 'ok', '11']);
    const culture = await entries(articles);
    expect(culture.size).toBe(11);
    // Tracking parameters go; "most read" teasers in the sidebar stay out.
    expect(culture.get('Night trains return to the coastal line')).toEqual({
      title: 'Night trains return to the coastal line',
      link: server.at('/culture/night-trains-coastal-line'),
      date: '2026-10-01T17:40:00.000Z',
    });
    expect([...culture.keys()].some((t) => t.includes('Five things to do'))).toBe(false);
  });
});

describe('feedloom preview', () => {
  it('prints the detected method, the suggested selectors and the first items', async () => {
    const { code, stdout, stderr } = await runCli(['preview', server.at('/articles.html')], await tempDir());
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('11 items found by article');
    expect(stdout).toContain('suggested selectors: {"item":"section.stream article"');
    expect(stdout).toContain('  1. Harbour authority approves new ferry terminal');
    expect(stdout).toContain(`     ${server.at('/culture/harbour-ferry-terminal')}`);
    expect(stdout).toContain('     2026-10-02T06:15:00.000Z');
    expect(stdout).toContain('... and 1 more');
  });

  it('shows what --select finds, and says when a date needs dateFormat', async () => {
    const select = JSON.parse(readFixture('pages/div-soup-de.select.json')) as Record<string, string>;
    const dir = await tempDir();
    const withFormat = await runCli(
      ['preview', server.at('/div-soup-de.html'), '--select', JSON.stringify(select)],
      dir,
    );
    expect(withFormat.code, withFormat.stderr).toBe(0);
    expect(withFormat.stdout).toContain('11 items found by select');
    expect(withFormat.stdout).toContain('2026-03-12T14:30:00.000Z');
    // Without it, German dates with "Uhr" are read all the same...
    const { dateFormat: _f, ...without } = select;
    const raw = await runCli(
      ['preview', server.at('/div-soup-de.html'), '--select', JSON.stringify(without)],
      dir,
    );
    expect(raw.code).toBe(0);
    expect(raw.stdout).toContain('2026-03-12T14:30:00.000Z');
    expect(raw.stdout).not.toContain('unreadable date');
    // ...but a two-digit year printed with dots is the site's own way: preview says what to add.
    const page = readFixture('pages/div-soup-de.html').replace(
      /(\d{1,2})\. März (\d{2})(\d{2}), (\d{2}:\d{2}) Uhr/g,
      '$1.03.$3, $4',
    );
    server.route('/div-soup-de-short-years.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page);
    });
    const short = await runCli(
      ['preview', server.at('/div-soup-de-short-years.html'), '--select', JSON.stringify(without)],
      dir,
    );
    expect(short.code).toBe(0);
    expect(short.stdout).toContain('unreadable date "12.03.26, 14:30": add "dateFormat"');
  });

  it('never suggests a "More from" or "Recommended" box of cards for the listing', async () => {
    const dir = await tempDir();
    const story = await runCli(['preview', server.at('/article-more-from.html')], dir);
    expect(story.code).toBe(1);
    expect(story.stderr).toContain('looks like a single story');
    expect(story.stderr).not.toContain('div.card');
    const front = await runCli(['preview', server.at('/section-front-recommended.html')], dir);
    expect(front.code, front.stderr).toBe(0);
    expect(front.stdout).toContain('3 items found by repeated-blocks');
    expect(front.stdout).toContain('suggested selectors: {"item":"main > div.list > div.teaser"');
    expect(front.stdout).not.toContain('harbour-walks');
  });

  it('--json lists every item; JSON-LD needs no selectors', async () => {
    const { code, stdout } = await runCli(
      ['preview', server.at('/jsonld-itemlist.html'), '--json'],
      await tempDir(),
    );
    expect(code).toBe(0);
    const preview = JSON.parse(stdout) as { method: string; select?: unknown; items: { title: string }[] };
    expect(preview.method).toBe('json-ld');
    expect(preview.select).toBeUndefined();
    expect(preview.items).toHaveLength(12);
  });

  it('exits 1 when nothing is found or the page is missing, 2 for a bad argument', async () => {
    server.route('/empty.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body><nav><a href="/">Home</a></nav><p>Nothing to list.</p></body></html>');
    });
    const dir = await tempDir();
    const none = await runCli(['preview', server.at('/empty.html')], dir);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no list of items found');
    expect((await runCli(['preview', server.at('/missing.html')], dir)).code).toBe(1);
    const badJson = await runCli(['preview', server.at('/articles.html'), '--select', '{item:'], dir);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toContain('--select: not valid JSON');
    const badCss = await runCli(
      ['preview', server.at('/articles.html'), '--select', '{"item":"article[","title":"h2","link":"a"}'],
      dir,
    );
    expect(badCss.code).toBe(2);
    expect(badCss.stderr).toContain('select.item "article[" is not a valid CSS selector');
    expect((await runCli(['preview', 'ftp://x.example/'], dir)).code).toBe(2);
  });

  it('with nothing found, says what to do instead of "run preview" again', async () => {
    const html = (head: string, body: string) =>
      `<!doctype html><html><head><title>t</title>${head}</head><body>${body}</body></html>`;
    const pages: Record<string, string> = {
      '/about.html': html(
        '',
        '<nav><a href="/">Home</a></nav><h1>About us</h1><p>A small harbour paper.</p>',
      ),
      '/with-feed.html': html(
        '<link rel="alternate" type="application/rss+xml" title="News" href="/rss.xml">',
        '<h1>News</h1><p>Nothing listed here yet.</p>',
      ),
      '/story.html': html(
        '<meta property="og:type" content="article">',
        '<article><h1>Bridge reopens</h1><p>The bridge reopened.</p><p>Traffic flows.</p><p>More later.</p></article>',
      ),
    };
    for (const [path, body] of Object.entries(pages)) {
      server.route(path, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(body);
      });
    }
    const dir = await tempDir();
    const plain = await runCli(['preview', server.at('/about.html')], dir);
    expect(plain.code).toBe(1);
    expect(plain.stderr).not.toContain('try "feedloom preview');
    expect(plain.stderr).toContain(`feedloom preview ${server.at('/about.html')} --select '{"item":`);
    expect(plain.stderr).not.toContain('feedloom discover');

    const withFeed = await runCli(['preview', server.at('/with-feed.html')], dir);
    expect(withFeed.stderr).toContain('The page links a feed');
    expect(withFeed.stderr).toContain(server.at('/rss.xml'));
    expect(withFeed.stderr).toContain(`feedloom discover ${server.at('/with-feed.html')}`);

    const story = await runCli(['preview', server.at('/story.html')], dir);
    expect(story.stderr).toContain('looks like a single story');
    expect(story.stderr).toContain(JSON.stringify({ kind: 'article', url: server.at('/story.html') }));

    const noMatch = await runCli(
      ['preview', server.at('/about.html'), '--select', '{"item":".post","title":"h2","link":"a"}'],
      dir,
    );
    expect(noMatch.code).toBe(1);
    expect(noMatch.stderr).toContain('"item" ".post" matched nothing');
    expect(noMatch.stderr).not.toContain('check it with "feedloom preview');
  });
});
