// `feedloom discover` and `feedloom add` as a user runs them: the real bin against loopback sites,
// and a hand-formatted sources.json that must come back byte for byte, plus the one new source.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixturePath } from '../helpers/fixtures.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import { runCli } from './cli.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function site(folder: string): Promise<TestServer> {
  const server = await startServer(fixturePath(join('discover', folder)));
  servers.push(server);
  return server;
}

// Hand-written: 4-space indentation, one-line "site", a source with inline tags, keys after "sources".
const HAND_WRITTEN = [
  '{',
  '    "site": { "title": "My reading" },',
  '    "defaults": { "timeoutMs": 3000, "retries": 0 },',
  '    "sources": [',
  '        {',
  '            "id": "existing",',
  '            "kind": "feed",',
  '            "url": "http://127.0.0.1:9/never-fetched.xml",',
  '            "tags": ["old"]',
  '        }',
  '    ],',
  '    "fetch": { "backoffBaseMs": 10 }',
  '}',
  '',
].join('\n');

describe('feedloom discover', () => {
  it('lists the advertised feeds with format, items and title', async () => {
    const server = await site('advertised');
    const dir = await tempDir();
    const { code, stdout } = await runCli(['discover', server.at('/index.html')], dir);
    expect(code).toBe(0);
    const rows = stdout.trim().split('\n');
    expect(rows[0]).toBe(`2 feeds for ${server.at('/index.html')}:`);
    expect(rows[1]).toMatch(/^\s+rss2\s+3 items\s+advertised\s+Harbor Notes\s+http:\S+\/feed\.xml$/);
    expect(rows[2]).toMatch(/^\s+atom10\s+2 items\s+advertised\s+Harbor Notes Atom\s+http:\S+\/atom\.xml$/);
  });

  it('prints JSON with --json', async () => {
    const server = await site('common-path');
    const dir = await tempDir();
    const { code, stdout } = await runCli(['discover', '--json', server.at('/blog/index.html')], dir);
    expect(code).toBe(0);
    const found = JSON.parse(stdout) as { self: boolean; feeds: { url: string; format: string }[] };
    expect(found.self).toBe(false);
    expect(found.feeds.map((f) => [f.format, f.url])).toEqual([
      ['atom10', server.at('/blog/index.xml')],
      ['rss2', server.at('/feed.xml')],
    ]);
  });

  it('says when the URL is itself a feed', async () => {
    const server = await site('advertised');
    const { code, stdout } = await runCli(['discover', server.at('/atom.xml')], await tempDir());
    expect(code).toBe(0);
    expect(stdout).toContain(`${server.at('/atom.xml')} is itself a feed:`);
  });

  it('reads a path to a local file as that file, not as a host name', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'harbor.xml'), await readFile(fixturePath('discover/advertised/feed.xml')));
    const { code, stdout, stderr } = await runCli(['discover', 'harbor.xml'], dir);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`file://${dir}/harbor.xml is itself a feed:`);
  });

  it('exits 1 when there is no feed and points to page sources', async () => {
    const server = await site('nothing');
    const { code, stdout, stderr } = await runCli(['discover', server.at('/index.html')], await tempDir());
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/no feed found for .*\/index\.html \(0 advertised, 8 common paths tried\)/);
    expect(stderr).toContain('"page" source');
  });
});

describe('feedloom add', () => {
  it('adds the best feed to a hand-formatted sources.json, changing nothing else', async () => {
    const server = await site('advertised');
    const dir = await tempDir();
    const path = join(dir, 'sources.json');
    await writeFile(path, HAND_WRITTEN);

    const added = await runCli(['add', server.at('/index.html'), '--tags', 'boats, notes'], dir);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('added "127.0.0.1" to sources.json: rss2 feed "Harbor Notes" (3 items)');
    expect(added.stdout).toMatch(/other feeds found \(not added\):\n\s+atom10/);

    const after = await readFile(path, 'utf8');
    const at = HAND_WRITTEN.indexOf('\n    ],');
    expect(after).toBe(
      `${HAND_WRITTEN.slice(0, at)},\n` +
        [
          '        {',
          '            "id": "127.0.0.1",',
          '            "kind": "feed",',
          `            "url": "${server.at('/feed.xml')}",`,
          '            "tags": ["boats", "notes"]',
          '        }',
        ].join('\n') +
        HAND_WRITTEN.slice(at),
    );
    expect((await runCli(['check'], dir)).code).toBe(0);

    // Twice: the URL is there now, whatever id is asked for.
    const again = await runCli(['add', server.at('/feed.xml'), '--id', 'other'], dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/sources\[1\] \("127\.0\.0\.1"\) already reads/);
    const taken = await runCli(['add', server.at('/atom.xml'), '--id', 'existing'], dir);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain('the id "existing" is already used by sources[0]');
    expect(await readFile(path, 'utf8')).toBe(after);
  });

  it('creates the folder of a --config file that does not exist yet (issue: ENOENT on the temp file)', async () => {
    const server = await site('advertised');
    const dir = await tempDir();
    const added = await runCli(['add', server.at('/index.html'), '--config', 'new/sources.json'], dir);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('added "127.0.0.1" to new/sources.json (created)');
    expect((await runCli(['check', '--config', 'new/sources.json'], dir)).code).toBe(0);
  });

  it('adds a page source with found selectors when a page of articles has no feed, and it runs', async () => {
    const server = await site('articles');
    const dir = await tempDir();
    const added = await runCli(['add', server.at('/index.html'), '--id', 'diary'], dir);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('added "diary" to sources.json (created): page source (3 items');
    const config = JSON.parse(await readFile(join(dir, 'sources.json'), 'utf8')) as {
      sources: { id: string; kind: string; select: Record<string, string> }[];
    };
    expect(config.sources).toEqual([
      {
        id: 'diary',
        kind: 'page',
        url: server.at('/index.html'),
        select: {
          item: 'article',
          title: 'h1, h2, h3, h4',
          link: 'h1 a, h2 a, h3 a, h4 a@href',
          date: 'time@datetime',
        },
      },
    ]);
    const run = await runCli(['run', '--quiet'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const feed = JSON.parse(await readFile(join(dir, 'output', 'feed.json'), 'utf8')) as {
      items: { title: string; url: string }[];
    };
    expect(feed.items.map((i) => i.title).sort()).toEqual([
      'Broad beans are up',
      'Seed order',
      'Turning the compost',
    ]);
    expect(feed.items.every((i) => i.url.startsWith(server.url))).toBe(true);
  });

  it('adds nothing and exits 1 when the page has neither a feed nor items', async () => {
    const server = await site('nothing');
    const dir = await tempDir();
    const path = join(dir, 'sources.json');
    await writeFile(path, HAND_WRITTEN);
    const { code, stderr } = await runCli(['add', server.at('/index.html')], dir);
    expect(code).toBe(1);
    expect(stderr).toContain('Nothing was added.');
    expect(await readFile(path, 'utf8')).toBe(HAND_WRITTEN);
  });

  it('refuses an invalid sources.json before fetching anything', async () => {
    const server = await site('advertised');
    const dir = await tempDir();
    await writeFile(join(dir, 'sources.json'), '{ "sources": [ { "kind": "feed" } ] }\n');
    const { code, stderr } = await runCli(['add', server.at('/index.html')], dir);
    expect(code).toBe(2);
    expect(stderr).toContain('sources[0]');
    expect(server.requests).toEqual([]);
  });
});
