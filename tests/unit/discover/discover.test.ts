import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  advertisedFeeds,
  bestFeed,
  COMMON_FEED_PATHS,
  commonPathUrls,
  type DiscoveredFeed,
  type Discovery,
  discoverFeeds,
} from '../../../src/pipeline/discover.js';
import { fixturePath } from '../../helpers/fixtures.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(folder: string): Promise<TestServer> {
  const server = await startServer(fixturePath(join('discover', folder)));
  servers.push(server);
  return server;
}

const summary = (d: Discovery) => d.feeds.map((f) => [f.origin, f.format, f.items, f.title, f.url]);

describe('discoverFeeds', () => {
  it('lists advertised RSS and Atom feeds in page order, each once, and skips what is not a feed', async () => {
    const server = await serve('advertised');
    // Common-path probes that land on the advertised feed: by redirect, and by serving the same bytes.
    server.route('/rss', (_req, res) => {
      res.writeHead(301, { location: '/feed.xml' });
      res.end();
    });
    const same = await readFile(fixturePath('discover/advertised/feed.xml'));
    server.route('/index.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(same);
    });

    const found = await discoverFeeds(server.at('/index.html'));

    expect(found.self).toBe(false);
    expect(summary(found)).toEqual([
      ['advertised', 'rss2', 3, 'Harbor Notes', server.at('/feed.xml')],
      ['advertised', 'atom10', 2, 'Harbor Notes Atom', server.at('/atom.xml')],
    ]);
    expect(found.feeds[0]?.linkTitle).toBe('Harbor Notes (RSS)');
    const rejected = Object.fromEntries(found.rejected.map((r) => [new URL(r.url).pathname, r.reason]));
    expect(rejected['/comments/feed.xml']).toMatch(/404/);
    expect(rejected['/rss']).toMatch(/same feed as .*\/feed\.xml/);
    expect(rejected['/index.xml']).toMatch(/same feed/);
    // The WordPress REST API link is application/json without a feed-like title or href.
    expect(server.requests.map((r) => r.path)).not.toContain('/wp-json/wp/v2/pages/7');
    expect(bestFeed(found)?.url).toBe(server.at('/feed.xml'));
    expect(found.page).toBeUndefined();
  });

  it('finds a feed at a common path when the page advertises none', async () => {
    const server = await serve('common-path');
    const found = await discoverFeeds(server.at('/index.html'));
    expect(summary(found)).toEqual([['common-path', 'rss2', 4, 'Quiet Site', server.at('/feed.xml')]]);
    // Every probe is a GET of one of the listed paths under the root.
    const probed = server.requests.map((r) => r.path).filter((p) => p !== '/index.html');
    expect(probed.sort()).toEqual(COMMON_FEED_PATHS.map((p) => `/${p}`).sort());
    expect(server.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  it("probes the page's folder before the site root", async () => {
    const server = await serve('common-path');
    const found = await discoverFeeds(server.at('/blog/index.html'));
    expect(summary(found)).toEqual([
      ['common-path', 'atom10', 2, 'Quiet Blog', server.at('/blog/index.xml')],
      ['common-path', 'rss2', 4, 'Quiet Site', server.at('/feed.xml')],
    ]);
    expect(bestFeed(found)?.url).toBe(server.at('/blog/index.xml'));
  });

  it('finds nothing on a page without feeds, even when the server answers every path with HTML', async () => {
    const server = await serve('nothing');
    const html = await readFile(fixturePath('discover/nothing/index.html'));
    for (const p of ['/feed', '/rss.xml']) {
      server.route(p, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(html);
      });
    }
    const found = await discoverFeeds(server.at('/index.html'));
    expect(found.feeds).toEqual([]);
    expect(found.page).toBeUndefined();
    expect(bestFeed(found)).toBeUndefined();
    const feedProbe = found.rejected.find((r) => r.url === server.at('/feed'));
    expect(feedProbe?.reason).toMatch(/HTML page, not a feed/);
  });

  it('suggests page selectors for a page of <article> blocks', async () => {
    const server = await serve('articles');
    const found = await discoverFeeds(server.at('/index.html'));
    expect(found.feeds).toEqual([]);
    expect(found.page).toEqual({
      method: 'article',
      select: {
        item: 'article',
        title: 'h1, h2, h3, h4',
        link: 'h1 a, h2 a, h3 a, h4 a@href',
        date: 'time@datetime',
      },
      items: 3,
      title: 'Allotment Diary',
    });
  });

  it('resolves relative hrefs against <base href> and reads rel="feed alternate" without a type', async () => {
    const server = await serve('base');
    const found = await discoverFeeds(server.at('/site/pages/index.html'));
    expect(summary(found)).toEqual([
      ['advertised', 'atom10', 3, 'Based Main', server.at('/feeds/main.xml')],
      ['advertised', 'jsonfeed11', 2, 'Based Extra', server.at('/feeds/extra.json')],
    ]);
  });

  it('says so when the URL is itself a feed, and probes nothing else', async () => {
    const server = await serve('advertised');
    const found = await discoverFeeds(server.at('/feed.xml'));
    expect(found.self).toBe(true);
    expect(summary(found)).toEqual([['self', 'rss2', 3, 'Harbor Notes', server.at('/feed.xml')]]);
    expect(server.requests).toHaveLength(1);
  });

  it('throws when the page itself cannot be fetched', async () => {
    const server = await serve('nothing');
    await expect(discoverFeeds(server.at('/missing.html'))).rejects.toMatchObject({ code: 'FETCH_STATUS' });
  });
});

describe('advertisedFeeds', () => {
  const page = 'https://x.example/blog/post.html';
  it.each([
    [
      'RSS link, absolute path',
      '<link rel="alternate" type="application/rss+xml" href="/rss">',
      ['https://x.example/rss'],
    ],
    [
      'Atom with a charset parameter, relative href',
      '<link rel="alternate" type="application/atom+xml; charset=utf-8" href="atom">',
      ['https://x.example/blog/atom'],
    ],
    [
      'upper-case rel and type',
      '<LINK REL="Alternate" TYPE="Application/RSS+XML" HREF="feed">',
      ['https://x.example/blog/feed'],
    ],
    [
      'JSON Feed type',
      '<link rel="alternate" type="application/feed+json" href="feed.json">',
      ['https://x.example/blog/feed.json'],
    ],
    [
      'application/json titled as a feed',
      '<link rel="alternate" type="application/json" title="JSON Feed" href="/j">',
      ['https://x.example/j'],
    ],
    [
      'application/json of an API',
      '<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/1">',
      [],
    ],
    ['a translation', '<link rel="alternate" hreflang="de" type="text/html" href="/de/">', []],
    ['rel="feed" on an anchor', '<a rel="feed" href="/all.xml">All posts</a>', ['https://x.example/all.xml']],
    ['rel="alternate" on an anchor', '<a rel="alternate" type="application/rss+xml" href="/x.xml">x</a>', []],
    ['empty href', '<link rel="alternate" type="application/rss+xml" href="">', []],
    [
      'fragment dropped',
      '<link rel="alternate" type="application/rss+xml" href="/rss#top">',
      ['https://x.example/rss'],
    ],
    [
      'base href',
      '<base href="https://cdn.example/f/"><link rel="alternate" type="application/rss+xml" href="r.xml">',
      ['https://cdn.example/f/r.xml'],
    ],
  ])('%s', (_name, html, expected) => {
    expect(advertisedFeeds(`<html><head>${html}</head></html>`, page).map((f) => f.url)).toEqual(expected);
  });
});

describe('commonPathUrls', () => {
  it.each([
    ['the root', 'https://x.example/', ['/']],
    ['a file at the root', 'https://x.example/index.html', ['/']],
    ['a folder with a slash', 'https://x.example/blog/', ['/blog/', '/']],
    ['a folder without a slash', 'https://x.example/blog', ['/blog/', '/']],
    ['a file in a folder', 'https://x.example/blog/post.html', ['/blog/', '/']],
  ])('%s', (_name, url, bases) => {
    const expected = bases.flatMap((b) => COMMON_FEED_PATHS.map((p) => `https://x.example${b}${p}`));
    expect(commonPathUrls(url)).toEqual(expected);
  });

  it('probes nothing for a local file', () => {
    expect(commonPathUrls('file:///tmp/page.html')).toEqual([]);
  });
});

describe('bestFeed', () => {
  const feed = (url: string, origin: DiscoveredFeed['origin'], items: number): DiscoveredFeed => ({
    url,
    requested: url,
    origin,
    format: 'rss2',
    items,
  });
  const of = (feeds: DiscoveredFeed[]): Discovery => ({
    url: 'u',
    pageUrl: 'u',
    self: false,
    feeds,
    rejected: [],
  });

  it.each([
    [
      'the first advertised, whatever the item counts',
      [feed('a', 'advertised', 2), feed('b', 'advertised', 50)],
      'a',
    ],
    ['advertised before common paths', [feed('p', 'common-path', 20), feed('a', 'advertised', 3)], 'a'],
    ['a feed with items before an empty one', [feed('a', 'advertised', 0), feed('p', 'common-path', 1)], 'p'],
    ['an empty feed when it is all there is', [feed('a', 'advertised', 0)], 'a'],
  ])('%s', (_name, feeds, expected) => {
    expect(bestFeed(of(feeds))?.url).toBe(expected);
  });
});
