import { statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync, constants as zlib } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FeedloomError } from '../../../src/errors.js';
import {
  createHttpClient,
  type FetchContext,
  fetchSource,
  fetchUrl,
  type HttpClient,
} from '../../../src/fetch/index.js';
import type { Fetched, FetchLimits } from '../../../src/types.js';
import { fixturePath, readFixture } from '../../helpers/fixtures.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { NOW, sourceAt, TEST_SETTINGS } from './support.js';

const FEED = readFixture('fetch/feed.xml');

let server: TestServer;
let client: HttpClient;
let ctx: FetchContext;

beforeAll(async () => {
  server = await startServer(fixturePath('fetch'));
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await client?.close();
});

function useClient(settings: Partial<typeof TEST_SETTINGS> = {}): FetchContext {
  client = createHttpClient({ ...TEST_SETTINGS, ...settings });
  ctx = { now: () => NOW, client };
  return ctx;
}

/** Fetches a path of the test server as a feed source. */
async function get(path: string, limits: Partial<FetchLimits> = {}, previous = {}): Promise<Fetched> {
  return fetchSource(sourceAt({ url: server.at(path) }, limits), previous, ctx ?? useClient());
}

/** The error a promise rejects with, which must be a FeedloomError. */
async function failure(p: Promise<unknown>): Promise<FeedloomError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FeedloomError);
  return e as FeedloomError;
}

function requestsTo(path: string): number {
  return server.requests.filter((r) => r.path.split('?')[0] === path).length;
}

function text(f: Fetched): string {
  if (f.status !== 'ok') throw new Error(`expected ok, got ${f.status}`);
  return f.documents[0]?.text ?? '';
}

