import { execFileSync } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentDigest, MANIFEST_FILE, readManifest, writerOf } from '../../../src/emit/manifest.js';
import { publishFiles } from '../../../src/emit/publish.js';
import { FeedloomError } from '../../../src/errors.js';
import type { RenderedFile } from '../../../src/types.js';
import { tempDir } from '../../helpers/tmp.js';

const f = (path: string, body: string): RenderedFile => ({ path, contentType: 'text/plain', body });
const ME = writerOf('/srv/feeds/sources.json');

/** Every file and folder under dir, relative, sorted. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .map((e) => `${join(e.parentPath, e.name).slice(dir.length + 1)}${e.isDirectory() ? '/' : ''}`)
    .sort();
}

/** What one output with per-source folders writes: the root files and one folder per source. */
const outputs = (sources: readonly string[]): RenderedFile[] => [
  f('feed.xml', 'root rss'),
  f('index.html', 'root page'),
  ...sources.flatMap((id) => [
    f(`by-source/${id}/feed.xml`, `${id} rss`),
    f(`by-source/${id}/index.html`, id),
  ]),
];

/**
 * Makes files in `folder` impossible to remove (mode 0555, or for root, who ignores modes, the
 * immutable attribute); returns the undo, or undefined where neither works here.
 */
async function lockFolder(folder: string): Promise<(() => Promise<void>) | undefined> {
  const probe = join(folder, '.probe');
  const blocks = async (): Promise<boolean> => {
    await writeFile(probe, '').catch(() => undefined);
    return rm(probe).then(
      () => false,
      () => true,
    );
  };
  await writeFile(probe, '');
  await chmod(folder, 0o555);
  if (await blocks()) return () => chmod(folder, 0o755);
  await chmod(folder, 0o755);
  try {
    await writeFile(probe, '');
    execFileSync('chattr', ['+i', folder], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const undo = async (): Promise<void> => {
    execFileSync('chattr', ['-i', folder], { stdio: 'ignore' });
    await rm(probe, { force: true });
  };
  if (await blocks()) return undo;
  await undo();
  return undefined;
}

describe('publishFiles', () => {
  it('removes the files of a source no output writes any more, and the folders that leaves empty', async () => {
    const dir = await tempDir();
    await publishFiles(dir, outputs(['wire', 'blog']), ME);
    const second = await publishFiles(dir, outputs(['wire']), ME);
    expect(second.removed.sort()).toEqual(['by-source/blog/feed.xml', 'by-source/blog/index.html']);
    expect(second.warnings).toEqual([]);
    expect(await tree(dir)).toEqual([
      MANIFEST_FILE,
      'by-source/',
      'by-source/wire/',
      'by-source/wire/feed.xml',
      'by-source/wire/index.html',
      'feed.xml',
      'index.html',
    ]);
    // The record now lists only what is there.
    expect([...((await readManifest(dir))?.files.keys() ?? [])].sort()).toEqual(
      outputs(['wire'])
        .map((x) => x.path)
        .sort(),
    );
    // perSource switched off: the whole by-source/ folder goes.
    expect((await publishFiles(dir, outputs([]), ME)).removed).toHaveLength(2);
    expect(await tree(dir)).toEqual([MANIFEST_FILE, 'feed.xml', 'index.html']);
  });

  it("never touches the user's files, and keeps a folder that still holds one", async () => {
    const dir = await tempDir();
    await publishFiles(dir, outputs(['blog']), ME);
    await writeFile(join(dir, 'robots.txt'), 'User-agent: *\n');
    await writeFile(join(dir, 'by-source/blog/style.css'), 'body{}');
    const r = await publishFiles(dir, outputs([]), ME);
    expect(r.removed.sort()).toEqual(['by-source/blog/feed.xml', 'by-source/blog/index.html']);
    expect(await tree(dir)).toEqual([
      MANIFEST_FILE,
      'by-source/',
      'by-source/blog/',
      'by-source/blog/style.css',
      'feed.xml',
      'index.html',
      'robots.txt',
    ]);
  });

  it('removes nothing in a folder written by a version without a manifest, and starts one', async () => {
    const dir = await tempDir();
    await publishFiles(dir, outputs(['old-source']), ME);
    await rm(join(dir, MANIFEST_FILE));
    const r = await publishFiles(dir, outputs([]), ME);
    expect(r.removed).toEqual([]);
    expect(await tree(dir)).toContain('by-source/old-source/feed.xml');
    expect([...((await readManifest(dir))?.files.keys() ?? [])].sort()).toEqual(['feed.xml', 'index.html']);
  });

  it('removes nothing when the manifest is damaged', async () => {
    const dir = await tempDir();
    await publishFiles(dir, outputs(['blog']), ME);
    await writeFile(join(dir, MANIFEST_FILE), '{"version": 1, "writer": ');
    expect((await publishFiles(dir, outputs([]), ME)).removed).toEqual([]);
    expect(await tree(dir)).toContain('by-source/blog/feed.xml');
  });

  it('leaves a file someone changed since feedloom wrote it, says so, and forgets it', async () => {
    const dir = await tempDir();
    await publishFiles(dir, outputs(['blog']), ME);
    await writeFile(join(dir, 'by-source/blog/index.html'), 'my own page now');
    const r = await publishFiles(dir, outputs([]), ME);
    expect(r.removed).toEqual(['by-source/blog/feed.xml']);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]?.message).toMatch(
      /by-source\/blog\/index\.html is no longer written .* changed since/,
    );
    expect(await readFile(join(dir, 'by-source/blog/index.html'), 'utf8')).toBe('my own page now');
    expect((await readManifest(dir))?.files.has('by-source/blog/index.html')).toBe(false);
    // Said once: the next run has nothing more to say about it.
    expect((await publishFiles(dir, outputs([]), ME)).warnings).toEqual([]);
  });

  it("does not remove another sources file's files from a folder they share", async () => {
    const dir = await tempDir();
    await publishFiles(dir, outputs(['blog']), writerOf('/srv/other/sources.json'));
    expect((await publishFiles(dir, outputs([]), ME)).removed).toEqual([]);
    expect(await tree(dir)).toContain('by-source/blog/feed.xml');
  });

  it('removes nothing when writing the new files fails', async () => {
    const dir = await tempDir();
    await publishFiles(dir, outputs(['blog']), ME);
    // A file where the new output's folder must go: the write fails before anything is renamed.
    await writeFile(join(dir, 'asia'), 'in the way');
    await expect(publishFiles(dir, [...outputs([]), f('asia/feed.xml', 'asia rss')], ME)).rejects.toThrow(
      FeedloomError,
    );
    expect(await tree(dir)).toContain('by-source/blog/feed.xml');
    // The record still lists them: the next good run removes them.
    await rm(join(dir, 'asia'));
    expect((await publishFiles(dir, outputs([]), ME)).removed).toHaveLength(2);
  });

  it('keeps a file it cannot remove on the record, says so, and removes it on a later run', async (t) => {
    const dir = await tempDir();
    await publishFiles(dir, outputs(['blog']), ME);
    const unlock = await lockFolder(join(dir, 'by-source/blog'));
    if (!unlock) t.skip();
    let r: Awaited<ReturnType<typeof publishFiles>>;
    try {
      r = await publishFiles(dir, outputs([]), ME);
    } finally {
      await unlock?.();
    }
    expect(r.removed).toEqual([]);
    expect(r.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/cannot remove .*by-source\/blog\/feed\.xml.*next run tries again/),
      expect.stringMatching(/cannot remove .*by-source\/blog\/index\.html/),
    ]);
    expect((await publishFiles(dir, outputs([]), ME)).removed).toHaveLength(2);
    expect(await tree(dir)).toEqual([MANIFEST_FILE, 'feed.xml', 'index.html']);
  });

  it('ignores a manifest entry that points outside the folder', async () => {
    const parent = await tempDir();
    const dir = join(parent, 'output');
    await mkdir(dir);
    await writeFile(join(parent, 'secret.txt'), 'keep');
    await publishFiles(dir, outputs([]), ME);
    const doc = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as {
      files: Record<string, string>;
    };
    // Its digest right, so only the path check stands between it and removal.
    doc.files['../secret.txt'] = contentDigest('keep');
    await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(doc));
    expect((await publishFiles(dir, outputs([]), ME)).removed).toEqual([]);
    expect(await readFile(join(parent, 'secret.txt'), 'utf8')).toBe('keep');
  });

  it('does not rewrite the manifest when the files did not change', async () => {
    const dir = await tempDir();
    await publishFiles(dir, outputs(['blog']), ME);
    expect((await publishFiles(dir, outputs(['blog']), ME)).written).toEqual([]);
  });
});
