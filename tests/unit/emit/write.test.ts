import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sweepTempFiles, writeFiles } from '../../../src/emit/index.js';
import { FeedloomError } from '../../../src/errors.js';
import type { RenderedFile } from '../../../src/types.js';
import { tempDir } from '../../helpers/tmp.js';

const f = (path: string, body: string): RenderedFile => ({ path, contentType: 'text/plain', body });

/** Every file under dir, relative, sorted (temp files included: there must be none). */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

const LONG_AGO = new Date('2001-02-03T04:05:06Z');

describe('writeFiles', () => {
  it('writes files and subfolders and returns the relative paths written', async () => {
    const dir = await tempDir();
    const written = await writeFiles(dir, [f('feed.xml', 'rss'), f('asia/deep/atom.xml', 'atom ✓')]);
    expect(written).toEqual(['feed.xml', 'asia/deep/atom.xml']);
    expect(await readFile(join(dir, 'asia/deep/atom.xml'), 'utf8')).toBe('atom ✓');
    expect(await tree(dir)).toEqual(['asia/deep/atom.xml', 'feed.xml']);
  });

  it('does not rewrite a file whose bytes did not change: mtime stays', async () => {
    const dir = await tempDir();
    await writeFiles(dir, [f('feed.xml', 'same'), f('index.html', 'old')]);
    // Backdate both files, so a rewrite would show however fast the test runs.
    for (const name of ['feed.xml', 'index.html']) await utimes(join(dir, name), LONG_AGO, LONG_AGO);
    const written = await writeFiles(dir, [f('feed.xml', 'same'), f('index.html', 'new')]);
    expect(written).toEqual(['index.html']);
    expect((await stat(join(dir, 'feed.xml'))).mtime.getTime()).toBe(LONG_AGO.getTime());
    expect((await stat(join(dir, 'index.html'))).mtime.getTime()).not.toBe(LONG_AGO.getTime());
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toBe('new');
  });

  it('replaces by rename: a reader holding the old file keeps reading the old bytes', async () => {
    const dir = await tempDir();
    await writeFiles(dir, [f('feed.xml', 'version one')]);
    const before = (await stat(join(dir, 'feed.xml'))).ino;
    await writeFiles(dir, [f('feed.xml', 'version two')]);
    // A new inode: the content was not overwritten in place.
    expect((await stat(join(dir, 'feed.xml'))).ino).not.toBe(before);
    expect(await tree(dir)).toEqual(['feed.xml']);
  });

  it.each([
    ['a parent step', '../escape.xml'],
    ['a parent step inside', 'a/../../escape.xml'],
    ['an absolute path', '/etc/passwd'],
    ['a backslash', 'a\\..\\b.xml'],
    ['a drive letter', 'C:/x.xml'],
    ['an empty segment', 'a//b.xml'],
    ['an empty path', ''],
    ['a NUL byte', 'a\0b'],
  ])('rejects %s before writing anything', async (_name, bad) => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    await mkdir(out);
    const err = await writeFiles(out, [f('ok.xml', 'fine'), f(bad, 'evil')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedloomError);
    expect((err as FeedloomError).code).toBe('EMIT_WRITE');
    expect((err as FeedloomError).message).toContain(JSON.stringify(bad));
    expect(await tree(dir)).toEqual([]);
  });

  it('names the path and the OS error on failure, and leaves no temp file', async () => {
    const dir = await tempDir();
    // A folder where the file should go: rename(2) fails with EISDIR (or ENOTEMPTY, EEXIST).
    await mkdir(join(dir, 'feed.xml'));
    await writeFile(join(dir, 'feed.xml', 'keep'), 'x');
    const err = await writeFiles(dir, [f('feed.xml', 'rss')]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedloomError);
    expect((err as FeedloomError).code).toBe('EMIT_WRITE');
    expect((err as FeedloomError).message).toContain(join(dir, 'feed.xml'));
    expect((err as FeedloomError).message).toMatch(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(await tree(dir)).toEqual(['feed.xml/keep']);
  });

  it('fails with EMIT_WRITE when a folder in the path is a file', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'asia'), 'a file, not a folder');
    const err = await writeFiles(dir, [f('asia/feed.xml', 'rss')]).catch((e: unknown) => e);
    expect((err as FeedloomError).code).toBe('EMIT_WRITE');
    expect((err as FeedloomError).message).toMatch(/ENOTDIR|EEXIST/);
    expect(await tree(dir)).toEqual(['asia']);
  });
});

describe('sweepTempFiles', () => {
  it('removes only the temp files a killed writer left, in every folder', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'asia'));
    const left = ['.feed.xml.1234.0123456789ab.tmp', 'asia/.atom.xml.99.abcdef012345.tmp'];
    const kept = ['feed.xml', '.hidden', 'notes.tmp', '.feed.xml.tmp', 'asia/index.html'];
    for (const f of [...left, ...kept]) await writeFile(join(dir, f), 'x');
    expect((await sweepTempFiles(dir)).sort()).toEqual([...left].sort());
    for (const f of kept) expect((await stat(join(dir, f))).isFile()).toBe(true);
    for (const f of left) await expect(stat(join(dir, f))).rejects.toThrow(/ENOENT/);
  });

  it('does nothing for an output folder that does not exist yet', async () => {
    expect(await sweepTempFiles(join(await tempDir(), 'output'))).toEqual([]);
  });
});
