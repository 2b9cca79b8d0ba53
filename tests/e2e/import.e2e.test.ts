// `feedloom import` with the real CLI and real-world-shaped exports (tests/fixtures/opml).
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';
import { runCli } from './cli.js';

const HAND_WRITTEN = `{
  "$schema": "./sources.schema.json",
  "site": { "title": "Desk" },
  "sources": [
    { "id": "ars", "kind": "feed", "url": "https://feeds.arstechnica.example/arstechnica/index", "tags": ["tech"] }
  ]
}
`;

async function folder(opml: readonly string[], sources?: string): Promise<string> {
  const dir = await tempDir('feedloom-e2e-import-');
  for (const f of opml) await copyFile(join(FIXTURES, 'opml', f), join(dir, f));
  if (sources !== undefined) await writeFile(join(dir, 'sources.json'), sources);
  return dir;
}

describe('feedloom import', () => {
  it('adds the feeds of a Feedly export, skipping and listing the ones already there', async () => {
    const dir = await folder(['feedly.opml'], HAND_WRITTEN);
    const r = await runCli(['import', 'feedly.opml', '--tags', 'imported'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('added 2 feeds to sources.json, 2 skipped');
    expect(r.stdout).toContain(
      '  + theverge.example  https://www.theverge.example/rss/index.xml  [tech-news, imported]',
    );
    expect(r.stdout).toMatch(
      /= https:\/\/feeds\.arstechnica\.example\/arstechnica\/index: sources\[0\] \("ars"\) already reads/,
    );
    expect(r.stdout).toContain('listed again (first at body/outline[1]/outline[1])');
    const text = await readFile(join(dir, 'sources.json'), 'utf8');
    // The file keeps its bytes; the new sources are written in its one-line style.
    expect(text.startsWith(HAND_WRITTEN.slice(0, HAND_WRITTEN.indexOf('\n  ]')))).toBe(true);
    expect(text).toContain(
      '    { "id": "feeds.bbci.example", "kind": "feed", "url": "http://feeds.bbci.example/news/world/rss.xml?edition=uk&x=1", "title": "BBC News - World", "tags": ["world", "imported"] }\n',
    );
    const check = await runCli(['check'], dir);
    expect(check.code, check.stderr + check.stdout).toBe(0);

    // Importing again adds nothing and changes nothing.
    const again = await runCli(['import', 'feedly.opml'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('added 0 feeds to sources.json, 4 skipped');
    expect(await readFile(join(dir, 'sources.json'), 'utf8')).toBe(text);
  });

  it.each([
    ['inoreader.xml', 3, ['science', 'blogs-—-ünïcode']],
    ['netnewswire.opml', 4, ['apple', 'dev']],
    ['mixed-case.opml', 4, ['local']],
  ])('creates sources.json from %s (%d feeds, tags %j)', async (file, n, tags) => {
    const dir = await folder([file]);
    const r = await runCli(['import', file], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`added ${n} feeds to sources.json`);
    const json = JSON.parse(await readFile(join(dir, 'sources.json'), 'utf8')) as {
      sources: { kind: string; url: string; tags?: string[] }[];
    };
    expect(json.sources).toHaveLength(n);
    expect(json.sources.every((s) => s.kind === 'feed' && /^https?:\/\//.test(s.url))).toBe(true);
    const used = new Set(json.sources.flatMap((s) => s.tags ?? []));
    for (const t of tags) expect(used.has(t)).toBe(true);
    expect((await runCli(['check'], dir)).code).toBe(0);
  });

  it('reports unusable outlines with where they are', async () => {
    const dir = await folder(['mixed-case.opml']);
    const r = await runCli(['import', 'mixed-case.opml'], dir);
    expect(r.stdout).toContain('3 unusable');
    expect(r.stdout).toContain(
      '  ! body/outline[1]/outline[4]: "Broken": xmlUrl "not a url" is not an http(s) URL; skipped',
    );
  });

  it('--dry-run prints the new file and writes nothing', async () => {
    const dir = await folder(['netnewswire.opml'], HAND_WRITTEN);
    const r = await runCli(['import', 'netnewswire.opml', '--dry-run'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).sources).toHaveLength(5);
    expect(r.stderr).toContain('would add 4 feeds to sources.json');
    expect(await readFile(join(dir, 'sources.json'), 'utf8')).toBe(HAND_WRITTEN);
  });

  it.each([
    ['a file that is not OPML', 'page.opml', '<html><body>hi</body></html>', 2, 'not an OPML file'],
    [
      'an OPML without feeds',
      'empty.opml',
      '<opml><body><outline text="x"/></body></opml>',
      1,
      'no feed outline',
    ],
  ])('refuses %s', async (_, name, text, code, message) => {
    const dir = await folder([], HAND_WRITTEN);
    await writeFile(join(dir, name), text);
    const r = await runCli(['import', name], dir);
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(message);
    expect(await readFile(join(dir, 'sources.json'), 'utf8')).toBe(HAND_WRITTEN);
  });

  it('says which file it cannot read (exit 2)', async () => {
    const dir = await folder([], HAND_WRITTEN);
    const r = await runCli(['import', 'missing.opml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^feedloom: import: cannot read missing\.opml: /);
  });
});
