// The static server in-process on port 0 over a real temp folder, asked with raw node:http requests
// (fetch would normalize `..` and decompress bodies, hiding exactly what is under test).
import { mkdir, symlink, utimes, writeFile } from 'node:fs/promises';
import { type IncomingHttpHeaders, request } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pickCoding, type RunningServer, safeSegments, startStaticServer } from '../../../src/serve/index.js';
import { tempDir } from '../../helpers/tmp.js';

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

let server: RunningServer;
let project: string;
let out: string;

/** One request with the path sent byte for byte as given. */
function ask(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

// Big enough to be compressed (over COMPRESSION.minBytes), and repetitive so it shrinks.
const RSS = `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>T</title>${'<item><title>é ü 日本</title></item>'.repeat(200)}</channel></rss>\n`;
const PAGE = `<!doctype html><title>Home</title>${'<p>hello</p>'.repeat(200)}`;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(2000).fill(0)]);

beforeEach(async () => {
  project = await tempDir('feedloom-serve-');
  out = join(project, 'output');
  await mkdir(join(out, 'news'), { recursive: true });
  await writeFile(join(project, 'sources.json'), '{"secret": true}\n');
  await writeFile(join(out, 'feed.xml'), RSS);
  await writeFile(join(out, 'atom.xml'), '<feed xmlns="http://www.w3.org/2005/Atom"/>\n');
  await writeFile(join(out, 'feed.json'), '{"version":"https://jsonfeed.org/version/1.1"}\n');
  await writeFile(join(out, 'index.html'), PAGE);
  await writeFile(join(out, 'feed.xsl'), '<xsl:stylesheet/>\n');
  await writeFile(join(out, 'sources.opml'), '<opml/>\n');
  await writeFile(join(out, 'status.json'), '{}\n');
  await writeFile(join(out, 'logo.png'), PNG);
  await writeFile(join(out, 'news', 'feed.xml'), RSS);
  await writeFile(join(out, 'news', 'index.html'), '<!doctype html><title>News</title>');
  await writeFile(join(out, '.feed.xml.123.abc.tmp'), 'half written');
  await symlink(join(project, 'sources.json'), join(out, 'escape.json'));
  await symlink(project, join(out, 'up'));
  await symlink(join(out, 'feed.xml'), join(out, 'alias.xml'));
  server = await startStaticServer({ root: out, host: '127.0.0.1', port: 0 });
});

afterEach(async () => {
  await server.close();
});

describe('content types', () => {
  it.each([
    ['/feed.xml', 'application/rss+xml; charset=utf-8'],
    ['/news/feed.xml', 'application/rss+xml; charset=utf-8'],
    ['/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/feed.json', 'application/feed+json; charset=utf-8'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/feed.xsl', 'text/xsl; charset=utf-8'],
    ['/sources.opml', 'text/x-opml; charset=utf-8'],
    ['/status.json', 'application/json; charset=utf-8'],
    ['/logo.png', 'image/png'],
    ['/alias.xml', 'application/xml; charset=utf-8'],
  ])('%s is %s', async (path, type) => {
    const r = await ask(path);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(type);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the bytes of the file, with its length', async () => {
    const r = await ask('/feed.xml');
    expect(r.body.toString('utf8')).toBe(RSS);
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength(RSS)));
    expect(r.headers['cache-control']).toBe('public, max-age=300');
  });
});

describe('a browser opening a feed', () => {
  const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
  const READER =
    'application/atom+xml,application/rdf+xml,application/rss+xml,application/xml;q=0.9,*/*;q=0.1';

  it.each([
    ['/feed.xml', BROWSER, 'application/xml; charset=utf-8'],
    ['/atom.xml', BROWSER, 'application/xml; charset=utf-8'],
    ['/news/feed.xml', BROWSER, 'application/xml; charset=utf-8'],
    ['/feed.xml', READER, 'application/rss+xml; charset=utf-8'],
    ['/atom.xml', READER, 'application/atom+xml; charset=utf-8'],
    ['/feed.xml', '*/*', 'application/rss+xml; charset=utf-8'],
    ['/feed.xml', 'text/html, application/rss+xml', 'application/rss+xml; charset=utf-8'],
    ['/feed.json', BROWSER, 'application/feed+json; charset=utf-8'],
    ['/index.html', READER, 'text/html; charset=utf-8'],
  ])('%s with Accept %j is %s', async (path, accept, type) => {
    // Chromium shows application/rss+xml as text and Firefox downloads it: neither would apply feed.xsl.
    const r = await ask(path, { Accept: accept });
    expect(r.headers['content-type']).toBe(type);
  });
});

describe('folders', () => {
  it('/ serves index.html and /news/ serves news/index.html', async () => {
    expect((await ask('/')).body.toString()).toBe(PAGE);
    const news = await ask('/news/');
    expect(news.status).toBe(200);
    expect(news.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(news.body.toString()).toContain('<title>News</title>');
  });

  it('/news redirects to /news/ so the page links resolve inside the folder', async () => {
    const r = await ask('/news?x=1');
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('/news/');
  });

  it('gives 404 for a folder without index.html', async () => {
    await mkdir(join(out, 'empty'));
    expect((await ask('/empty/')).status).toBe(404);
  });
});

describe('no way out of the folder', () => {
  it.each([
    '/../sources.json',
    '/%2e%2e/sources.json',
    '/%2E%2E/sources.json',
    '/..%2fsources.json',
    '/%2e%2e%2fsources.json',
    '/news/../../sources.json',
    '/news/%2e%2e/%2e%2e/sources.json',
    '/..\\sources.json',
    '/%5c..%5csources.json',
    '/feed.xml%00.html',
    '/escape.json',
    '/up/sources.json',
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    '/.feed.xml.123.abc.tmp',
    '/%ZZ',
    '/missing.xml',
  ])('%s -> 404', async (path) => {
    const r = await ask(path);
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.body.toString()).toBe(`not found: ${path}\n`);
    expect(r.body.toString()).not.toContain('secret');
  });

  it('follows a symlink that stays inside', async () => {
    const r = await ask('/alias.xml');
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe(RSS);
  });

  it.each([
    ['/a/b/', ['a', 'b']],
    ['/feed.xml', ['feed.xml']],
    ['/caf%C3%A9.xml', ['café.xml']],
    ['/', []],
  ])('safeSegments(%s)', (path, expected) => {
    expect(safeSegments(path)).toEqual(expected);
  });
});

