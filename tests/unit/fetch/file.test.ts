import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedloomError } from '../../../src/errors.js';
import { createHttpClient, type FetchContext, fetchSource, fetchUrl } from '../../../src/fetch/index.js';
import type { Fetched } from '../../../src/types.js';
import { tempDir } from '../../helpers/tmp.js';
import { NOW, sourceAt, TEST_SETTINGS } from './support.js';

let ctx: FetchContext;
beforeEach(() => {
  ctx = { now: () => NOW, client: createHttpClient(TEST_SETTINGS) };
});
afterEach(async () => {
  await ctx.client.close();
});

const T1 = new Date('2026-01-01T08:00:00Z');
const T2 = new Date('2026-01-02T09:30:00Z');

async function put(path: string, content: string | Buffer, mtime = T1): Promise<void> {
  await writeFile(path, content);
  await utimes(path, mtime, mtime);
}

function ok(f: Fetched): Extract<Fetched, { status: 'ok' }> {
  if (f.status !== 'ok') throw new Error(`expected ok, got ${f.status}`);
  return f;
}

async function failure(p: Promise<unknown>): Promise<FeedloomError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FeedloomError);
  return e as FeedloomError;
}

/** An article folder: three articles, one ignored extension, one hidden file, one subfolder. */
async function articleFolder(): Promise<string> {
  const dir = await tempDir();
  await put(join(dir, 'b.md'), '# B\n\nSecond — in Markdown.', T2);
  await put(
    join(dir, 'a.html'),
    iconv.encode('<html><head><meta charset="windows-1252"></head><body>“A”</body></html>', 'windows-1252'),
  );
  await put(join(dir, 'c.TXT'), 'Third, plain text: café');
  await put(join(dir, 'notes.json'), '{}');
  await put(join(dir, '.hidden.md'), 'never read');
  await mkdir(join(dir, 'sub.md'));
  return dir;
}