describe('fetchSource over HTTP: basics', () => {
  it('fetches a feed: final URL, content type, decoded text, validators, bytes, one document', async () => {
    useClient();
    const got = await get('/feed.xml');
    expect(got.status).toBe('ok');
    if (got.status !== 'ok') return;
    expect(got.url).toBe(server.at('/feed.xml'));
    expect(got.fetchedAt).toEqual(NOW);
    expect(got.documents).toHaveLength(1);
    expect(got.documents[0]).toMatchObject({
      url: server.at('/feed.xml'),
      contentType: 'application/xml',
      charset: 'utf-8',
      text: FEED,
    });
    // The test server sends the fixture's mtime as Last-Modified (HTTP dates have whole seconds).
    const mtime = statSync(fixturePath('fetch/feed.xml')).mtime;
    expect(got.documents[0]?.modifiedAt).toEqual(new Date(Math.floor(mtime.getTime() / 1000) * 1000));
    expect(got.validators.etag).toMatch(/^".+"$/);
    expect(got.validators.lastModified).toBe(mtime.toUTCString());
    expect(got.bytes).toBe(Buffer.byteLength(FEED));
  });

  it('sends a User-Agent naming feedloom, an Accept preferring feeds, and Accept-Encoding', async () => {
    useClient();
    await get('/feed.xml');
    const seen = server.requests.at(-1);
    expect(seen?.headers['user-agent']).toContain('feedloom/');
    expect(seen?.headers.accept).toMatch(
      /^application\/rss\+xml, application\/atom\+xml, application\/feed\+json/,
    );
    expect(seen?.headers.accept).toContain('text/html;q=0.8');
    expect(seen?.headers.accept).toContain('*/*;q=0.5');
    expect(seen?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('uses settings.userAgent when given', async () => {
    useClient({ userAgent: 'my-reader/2.0 (+mailto:ops@example.org)' });
    await get('/feed.xml');
    expect(server.requests.at(-1)?.headers['user-agent']).toBe('my-reader/2.0 (+mailto:ops@example.org)');
  });

  it('fetchUrl fetches one document with an HTML-first Accept', async () => {
    useClient();
    const got = await fetchUrl(server.at('/feed.xml'), {}, {}, ctx);
    expect(got.status).toBe('ok');
    if (got.status !== 'ok') return;
    expect(got.document.text).toBe(FEED);
    expect(server.requests.at(-1)?.headers.accept).toMatch(/^text\/html/);
  });

  it('refuses a URL scheme it cannot fetch', async () => {
    useClient();
    const e = await failure(fetchSource(sourceAt({ url: 'ftp://example.org/feed.xml' }), {}, ctx));
    expect(e.code).toBe('FETCH_UNSUPPORTED');
    expect(e.message).toContain('ftp://example.org/feed.xml');
  });
});

describe('conditional GET', () => {
  it('sends the stored validators and turns 304 into not-modified with the same validators', async () => {
    useClient();
    const first = await get('/feed.xml');
    if (first.status !== 'ok') throw new Error('first fetch failed');
    const second = await get('/feed.xml', {}, first.validators);
    expect(second).toMatchObject({ status: 'not-modified', url: server.at('/feed.xml'), fetchedAt: NOW });
    expect(second.validators).toEqual(first.validators);
    const seen = server.requests.at(-1);
    expect(seen?.headers['if-none-match']).toBe(first.validators.etag);
    expect(seen?.headers['if-modified-since']).toBe(first.validators.lastModified);
    expect(seen?.status).toBe(304);
  });

  it('merges new validators a 304 carries into the previous ones', async () => {
    useClient();
    server.route('/etag-rotates', (_req, res) => {
      res.writeHead(304, { etag: '"v2"' });
      res.end();
    });
    const got = await get(
      '/etag-rotates',
      {},
      { etag: '"v1"', lastModified: 'Sun, 04 Jan 2026 08:00:00 GMT' },
    );
    expect(got.status).toBe('not-modified');
    expect(got.validators).toEqual({ etag: '"v2"', lastModified: 'Sun, 04 Jan 2026 08:00:00 GMT' });
  });

  it('a 200 replaces the validators with the response ones (none when it sends none)', async () => {
    useClient();
    server.route('/no-validators', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(FEED);
    });
    const got = await get('/no-validators', {}, { etag: '"old"' });
    expect(got.status).toBe('ok');
    expect(got.validators).toEqual({});
  });

  it('sends no conditional headers the first time', async () => {
    useClient();
    await get('/feed.xml');
    const seen = server.requests.at(-1);
    expect(seen?.headers['if-none-match']).toBeUndefined();
    expect(seen?.headers['if-modified-since']).toBeUndefined();
  });
});

describe('redirects', () => {
  beforeAll(() => {
    // /hop/N redirects to /hop/N-1; /hop/0 serves the feed.
    for (let n = 0; n <= 8; n++) {
      server.route(`/hop/${n}`, (_req, res) => {
        if (n === 0) {
          res.writeHead(200, { 'content-type': 'application/rss+xml' });
          res.end(FEED);
        } else {
          res.writeHead(n % 2 ? 302 : 301, { location: server.at(`/hop/${n - 1}`) });
          res.end('moved');
        }
      });
    }
    server.route('/dir/start', (_req, res) => {
      res.writeHead(301, { location: 'next' });
      res.end();
    });
    server.route('/dir/next', (_req, res) => {
      res.writeHead(307, { location: '../feed.xml?from=next' });
      res.end();
    });
    server.route('/to-ftp', (_req, res) => {
      res.writeHead(302, { location: 'ftp://example.org/feed.xml' });
      res.end();
    });
    // A redirect from `from` to `to` with `status`.
    const hop = (from: string, status: number, to: string): void =>
      server.route(from, (_req, res) => {
        res.writeHead(status, { location: to });
        res.end();
      });
    hop('/moved/301', 301, '/feed.xml');
    hop('/moved/308', 308, server.at('/feed.xml'));
    // Moved for good to /moved/new, which itself bounces to today's location.
    hop('/moved/then-temporary', 301, '/moved/new');
    hop('/moved/new', 302, '/feed.xml');
    // A temporary hop first: the URL in sources.json is the one the site wants kept.
    hop('/moved/temporary-first', 302, '/moved/301');
    hop('/loop/a', 302, '/loop/b');
    hop('/loop/b', 301, 'a');
    hop('/loop/self', 302, '/loop/self');
  });

  it('follows a chain of 3 and reports the final URL', async () => {
    useClient();
    const got = await get('/hop/3');
    expect(got.url).toBe(server.at('/hop/0'));
    expect(text(got)).toBe(FEED);
    if (got.status === 'ok') expect(got.documents[0]?.url).toBe(server.at('/hop/0'));
  });

  it('follows exactly maxRedirects (5)', async () => {
    useClient();
    expect((await get('/hop/5')).url).toBe(server.at('/hop/0'));
  });

  it('fails a chain of 6 with FETCH_REDIRECTS', async () => {
    useClient();
    const before = requestsTo('/hop/0');
    const e = await failure(get('/hop/6'));
    expect(e.code).toBe('FETCH_REDIRECTS');
    expect(e.message).toContain(`fetch: GET ${server.at('/hop/6')}: more than 5 redirects`);
    expect(requestsTo('/hop/0')).toBe(before);
    expect(requestsTo('/hop/1')).toBeGreaterThan(0);
  });

  it('honours a lower limits.maxRedirects', async () => {
    useClient();
    expect((await failure(get('/hop/2', { maxRedirects: 1 }))).code).toBe('FETCH_REDIRECTS');
  });

  it('resolves relative Location headers against the current URL', async () => {
    useClient();
    const got = await get('/dir/start');
    expect(got.url).toBe(server.at('/feed.xml?from=next'));
    expect(text(got)).toBe(FEED);
  });

  it.each([
    ['/moved/301', '/feed.xml'],
    ['/moved/308', '/feed.xml'],
    ['/moved/then-temporary', '/moved/new'],
  ])('%s: a permanent redirect reports where the source moved to (%s)', async (path, to) => {
    useClient();
    const got = await get(path);
    expect(text(got)).toBe(FEED);
    expect(got.movedTo).toBe(server.at(to));
  });

  it('reports no move when the first hop is temporary, or there is no redirect', async () => {
    useClient();
    const viaTemporary = await get('/moved/temporary-first');
    expect(text(viaTemporary)).toBe(FEED);
    expect(viaTemporary.movedTo).toBeUndefined();
    expect((await get('/hop/3')).movedTo).toBeUndefined();
    expect((await get('/feed.xml')).movedTo).toBeUndefined();
  });

  it('reports the move on a 304 too: the conditional request went through the redirect', async () => {
    useClient();
    const first = await get('/moved/301');
    const again = await get('/moved/301', {}, first.validators);
    expect(again.status).toBe('not-modified');
    expect(again.movedTo).toBe(server.at('/feed.xml'));
  });

  it('names a redirect loop as a loop, with its hops, instead of asking for a higher limit', async () => {
    useClient();
    const e = await failure(get('/loop/a', { maxRedirects: 20 }));
    expect(e.code).toBe('FETCH_REDIRECTS');
    expect(e.message).toBe(
      `fetch: GET ${server.at('/loop/a')}: redirect loop: ${server.at('/loop/a')} -> ${server.at('/loop/b')} -> ${server.at('/loop/a')}; ` +
        'the server sends the request back where it started, so no redirect limit helps: check the URL in a browser',
    );
    expect(requestsTo('/loop/a')).toBe(1);
    const self = await failure(get('/loop/self'));
    expect(self.message).toContain('redirect loop');
  });

  it('reads a Location sent as raw UTF-8 bytes as browsers do, not as Latin-1', async () => {
    useClient();
    server.route('/unicode-move', (_req, res) => {
      // Node writes a header string as Latin-1: these are the UTF-8 bytes of "/feeds/café.xml".
      res.writeHead(302, { location: Buffer.from('/feeds/café.xml').toString('latin1') });
      res.end();
    });
    server.route('/feeds/caf%C3%A9.xml', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(FEED);
    });
    const got = await get('/unicode-move');
    expect(got.url).toBe(server.at('/feeds/caf%C3%A9.xml'));
    expect(text(got)).toBe(FEED);
  });

  it('refuses a redirect to a non-HTTP URL', async () => {
    useClient();
    const e = await failure(get('/to-ftp'));
    expect(e.code).toBe('FETCH_REDIRECTS');
    expect(e.message).toContain('ftp://example.org/feed.xml');
  });
});

describe('decompression', () => {
  const body = Buffer.from(FEED, 'utf8');
  it.each([
    ['gzip', gzipSync(body)],
    ['x-gzip', gzipSync(body)],
    ['deflate', deflateSync(body)],
    ['deflate (raw, as old IIS sent it)', deflateRawSync(body)],
    ['br', brotliCompressSync(body)],
    ['gzip, br (applied in that order)', brotliCompressSync(gzipSync(body))],
  ])('%s', async (name, compressed) => {
    useClient();
    const path = `/enc/${name.replace(/\W+/g, '-')}`;
    server.route(path, (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/rss+xml',
        'content-encoding': name.split(' (')[0] ?? '',
      });
      res.end(compressed);
    });
    const got = await get(path);
    expect(text(got)).toBe(FEED);
    if (got.status === 'ok') expect(got.bytes).toBe(compressed.length);
  });

  it.each([
    ['a gzip file served as it is (application/gzip, no Content-Encoding)', 'application/gzip', undefined, 1],
    ['a body gzipped twice under one Content-Encoding: gzip', 'application/rss+xml', 'gzip', 2],
  ])('%s is decompressed by its magic number', async (_name, type, coding, times) => {
    useClient();
    let compressed = body;
    for (let i = 0; i < times; i++) compressed = gzipSync(compressed);
    const path = `/gz-sniff-${times}`;
    server.route(path, (_req, res) => {
      res.writeHead(200, { 'content-type': type, ...(coding ? { 'content-encoding': coding } : {}) });
      res.end(compressed);
    });
    expect(text(await get(path))).toBe(FEED);
  });

  it('a gzip file served as it is still counts against maxDecompressedBytes', async () => {
    useClient();
    server.route('/gz-bomb', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip' });
      res.end(gzipSync(Buffer.alloc(100_000, 0x20)));
    });
    const e = await failure(get('/gz-bomb', { maxDecompressedBytes: 1000 }));
    expect(e.code).toBe('FETCH_TOO_LARGE');
    expect(e.message).toContain('raise "maxDecompressedBytes" on this source');
  });

  it('a gzip body cut short gives the text it holds, as browsers do', async () => {
    useClient();
    const whole = gzipSync(Buffer.from(FEED.repeat(20), 'utf8'));
    server.route('/cut-gzip', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
      res.end(whole.subarray(0, Math.floor(whole.length / 2)));
    });
    const got = text(await get('/cut-gzip'));
    expect(got.length).toBeGreaterThan(0);
    expect(FEED.repeat(20).startsWith(got)).toBe(true);
  });

  it.each(['gzip', 'deflate', 'br', 'gzip, br'])(
    'Content-Encoding: %s on a body sent as it is: the document is read all the same',
    async (coding) => {
      useClient();
      const path = `/lying/${coding.replace(/\W+/g, '-')}`;
      server.route(path, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': coding });
        res.end(`\n  ${FEED}`);
      });
      expect(text(await get(path))).toBe(`\n  ${FEED}`);
    },
  );

  it('a corrupt gzip body fails clearly and is not retried', async () => {
    useClient();
    server.route('/corrupt-gzip', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(Buffer.from('this is not gzip at all, just text pretending'));
    });
    const e = await failure(get('/corrupt-gzip'));
    expect(e.code).toBe('FETCH_NETWORK');
    expect(e.message).toContain(
      `fetch: GET ${server.at('/corrupt-gzip')}: the gzip body could not be decompressed`,
    );
    expect(requestsTo('/corrupt-gzip')).toBe(1);
  });

  it('an unknown Content-Encoding is refused', async () => {
    useClient();
    server.route('/zstd', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'zstd' });
      res.end('xx');
    });
    const e = await failure(get('/zstd'));
    expect(e.code).toBe('FETCH_UNSUPPORTED');
    expect(e.message).toContain("'zstd'");
  });
});