describe('validators', () => {
  it('answers 304 to If-None-Match with the ETag, and 200 to another one', async () => {
    const first = await ask('/feed.xml');
    const etag = first.headers.etag ?? '';
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await ask('/feed.xml', { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    expect((await ask('/feed.xml', { 'If-None-Match': `"nope", W/${etag}` })).status).toBe(304);
    expect((await ask('/feed.xml', { 'If-None-Match': '"nope"' })).status).toBe(200);
  });

  it('answers 304 to If-Modified-Since at or after Last-Modified, 200 before', async () => {
    await utimes(
      join(out, 'feed.xml'),
      new Date('2024-05-01T10:00:00.700Z'),
      new Date('2024-05-01T10:00:00.700Z'),
    );
    const first = await ask('/feed.xml');
    expect(first.headers['last-modified']).toBe('Wed, 01 May 2024 10:00:00 GMT');
    expect((await ask('/feed.xml', { 'If-Modified-Since': 'Wed, 01 May 2024 10:00:00 GMT' })).status).toBe(
      304,
    );
    expect((await ask('/feed.xml', { 'If-Modified-Since': 'Wed, 01 May 2024 09:59:59 GMT' })).status).toBe(
      200,
    );
    expect((await ask('/feed.xml', { 'If-Modified-Since': 'not a date' })).status).toBe(200);
  });

  it('lets If-None-Match win over If-Modified-Since (RFC 9110 §13.2.2)', async () => {
    const r = await ask('/feed.xml', {
      'If-None-Match': '"stale"',
      'If-Modified-Since': new Date(Date.now() + 86_400_000).toUTCString(),
    });
    expect(r.status).toBe(200);
  });

  it('changes the ETag when the file is replaced', async () => {
    const before = (await ask('/feed.xml')).headers.etag;
    await writeFile(join(out, 'feed.next'), `${RSS}<!-- next -->\n`);
    const { rename } = await import('node:fs/promises');
    await rename(join(out, 'feed.next'), join(out, 'feed.xml'));
    const after = await ask('/feed.xml', { 'If-None-Match': before ?? '' });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before);
  });
});

describe('compression', () => {
  it.each(['gzip', 'br'])('%s decodes to the same bytes, with its own ETag and Vary', async (coding) => {
    const plain = await ask('/feed.xml');
    const r = await ask('/feed.xml', { 'Accept-Encoding': coding });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe(coding);
    expect(r.headers.vary).toBe('Accept-Encoding, Accept');
    expect(r.headers.etag).not.toBe(plain.headers.etag);
    expect(r.body.length).toBeLessThan(plain.body.length);
    expect(r.headers['content-length']).toBe(String(r.body.length));
    const decoded = coding === 'gzip' ? gunzipSync(r.body) : brotliDecompressSync(r.body);
    expect(decoded.equals(plain.body)).toBe(true);
    // The cached body answers the second time, and revalidation works per coding.
    const again = await ask('/feed.xml', { 'Accept-Encoding': coding });
    expect(again.body.equals(r.body)).toBe(true);
    const revalidated = await ask('/feed.xml', {
      'Accept-Encoding': coding,
      'If-None-Match': r.headers.etag ?? '',
    });
    expect(revalidated.status).toBe(304);
  });

  it('sends plain bytes without Accept-Encoding, and never compresses images', async () => {
    const plain = await ask('/feed.xml');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding, Accept');
    expect((await ask('/index.html')).headers.vary).toBe('Accept-Encoding');
    const png = await ask('/logo.png', { 'Accept-Encoding': 'gzip, br' });
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.body.equals(PNG)).toBe(true);
  });

  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['*', 'br'],
    ['identity', undefined],
    ['gzip;q=0', undefined],
    ['', undefined],
  ])('pickCoding(%j) is %s', (header, expected) => {
    expect(pickCoding(header)).toBe(expected);
  });
});

describe('methods', () => {
  it('HEAD has the headers of GET and no body', async () => {
    const get = await ask('/feed.xml', { 'Accept-Encoding': 'gzip' });
    const head = await ask('/feed.xml', { 'Accept-Encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const h of [
      'content-type',
      'content-length',
      'etag',
      'last-modified',
      'content-encoding',
      'cache-control',
    ])
      expect(head.headers[h], h).toBe(get.headers[h]);
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('%s -> 405 with Allow', async (method) => {
    const r = await ask('/feed.xml', {}, method);
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, HEAD');
  });
});

describe('start', () => {
  it('refuses a folder that does not exist, saying what to do', async () => {
    await expect(startStaticServer({ root: join(project, 'nope'), port: 0 })).rejects.toThrow(/feedloom run/);
  });

  it('names the port when it is taken', async () => {
    await expect(startStaticServer({ root: out, host: '127.0.0.1', port: server.port })).rejects.toThrow(
      /EADDRINUSE.*--port/,
    );
  });
});