describe('local sources', () => {
  it('a file is one document with a file: URL, mtime and decoded text', async () => {
    const dir = await tempDir();
    const path = join(dir, 'feed.xml');
    await put(
      path,
      '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Ça va</title></channel></rss>',
    );
    const got = ok(await fetchSource(sourceAt({ path }), {}, ctx));
    expect(got.url).toBe(pathToFileURL(path).href);
    expect(got.fetchedAt).toEqual(NOW);
    expect(got.documents).toHaveLength(1);
    expect(got.documents[0]).toMatchObject({
      url: pathToFileURL(path).href,
      contentType: 'application/xml',
      charset: 'utf-8',
      modifiedAt: T1,
    });
    expect(got.documents[0]?.text).toContain('<title>Ça va</title>');
    expect(got.validators.lastModified).toBe(T1.toUTCString());
    expect(got.validators.etag).toMatch(/^"local-[0-9a-f]+"$/);
  });

  it('a file: URL location works like a path', async () => {
    const dir = await tempDir();
    const path = join(dir, 'page with space.html');
    await put(path, '<p>hi</p>');
    const got = ok(await fetchSource(sourceAt({ url: pathToFileURL(path).href }), {}, ctx));
    expect(got.documents[0]?.text).toBe('<p>hi</p>');
    expect(got.documents[0]?.contentType).toBe('text/html');
  });

  it('an article folder: one document per article file, sorted by name, hidden and other files skipped', async () => {
    const dir = await articleFolder();
    const got = ok(await fetchSource(sourceAt({ path: dir }, {}, 'article'), {}, ctx));
    expect(got.url).toBe(pathToFileURL(dir).href);
    expect(got.documents.map((d) => d.url)).toEqual(
      ['a.html', 'b.md', 'c.TXT'].map((n) => pathToFileURL(join(dir, n)).href),
    );
    expect(got.documents.map((d) => d.contentType)).toEqual(['text/html', 'text/markdown', 'text/plain']);
    expect(got.documents[0]).toMatchObject({ charset: 'windows-1252', modifiedAt: T1 });
    expect(got.documents[0]?.text).toContain('“A”');
    expect(got.documents[1]?.modifiedAt).toEqual(T2);
    expect(got.documents[2]?.text).toBe('Third, plain text: café');
    // Newest mtime of the folder's articles.
    expect(got.validators.lastModified).toBe(T2.toUTCString());
  });

  it('an unchanged file answers not-modified, a touched one is read again', async () => {
    const dir = await tempDir();
    const path = join(dir, 'feed.xml');
    await put(path, '<rss/>');
    const first = ok(await fetchSource(sourceAt({ path }), {}, ctx));
    const again = await fetchSource(sourceAt({ path }), first.validators, ctx);
    expect(again).toMatchObject({ status: 'not-modified', url: first.url, validators: first.validators });
    await utimes(path, T2, T2);
    const touched = ok(await fetchSource(sourceAt({ path }), first.validators, ctx));
    expect(touched.validators.etag).not.toBe(first.validators.etag);
  });

  it.each([
    ['a file is added', async (dir: string) => put(join(dir, 'd.md'), 'new')],
    ['a file is removed', async (dir: string) => rm(join(dir, 'b.md'))],
    ['a file changes size', async (dir: string) => put(join(dir, 'c.TXT'), 'Third, now longer')],
    [
      'a file is renamed',
      async (dir: string) => {
        await rm(join(dir, 'b.md'));
        await put(join(dir, 'b2.md'), '# B\n\nSecond — in Markdown.', T2);
      },
    ],
  ])('an article folder is read again when %s', async (_name, change) => {
    const dir = await articleFolder();
    const source = sourceAt({ path: dir }, {}, 'article');
    const first = ok(await fetchSource(source, {}, ctx));
    expect((await fetchSource(source, first.validators, ctx)).status).toBe('not-modified');
    await change(dir);
    expect((await fetchSource(source, first.validators, ctx)).status).toBe('ok');
  });

  it('an unchanged folder ignores changes to files it skips', async () => {
    const dir = await articleFolder();
    const source = sourceAt({ path: dir }, {}, 'article');
    const first = ok(await fetchSource(source, {}, ctx));
    await put(join(dir, '.hidden.md'), 'edited', T2);
    await put(join(dir, 'notes.json'), '{"x":1}', T2);
    expect((await fetchSource(source, first.validators, ctx)).status).toBe('not-modified');
  });

  it('a missing path is FETCH_FILE naming the path and the source', async () => {
    const dir = await tempDir();
    const path = join(dir, 'nope', 'feed.xml');
    const e = await failure(fetchSource(sourceAt({ path }), {}, ctx));
    expect(e.code).toBe('FETCH_FILE');
    expect(e.message).toContain(path);
    expect(e.message).toContain("source 'test-source'");
  });

  it('a folder is refused for a feed source', async () => {
    const dir = await tempDir();
    const e = await failure(fetchSource(sourceAt({ path: dir }), {}, ctx));
    expect(e.code).toBe('FETCH_FILE');
    expect(e.message).toContain("only 'article' sources read a folder");
  });

  it('limits.maxBytes applies to files', async () => {
    const dir = await tempDir();
    const path = join(dir, 'big.xml');
    await put(path, Buffer.alloc(2000, 0x61));
    const e = await failure(fetchSource(sourceAt({ path }, { maxBytes: 1000 }), {}, ctx));
    expect(e.code).toBe('FETCH_TOO_LARGE');
    expect(e.message).toContain(path);
    expect(e.message).toContain('maxBytes, set per source or in defaults');
    expect(ok(await fetchSource(sourceAt({ path }, { maxBytes: 2000 }), {}, ctx)).bytes).toBe(2000);
  });

  it('an empty article folder gives no documents', async () => {
    const dir = await tempDir();
    const got = ok(await fetchSource(sourceAt({ path: dir }, {}, 'article'), {}, ctx));
    expect(got.documents).toEqual([]);
  });

  it('fetchUrl reads a file: URL as one document', async () => {
    const dir = await tempDir();
    const path = join(dir, 'a.md');
    await put(path, '# Title');
    const got = await fetchUrl(pathToFileURL(path).href, {}, {}, ctx);
    expect(got.status).toBe('ok');
    if (got.status === 'ok')
      expect(got.document).toMatchObject({ text: '# Title', contentType: 'text/markdown' });
  });
});
