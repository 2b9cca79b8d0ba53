// What a removed source or output leaves in output/, through the real bin: feedloom removes the files
// it wrote and no longer writes (by its manifest, .feedloom-manifest.json), with the folders that
// leaves empty, and never a file the user put there, nor anything on a first run over a folder an
// older version wrote, nor anything on a run that fails.
import { existsSync } from 'node:fs';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyFixtures, MANIFEST_FILE, OUTPUT_FILES, type Project, project } from './cli.js';

const LOCAL = [
  'local/feed.xml',
  'local/articles/canal-walk.html',
  'local/articles/allotment-news.md',
  'local/articles/library-hours.txt',
];
const PARISH = { id: 'parish', kind: 'feed', path: 'local/feed.xml', tags: ['town'] };
const DESK = { id: 'desk', kind: 'article', path: 'local/articles', tags: ['town'] };
/** The files of one output folder besides the root's (no OPML lists). */
const FOLDER_FILES = ['atom.xml', 'feed.json', 'feed.xml', 'feed.xsl', 'index.html'];

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir)).sort();
}

async function localProject(config: Record<string, unknown>): Promise<Project> {
  const p = await project(config);
  await copyFixtures(p.dir, LOCAL);
  const r = await p.run();
  expect(r.code, r.stderr).toBe(0);
  return p;
}

describe('files of removed sources and outputs', () => {
  it("are removed with the folders they leave empty; the user's files stay", async () => {
    const p = await localProject({
      sources: [PARISH, DESK],
      outputs: [
        { name: 'all', perSource: true },
        { name: 'town', tags: ['town'] },
      ],
    });
    expect(await files(join(p.outDir, 'desk'))).toEqual(FOLDER_FILES);
    await writeFile(join(p.outDir, 'robots.txt'), 'User-agent: *\n');
    await writeFile(join(p.outDir, 'town', 'custom.css'), 'body { color: navy }\n');

    // desk is gone from sources.json and the town output is renamed.
    await p.configure({
      sources: [PARISH],
      outputs: [
        { name: 'all', perSource: true },
        { name: 'local', tags: ['town'] },
      ],
    });
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/removed 10 files no output writes any more: .*desk\/feed\.xml/);
    expect(existsSync(join(p.outDir, 'desk'))).toBe(false);
    expect(await files(join(p.outDir, 'town'))).toEqual(['custom.css']);
    expect(await files(join(p.outDir, 'local'))).toEqual(FOLDER_FILES);
    expect(await files(join(p.outDir, 'parish'))).toEqual(FOLDER_FILES);
    expect(await files(p.outDir)).toEqual(
      [...OUTPUT_FILES, 'status.json', MANIFEST_FILE, 'robots.txt', 'town', 'local', 'parish'].sort(),
    );

    // perSource switched off: the per-source folder goes.
    await p.configure({ sources: [PARISH], outputs: [{ name: 'all' }, { name: 'local', tags: ['town'] }] });
    expect((await p.run()).code).toBe(0);
    expect(existsSync(join(p.outDir, 'parish'))).toBe(false);
    expect(await files(join(p.outDir, 'local'))).toEqual(FOLDER_FILES);
  });

  it('stay on a first run over an output folder written without a manifest', async () => {
    const p = await localProject({ sources: [PARISH, DESK], outputs: [{ name: 'all', perSource: true }] });
    // As an older feedloom left it.
    await rm(join(p.outDir, MANIFEST_FILE));
    await p.configure({ sources: [PARISH], outputs: [{ name: 'all', perSource: true }] });
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/removed/);
    expect(await files(join(p.outDir, 'desk'))).toEqual(FOLDER_FILES);
    expect(existsSync(join(p.outDir, MANIFEST_FILE))).toBe(true);
  });

  it('stay when the run fails', async () => {
    const p = await localProject({ sources: [PARISH, DESK], outputs: [{ name: 'all', perSource: true }] });
    await p.configure({
      sources: [{ ...PARISH, path: 'local/missing.xml' }],
      outputs: [{ name: 'all', perSource: true }],
    });
    const r = await p.run();
    expect(r.code).toBe(1);
    expect(await files(join(p.outDir, 'desk'))).toEqual(FOLDER_FILES);
  });
});