describe('size limits', () => {
  /** Streams `total` bytes with backpressure; resolves with how much was written when the socket closed. */
  function streamBytes(
    res: ServerResponse,
    total: number,
    headers: Record<string, string> = {},
  ): Promise<number> {
    return new Promise((resolve) => {
      let sent = 0;
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      res.writeHead(200, { 'content-type': 'application/xml', ...headers });
      res.on('close', () => resolve(sent));
      const pump = (): void => {
        while (sent < total && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
  }

  it('a huge plain body is cut off at limits.maxBytes: the request is aborted, not read to the end', async () => {
    useClient();
    const total = 200 * 1024 * 1024;
    let written: Promise<number> = Promise.resolve(0);
    server.route('/huge', (_req, res) => {
      written = streamBytes(res, total);
    });
    const e = await failure(get('/huge', { maxBytes: 1024 * 1024 }));
    expect(e.code).toBe('FETCH_TOO_LARGE');
    expect(e.message).toContain(server.at('/huge'));
    expect(e.message).toContain('raise "maxBytes" on this source');
    expect(e.message).toContain('1048576 bytes');
    expect(await written).toBeLessThan(total);
    expect(requestsTo('/huge')).toBe(1);
  });

  it('a Content-Length over the limit fails before the body is read', async () => {
    useClient();
    server.route('/declared-huge', (_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write('x');
      // never finishes: the client must not wait for it
    });
    const e = await failure(get('/declared-huge', { maxBytes: 1024 * 1024 }));
    expect(e.code).toBe('FETCH_TOO_LARGE');
  });

  it.each([
    ['gzip', (b: Buffer) => gzipSync(b)],
    ['br', (b: Buffer) => brotliCompressSync(b, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } })],
    ['deflate', (b: Buffer) => deflateSync(b)],
  ])(
    'a %s bomb (small on the wire, huge inflated) stops at limits.maxDecompressedBytes',
    async (encoding, compress) => {
      useClient();
      const bomb = compress(Buffer.alloc(32 * 1024 * 1024));
      expect(bomb.length).toBeLessThan(1024 * 1024);
      const path = `/bomb-${encoding}`;
      server.route(path, (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/xml', 'content-encoding': encoding });
        res.end(bomb);
      });
      const e = await failure(get(path, { maxBytes: 1024 * 1024, maxDecompressedBytes: 2 * 1024 * 1024 }));
      expect(e.code).toBe('FETCH_TOO_LARGE');
      expect(e.message).toContain(server.at(path));
      expect(e.message).toContain('raise "maxDecompressedBytes" on this source');
      expect(e.message).toContain('2 MB');
    },
  );

  it('a body exactly at the limit is fine', async () => {
    useClient();
    server.route('/exact', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(Buffer.alloc(1000, 0x62));
    });
    expect(text(await get('/exact', { maxBytes: 1000, maxDecompressedBytes: 1000 }))).toHaveLength(1000);
  });
});

describe('timeouts', () => {
  it('slow headers: FETCH_TIMEOUT within limits.timeoutMs, not retried', async () => {
    useClient();
    server.route('/slow-headers', (_req, res) => {
      const t = setTimeout(() => {
        res.writeHead(200);
        res.end('late');
      }, 10_000);
      res.on('close', () => clearTimeout(t));
    });
    const e = await failure(get('/slow-headers', { timeoutMs: 200 }));
    expect(e.code).toBe('FETCH_TIMEOUT');
    expect(e.message).toBe(
      `fetch: GET ${server.at('/slow-headers')}: no complete response within 200 ms (timeoutMs, set per source or in defaults)`,
    );
    expect(requestsTo('/slow-headers')).toBe(1);
  });

  it('a body that trickles forever hits the whole-request budget, though no single gap is long', async () => {
    useClient();
    server.route('/slow-body', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const t = setInterval(() => res.write('.'), 20);
      res.on('close', () => clearInterval(t));
    });
    const e = await failure(get('/slow-body', { timeoutMs: 300 }));
    expect(e.code).toBe('FETCH_TIMEOUT');
    expect(e.message).toContain(server.at('/slow-body'));
  });
});

