// The command line itself: a broken or missing sources.json writes nothing and names every problem,
// help and unknown commands, and the repository's own sources.json working offline.
import { existsSync } from 'node:fs';
import { cp, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.js';
import { MANIFEST_FILE, OUTPUT_FILES, parseOutputs, ROOT, runCli } from './cli.js';

const BROKEN = {
  sources: [
    { id: 'good', kind: 'feed', url: 'http://127.0.0.1:9/good.xml' },
    { id: 'bad-url', kind: 'feed', url: 'not a url' },
    { id: 'typo', kind: 'feed', url: 'http://127.0.0.1:9/typo.xml', tagz: ['x'] },
    { id: 'page', kind: 'page', url: 'http://127.0.0.1:9/page.html', maxPages: 50 },
    { id: 'good', kind: 'feed', url: 'http://127.0.0.1:9/again.xml' },
  ],
};

/** One line per problem, each starting with its JSON path. */
const PROBLEMS = [
  /^\s*sources\[1\]\.url: expected a URL .*"not a url"$/m,
  /^\s*sources\[2\]\.tagz: unknown key \(did you mean "tags"\?\)$/m,
  /^\s*sources\[3\]\.maxPages: expected at most 10$/m,
  /^\s*sources\[4\]\.id: "good" is already used by sources\[0\]$/m,
];

async function brokenProject(): Promise<string> {
  const dir = await tempDir('feedloom-e2e-');
  await writeFile(join(dir, 'sources.json'), JSON.stringify(BROKEN, null, 2));
  return dir;
}

describe('a broken sources.json', () => {
  it('run: exits 2, names every problem by its JSON path, and writes nothing', async () => {
    const dir = await brokenProject();
    const r = await runCli(['run', '--config', 'sources.json'], dir);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/4 problems/);
    for (const problem of PROBLEMS) expect(r.stderr).toMatch(problem);
    expect(r.stderr).toMatch(/Nothing was written/);
    expect(r.stdout).toBe('');
    // Neither the default output/ and .feedloom/ beside sources.json nor explicit folders exist.
    expect((await readdir(dir)).sort()).toEqual(['sources.json']);

    const out = join(dir, 'public');
    const state = join(dir, 'state');
    const flagged = await runCli(['run', '--config', 'sources.json', '--out', out, '--state', state], dir);
    expect(flagged.code).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(state)).toBe(false);
    expect((await readdir(dir)).sort()).toEqual(['sources.json']);
  });

  it('check: prints the same problems and exits 2; a good file exits 0', async () => {
    const dir = await brokenProject();
    const run = await runCli(['run', '--config', 'sources.json'], dir);
    const check = await runCli(['check', '--config', 'sources.json'], dir);
    expect(check.code).toBe(2);
    expect(check.stderr).toBe(run.stderr);
    for (const problem of PROBLEMS) expect(check.stderr).toMatch(problem);

    await writeFile(
      join(dir, 'sources.json'),
      JSON.stringify({ sources: [BROKEN.sources[0], { id: 'b', kind: 'article', path: 'articles' }] }),
    );
    const good = await runCli(['check'], dir);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/sources\.json: ok \(2 sources: 1 feed, 1 article; 1 output\)/);
    // Valid, but RSS 2.0 wants an absolute channel link (issue: feed.xml had <link></link>).
    expect(good.stderr).toMatch(
      /^feedloom: warning: site\.url and site\.feedBase are both unset: feed\.xml gets no channel <link>/,
    );
    // A local path that is not there (a typo, or not created yet): valid, but said.
    expect(good.stderr).toMatch(
      /^feedloom: warning: sources\[1\] \("b"\): \S+\/articles does not exist; a run reports this source as failed/m,
    );
    expect((await readdir(dir)).sort()).toEqual(['sources.json']);

    await writeFile(
      join(dir, 'sources.json'),
      JSON.stringify({
        site: { title: 'x', feedBase: 'https://x.example/feeds/' },
        sources: [BROKEN.sources[0]],
      }),
    );
    const based = await runCli(['check'], dir);
    expect(based.code).toBe(0);
    expect(based.stdout).toMatch(/sources\.json: ok \(1 source: 1 feed; 1 output\)/);
    expect(based.stderr).toBe('');
  });

  it('invalid JSON names the line and column', async () => {
    const dir = await tempDir('feedloom-e2e-');
    await writeFile(join(dir, 'sources.json'), '{\n  "sources": [\n    { "kind": "feed", }\n  ]\n}\n');
    const r = await runCli(['run'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/line 3, column \d+: not valid JSON/);
    expect((await readdir(dir)).sort()).toEqual(['sources.json']);
  });

  it('a missing sources.json exits 2 with a clear message', async () => {
    const dir = await tempDir('feedloom-e2e-');
    for (const args of [['run'], ['check'], ['run', '--config', 'elsewhere/feeds.json']]) {
      const r = await runCli(args, dir);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/config: .*(sources|feeds)\.json: no such file/);
      expect(r.stderr).toMatch(/point --config at it/);
    }
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('help and usage', () => {
  it.each([
    ['feedloom', ['--help'], /Usage: feedloom \[options\] \[command\][\s\S]*run[\s\S]*check[\s\S]*schema/],
    ['run', ['run', '--help'], /Usage: feedloom run \[options\][\s\S]*--config[\s\S]*--out[\s\S]*Exit codes/],
    ['check', ['check', '--help'], /Usage: feedloom check \[options\][\s\S]*--config/],
  ])('--help for %s prints usage and exits 0', async (_name, args, usage) => {
    const r = await runCli(args, await tempDir('feedloom-e2e-'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(usage);
  });

  it('an unknown command exits 2 and says so', async () => {
    const dir = await tempDir('feedloom-e2e-');
    const r = await runCli(['frobnicate'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('the bundled sources.json', () => {
  it('runs offline from a copy of the repository: exit 0, every file, a non-empty feed', async () => {
    const dir = await tempDir('feedloom-e2e-');
    await cp(join(ROOT, 'sources.json'), join(dir, 'sources.json'));
    await cp(join(ROOT, 'samples'), join(dir, 'samples'), { recursive: true });
    const r = await runCli(['run'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/failed/);
    expect((await readdir(join(dir, 'output'))).sort()).toEqual(
      [...OUTPUT_FILES, 'status.json', MANIFEST_FILE].sort(),
    );
    const f = await parseOutputs(join(dir, 'output'));
    expect(f.rss.length).toBeGreaterThan(0);
    expect(f.json.map((e) => e.id)).toEqual(f.rss.map((e) => e.id));
    expect(f.html).toHaveLength(f.rss.length);
  });
});

describe('an output folder that cannot be written', () => {
  it.each([
    [
      'run',
      'outfile',
      ['run'],
      /output folder \S+outfile: it is a file, not a folder: remove it, or choose another folder with --out/,
    ],
    [
      'run',
      'outfile/sub',
      ['run'],
      /output folder \S+outfile\/sub: cannot be created: \S+outfile is a file, not a folder/,
    ],
    ['start', 'outfile', ['start'], /output folder \S+outfile: it is a file/],
    [
      'serve --watch',
      'outfile',
      ['serve', '--watch', '--port', '0'],
      /output folder \S+outfile: it is a file/,
    ],
  ])('%s --out %s: says what to change before fetching anything', async (_name, out, command, message) => {
    const dir = await tempDir('feedloom-e2e-');
    await cp(join(ROOT, 'sources.json'), join(dir, 'sources.json'));
    await cp(join(ROOT, 'samples'), join(dir, 'samples'), { recursive: true });
    await writeFile(join(dir, 'outfile'), 'not a folder');
    const r = await runCli([...command, '--out', out], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/nothing was fetched or written/);
    // Nothing fetched, nothing stored: no state folder was made.
    expect((await readdir(dir)).sort()).toEqual(['outfile', 'samples', 'sources.json']);
  });
});
