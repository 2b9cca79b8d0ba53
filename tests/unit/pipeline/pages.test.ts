// Following a listing's next-page link, against a real loopback server: where it stops, and that a
// later page failing costs a warning, not the items already read.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, fetchSource, type HttpClient } from '../../../src/fetch/index.js';
import { ingestPages } from '../../../src/pipeline/pages.js';
import type { PageSelectors, Source } from '../../../src/types.js';
import { fixturePath, readFixture } from '../../helpers/fixtures.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const SELECT = JSON.parse(readFixture('pages/paginated/select.json')) as PageSelectors;
const NOW = new Date('2026-07-01T00:00:00Z');

let server: TestServer;
let client: HttpClient;
beforeEach(async () => {
  server = await startServer(fixturePath('pages'));
  client = createHttpClient({ backoffBaseMs: 1 });
});
afterEach(async () => {
  await client.close();
  await server.close();
});

function pageSource(
  path: string,
  extra: { maxPages?: number; maxItems?: number; select?: PageSelectors } = {},
): Source {
  return {
    id: 'quay',
    kind: 'page',
    location: { url: server.at(path) },
    tags: [],
    schedule: '*/30 * * * *',
    priority: 0,
    maxItems: extra.maxItems ?? 500,
    limits: { timeoutMs: 3000, maxBytes: 1e6, maxDecompressedBytes: 1e7, maxRedirects: 3, retries: 0 },
    select: extra.select ?? SELECT,
    ...(extra.maxPages !== undefined ? { maxPages: extra.maxPages } : {}),
  };
}

async function read(source: Source) {
  const fetch = { now: () => NOW, client };
  const fetched = await fetchSource(source, {}, fetch);
  if (fetched.status !== 'ok') throw new Error('not modified');
  return ingestPages(fetched, { now: () => NOW, fetch });
}

const TITLES = [
  'Pilot boat gets a new engine',
  'Swans nesting by the slipway again',
  'Tide gauge readings for May',
  'The crane on pier four is coming down',
  'Visiting tall ship moors for a week',
  'Lost buoy found two miles up the coast',
  'Harbourmaster retires after thirty years',
  'Dredging starts at the inner basin',
  'Fog horn test on Saturday morning',
  'New moorings for small boats',
  'Seal spotted in the fishing harbour',
  'Lighthouse open to visitors in July',
];
const titles = (n: number) => TITLES.slice(0, n);

describe('pagination', () => {
  it('follows next through three pages and stops where the last one links back to the first', async () => {
    const r = await read(pageSource('/paginated/page-1.html', { maxPages: 10 }));
    expect(r.items.map((i) => i.title)).toEqual(titles(12));
    expect(r.items[11]).toMatchObject({
      link: server.at('/posts/12.html'),
      baseUrl: server.at('/paginated/page-3.html'),
      published: '2026-06-16',
    });
    expect(server.requests.map((q) => q.path)).toEqual([
      '/paginated/page-1.html',
      '/paginated/page-2.html',
      '/paginated/page-3.html',
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('reads one page by default and maxPages pages when set', async () => {
    expect((await read(pageSource('/paginated/page-1.html'))).items).toHaveLength(4);
    server.requests.length = 0;
    expect((await read(pageSource('/paginated/page-1.html', { maxPages: 2 }))).items).toHaveLength(8);
    expect(server.requests).toHaveLength(2);
  });

  it('stops at maxItems without fetching further pages', async () => {
    const r = await read(pageSource('/paginated/page-1.html', { maxPages: 3, maxItems: 6 }));
    expect(r.items.map((i) => i.title)).toEqual(titles(6));
    expect(server.requests).toHaveLength(2);
    expect(r.warnings.map((w) => w.code)).toEqual(['MAX_ITEMS']);
  });

  it('keeps the items read so far when a later page fails, with a warning', async () => {
    server.route('/broken/page-1.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(readFixture('pages/paginated/page-1.html').replace('page-2.html', '/gone.html'));
    });
    server.route('/gone.html', (_req, res) => {
      res.writeHead(500);
      res.end('down');
    });
    const r = await read(pageSource('/broken/page-1.html', { maxPages: 3 }));
    expect(r.items).toHaveLength(4);
    expect(r.warnings.map((w) => w.code)).toEqual(['PAGE_FETCH_FAILED']);
    expect(r.warnings[0]?.message).toContain(server.at('/gone.html'));
  });

  it('does not follow a next link to another host', async () => {
    server.route('/away/page-1.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(
        readFixture('pages/paginated/page-1.html').replace('page-2.html', 'http://localhost:9/page-2.html'),
      );
    });
    const r = await read(pageSource('/away/page-1.html', { maxPages: 3 }));
    expect(r.items).toHaveLength(4);
    expect(r.warnings.map((w) => w.code)).toEqual(['PAGE_NEXT_OFF_SITE']);
    expect(server.requests).toHaveLength(1);
  });

  it('follows rel="next" on a page source without selectors', async () => {
    const page = (n: number, next?: string) =>
      `<html><head>${next ? `<link rel="next" href="${next}">` : ''}</head><body><main>${[1, 2, 3]
        .map((i) => `<article><h2><a href="/p/${n}-${i}">Post ${n}.${i} of the blog</a></h2></article>`)
        .join('')}</main></body></html>`;
    for (const [path, html] of [
      ['/auto/1', page(1, '/auto/2')],
      ['/auto/2', page(2)],
    ] as const) {
      server.route(path, (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(html);
      });
    }
    const { select: _s, ...source } = pageSource('/auto/1', { maxPages: 5 }) as Extract<
      Source,
      { kind: 'page' }
    >;
    const r = await read(source);
    expect(r.items.map((i) => i.link)).toEqual(
      ['1-1', '1-2', '1-3', '2-1', '2-2', '2-3'].map((p) => server.at(`/p/${p}`)),
    );
  });
});