describe('retries', () => {
  it('500 then 200: retried and succeeds', async () => {
    useClient();
    let n = 0;
    server.route('/flaky', (_req, res) => {
      n++;
      res.writeHead(n === 1 ? 500 : 200, { 'content-type': 'application/rss+xml' });
      res.end(n === 1 ? 'oops' : FEED);
    });
    expect(text(await get('/flaky'))).toBe(FEED);
    expect(requestsTo('/flaky')).toBe(2);
  });

  it('500 forever: fails after 1 + retries attempts with FETCH_STATUS', async () => {
    useClient();
    server.route('/down', (_req, res) => {
      res.writeHead(500);
      res.end();
    });
    const e = await failure(get('/down'));
    expect(e.code).toBe('FETCH_STATUS');
    expect(e.message).toBe(
      `fetch: GET ${server.at('/down')}: 500 Internal Server Error (gave up after 3 attempts)`,
    );
    expect(requestsTo('/down')).toBe(3);
  });

  it('limits.retries 0 means one attempt', async () => {
    useClient();
    server.route('/down-once', (_req, res) => {
      res.writeHead(502);
      res.end();
    });
    expect((await failure(get('/down-once', { retries: 0 }))).code).toBe('FETCH_STATUS');
    expect(requestsTo('/down-once')).toBe(1);
  });

  it('404 is not retried and says so plainly', async () => {
    useClient();
    const e = await failure(get('/missing.xml'));
    expect(e.code).toBe('FETCH_STATUS');
    expect(e.message).toBe(`fetch: GET ${server.at('/missing.xml')}: 404 Not Found`);
    expect(requestsTo('/missing.xml')).toBe(1);
  });

  it('410 Gone is not retried, says the feed was removed, and asks to come back in a day', async () => {
    useClient();
    server.route('/removed.xml', (_req, res) => {
      res.writeHead(410, { 'content-type': 'text/html' });
      res.end('<h1>Gone</h1>');
    });
    const e = await failure(get('/removed.xml'));
    expect(e.code).toBe('FETCH_STATUS');
    expect(e.httpStatus).toBe(410);
    expect(e.message).toBe(
      `fetch: GET ${server.at('/removed.xml')}: 410 Gone: the server says it was removed for good; ` +
        'it is asked again once a day only: remove it from sources.json or point it at a new URL',
    );
    expect(e.retryAt).toEqual(new Date(NOW.getTime() + 24 * 3600_000));
    expect(requestsTo('/removed.xml')).toBe(1);
  });

  it('429 with Retry-After: 1 waits and succeeds', async () => {
    useClient();
    let n = 0;
    server.route('/limited', (_req, res) => {
      n++;
      if (n === 1) res.writeHead(429, { 'retry-after': '1' });
      else res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(n === 1 ? '' : FEED);
    });
    expect(text(await get('/limited'))).toBe(FEED);
    expect(requestsTo('/limited')).toBe(2);
  });

  it('503 with Retry-After as an HTTP date (read against ctx.now) waits and succeeds', async () => {
    useClient();
    let n = 0;
    server.route('/maintenance', (_req, res) => {
      n++;
      if (n === 1) res.writeHead(503, { 'retry-after': new Date(NOW.getTime() + 1000).toUTCString() });
      else res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(n === 1 ? '' : FEED);
    });
    expect(text(await get('/maintenance'))).toBe(FEED);
    expect(requestsTo('/maintenance')).toBe(2);
  });

  it('Retry-After: 3600 (over the cap) fails at once and says when to come back', async () => {
    useClient();
    server.route('/later', (_req, res) => {
      res.writeHead(429, { 'retry-after': '3600' });
      res.end();
    });
    const e = await failure(get('/later'));
    expect(e.code).toBe('FETCH_STATUS');
    expect(e.message).toContain(`fetch: GET ${server.at('/later')}: 429 Too Many Requests`);
    expect(e.message).toContain('retried after 2026-01-05T11:00:00.000Z (in 3600 s)');
    expect(requestsTo('/later')).toBe(1);
  });

  it('a Retry-After holds the whole host: the other sources wait instead of collecting their own 429', async () => {
    useClient({ perHost: 1 });
    let openAt = 0;
    let refused = 0;
    server.route('/crowded', (_req, res) => {
      if (openAt === 0 || Date.now() < openAt) {
        refused++;
        openAt = Date.now() + 1000;
        res.writeHead(429, { 'retry-after': '1' });
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(FEED);
    });
    const all = await Promise.all(Array.from({ length: 6 }, (_, i) => get(`/crowded?feed=${i}`)));
    expect(all.map(text)).toEqual(Array(6).fill(FEED));
    expect(refused).toBe(1);
    expect(requestsTo('/crowded')).toBe(7);
  });

  it("a Retry-After past the cap stays the URL's own: the host's other feeds are still fetched", async () => {
    useClient();
    server.route('/quota', (_req, res) => {
      res.writeHead(429, { 'retry-after': '3600' });
      res.end();
    });
    const e = await failure(get('/quota'));
    expect(e.retryAt).toEqual(new Date(NOW.getTime() + 3600_000));
    expect(text(await get('/feed.xml'))).toBe(FEED);
  });

  it('a connection reset is retried', async () => {
    useClient();
    let n = 0;
    server.route('/reset-once', (req, res) => {
      n++;
      if (n === 1) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(FEED);
    });
    expect(text(await get('/reset-once'))).toBe(FEED);
    expect(requestsTo('/reset-once')).toBe(2);
  });

  it('a refused connection is FETCH_NETWORK naming method and URL, with the cause kept', async () => {
    useClient();
    const gone = await startServer();
    const url = gone.at('/feed.xml');
    await gone.close();
    const e = await failure(fetchSource(sourceAt({ url }), {}, ctx));
    expect(e.code).toBe('FETCH_NETWORK');
    expect(e.message).toContain(`fetch: GET ${url}: network error`);
    expect(e.message).toContain('gave up after 3 attempts');
    expect(e.cause).toBeDefined();
  });

  it('https:// to a server that speaks plain HTTP: one line naming TLS, not retried', async () => {
    useClient();
    const url = server.at('/feed.xml').replace(/^http:/, 'https:');
    const before = requestsTo('/feed.xml');
    const e = await failure(fetchSource(sourceAt({ url }), {}, ctx));
    expect(e.code).toBe('FETCH_NETWORK');
    expect(e.message.startsWith(`fetch: GET ${url}: TLS failed: ERR_SSL_`), e.message).toBe(true);
    expect(e.message).not.toContain('\n');
    expect(e.message).not.toContain('gave up');
    // The TLS handshake never reached HTTP: the server saw no request for the path.
    expect(requestsTo('/feed.xml')).toBe(before);
  });
});

describe('concurrency', () => {
  /** A route that holds each request briefly and records the most it saw at once. */
  function countingRoute(target: TestServer, path: string, shared: { active: number; max: number }): void {
    target.route(path, (_req, res) => {
      shared.active++;
      shared.max = Math.max(shared.max, shared.active);
      setTimeout(() => {
        shared.active--;
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(FEED);
      }, 60);
    });
  }

  it('never has more than perHost requests in flight to one host', async () => {
    useClient({ perHost: 2, concurrency: 16 });
    const seen = { active: 0, max: 0 };
    countingRoute(server, '/count-host', seen);
    const all = await Promise.all(Array.from({ length: 10 }, () => get('/count-host')));
    expect(all.every((f) => f.status === 'ok')).toBe(true);
    expect(seen.max).toBeLessThanOrEqual(2);
    expect(seen.max).toBeGreaterThan(0);
  });

  it('never has more than `concurrency` requests in flight over all hosts', async () => {
    useClient({ perHost: 8, concurrency: 3 });
    const other = await startServer();
    try {
      const seen = { active: 0, max: 0 };
      countingRoute(server, '/count-all', seen);
      countingRoute(other, '/count-all', seen);
      const urls = Array.from({ length: 12 }, (_, i) => (i % 2 ? server : other).at('/count-all'));
      const all = await Promise.all(urls.map((url) => fetchSource(sourceAt({ url }), {}, ctx)));
      expect(all.every((f) => f.status === 'ok')).toBe(true);
      expect(seen.max).toBeLessThanOrEqual(3);
      expect(seen.max).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });
});
