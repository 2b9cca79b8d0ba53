// Issue 5 (crash safety): writeFiles renamed each file as soon as it was written, so a write that
// failed part-way (a full disk, a file-size limit) left a new feed.xml beside an old atom.xml. Every
// temporary file is now written before any is renamed; a failure replaces nothing.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeFiles } from '../../src/emit/index.js';
import type { RenderedFile } from '../../src/types.js';
import { tempDir } from '../helpers/tmp.js';

const f = (path: string, body: string): RenderedFile => ({ path, contentType: 'text/plain', body });

it('replaces no file of the set when a later file cannot be written', async () => {
  const dir = await tempDir();
  await writeFiles(dir, [f('feed.xml', 'old rss'), f('atom.xml', 'old atom')]);
  // A file where the third target's folder should be: its temporary file cannot be created (ENOTDIR).
  await writeFile(join(dir, 'asia'), 'not a folder');

  const failed = writeFiles(dir, [
    f('feed.xml', 'new rss'),
    f('atom.xml', 'new atom'),
    f('asia/feed.xml', 'x'),
  ]);
  await expect(failed).rejects.toMatchObject({ code: 'EMIT_WRITE' });
  await expect(failed).rejects.toThrow(/asia.*were left as they were/);

  expect(await readFile(join(dir, 'feed.xml'), 'utf8')).toBe('old rss');
  expect(await readFile(join(dir, 'atom.xml'), 'utf8')).toBe('old atom');
  // The temporary files of the first two were removed.
  expect((await readdir(dir)).sort()).toEqual(['asia', 'atom.xml', 'feed.xml']);
});
