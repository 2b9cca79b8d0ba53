import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, loadConfig, parseConfig, sourcesJsonSchema } from '../../../src/config/index.js';
import { FeedloomError } from '../../../src/errors.js';
import { tempDir } from '../../helpers/tmp.js';

const AT = '/srv/news/sources.json';

function problemsOf(json: unknown): readonly string[] {
  try {
    parseConfig(typeof json === 'string' ? json : JSON.stringify(json), AT);
  } catch (e) {
    expect(e).toBeInstanceOf(FeedloomError);
    expect((e as FeedloomError).code).toBe('CONFIG_INVALID');
    return (e as FeedloomError).problems;
  }
  throw new Error('expected the config to be refused');
}

describe('config', () => {
  it('fills every default for a minimal file', () => {
    const c = parseConfig(
      JSON.stringify({ sources: [{ kind: 'feed', url: 'https://a.example/rss.xml' }] }),
      AT,
    );
    expect(c.site.title).toBe(DEFAULTS.siteTitle);
    expect(c.outDir).toBe('/srv/news/output');
    expect(c.stateDir).toBe('/srv/news/.feedloom');
    expect(c.outputs).toEqual([
      {
        name: 'all',
        limit: 100,
        tags: [],
        sources: [],
        formats: ['rss', 'atom', 'json'],
        near: true,
        perSource: false,
      },
    ]);
    const [s] = c.sources;
    expect(s).toMatchObject({
      id: 'a.example-rss.xml',
      kind: 'feed',
      location: { url: 'https://a.example/rss.xml' },
      schedule: DEFAULTS.schedule,
      limits: { timeoutMs: 15000, maxBytes: 10 * 1024 * 1024, maxRedirects: 5, retries: 2 },
    });
    expect(c.fetch).toMatchObject({ concurrency: 16, perHost: 4 });
  });

  it('resolves relative paths and file: URLs against the folder of sources.json', () => {
    const c = parseConfig(
      JSON.stringify({
        sources: [
          { id: 'a', kind: 'article', path: 'samples/articles' },
          { id: 'b', kind: 'feed', url: pathToFileURL('/data/x.xml').href },
        ],
        output: 'public',
      }),
      AT,
    );
    expect(c.sources[0]?.location).toEqual({ path: '/srv/news/samples/articles' });
    expect(c.sources[1]?.location).toEqual({ path: '/data/x.xml' });
    expect(c.outDir).toBe('/srv/news/public');
  });

  it('lets per-source settings override defaults', () => {
    const c = parseConfig(
      JSON.stringify({
        defaults: { timeoutMs: 5000, schedule: '0 * * * *' },
        sources: [
          { id: 'a', kind: 'feed', url: 'https://a.example/', timeoutMs: 1000 },
          { id: 'b', kind: 'feed', url: 'https://b.example/' },
        ],
      }),
      AT,
    );
    expect(c.sources[0]?.limits.timeoutMs).toBe(1000);
    expect(c.sources[1]?.limits.timeoutMs).toBe(5000);
    expect(c.sources[1]?.schedule).toBe('0 * * * *');
  });

  it.each([
    [
      'a URL that is not one',
      { sources: [{ kind: 'feed', url: 'notaurl' }] },
      'sources[0].url: expected a URL (http://, https:// or file:), got "notaurl"',
    ],
    [
      'neither url nor path',
      { sources: [{ kind: 'feed' }] },
      'sources[0].url: give exactly one of "url" or "path"',
    ],
    [
      'a wrong kind',
      { sources: [{ kind: 'rss', url: 'https://a.example/' }] },
      'sources[0].kind: expected "feed", "page" or "article"',
    ],
    [
      'a typo in a key',
      { sources: [{ kind: 'feed', url: 'https://a.example/', tgas: [] }] },
      'sources[0].tgas: unknown key (did you mean "tags"?)',
    ],
    [
      // Two letters swapped: "outputs" (a list), not "output" (the folder), which is as far by plain
      // edit distance and would only lead to another error.
      'two letters of a key swapped',
      { sources: [{ kind: 'feed', url: 'https://a.example/' }], outptus: [] },
      'outptus: unknown key (did you mean "outputs"?)',
    ],
    [
      'a key without its unit',
      { schedule: { jitter: 5 }, sources: [{ kind: 'feed', url: 'https://a.example/', timeout: 5000 }] },
      'schedule.jitter: unknown key (did you mean "jitterSeconds"?)',
    ],
    [
      'a timeout without its unit',
      { sources: [{ kind: 'feed', url: 'https://a.example/', timeout: 5000 }] },
      'sources[0].timeout: unknown key (did you mean "timeoutMs"?)',
    ],
    [
      'a page whose selectors lack a title',
      { sources: [{ kind: 'page', url: 'https://a.example/', select: { item: 'article', link: 'a@href' } }] },
      'sources[0].select.title: missing (expected a CSS selector for the title)',
    ],
    [
      'too many pages',
      { sources: [{ kind: 'page', url: 'https://a.example/', maxPages: 50 }] },
      'sources[0].maxPages: expected at most 10',
    ],
    [
      'maxPages on a feed',
      { sources: [{ kind: 'feed', url: 'https://a.example/', maxPages: 2 }] },
      'sources[0].maxPages: "maxPages" applies to "page" sources only',
    ],
    [
      'a bad cron',
      { sources: [{ kind: 'feed', url: 'https://a.example/', schedule: 'hourly' }] },
      'sources[0].schedule: expected a cron expression',
    ],
    ['sources missing', {}, 'sources: missing'],
    [
      'a negative timeout',
      { sources: [{ kind: 'feed', url: 'https://a.example/', timeoutMs: -5 }] },
      'sources[0].timeoutMs: expected a time in milliseconds',
    ],
    [
      'two sources with one id',
      {
        sources: [
          { id: 'x', kind: 'feed', url: 'https://a.example/' },
          { id: 'x', kind: 'feed', url: 'https://b.example/' },
        ],
      },
      'sources[1].id: "x" is already used by sources[0]',
    ],
    [
      'an output name that climbs out',
      { sources: [], outputs: [{ name: '../etc' }] },
      'outputs[0].name: expected letters, digits',
    ],
    [
      'an output naming an unknown source',
      { sources: [], outputs: [{ name: 'x', sources: ['nope'] }] },
      'outputs[0].sources[0]: no source has the id "nope"',
    ],
    [
      // A list of sources on its own: say where it goes, not only that a list is not an object.
      'a file that is only a list of sources',
      [{ id: 'a', kind: 'feed', url: 'https://a.example/' }],
      '(top level): expected an object, got a list: put the list in one, as { "sources": [ ... ] }',
    ],
    [
      'a feedBase without a slash',
      { site: { title: 't', feedBase: 'https://a.example/feeds' }, sources: [] },
      'site.feedBase: expected a URL ending in "/"',
    ],
  ])('refuses %s, naming the path', (_name, json, expected) => {
    const problems = problemsOf(json);
    expect(
      problems.some((p) => p.startsWith(expected)),
      `${expected}\nnot in\n${problems.join('\n')}`,
    ).toBe(true);
  });

  it('reports every problem at once, not just the first', () => {
    const problems = problemsOf({
      sources: [
        { kind: 'feed', url: 'x' },
        { kind: 'page', url: 'https://a.example/', maxPages: 0 },
        { kind: 'bogus' },
      ],
    });
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });

  it('says "a source of kind" when fullText is set on a page source (issue: \'an "page" source\')', () => {
    const problems = problemsOf({
      sources: [{ id: 'p', kind: 'page', url: 'https://a.example/', fullText: true }],
    });
    expect(problems).toContainEqual(
      expect.stringContaining('(a source of kind "page" is read in full already)'),
    );
  });

  it('names the line of a JSON syntax error', () => {
    const problems = problemsOf('{\n  "sources": [\n    { "kind": "feed", }\n  ]\n}');
    expect(problems[0]).toMatch(/^line 3, column \d+: not valid JSON/);
  });

  it('keeps a JSON syntax error on one line, whatever text V8 quotes from the file', () => {
    const problems = problemsOf('{ "sources": [ { "kind": "feed" }, ] }\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toContain('\n');
  });

  it.each([
    ['single quotes', '{\n  "sources": [\n    { \'kind\': "feed" }\n  ]\n}', 'line 3, column 7'],
    ['a trailing comma in a list', '{\n  "sources": [\n    { "kind": "feed" },\n  ]\n}', 'line 4, column 3'],
    ['a word that is not a literal', '{\n  "sources": tru\n}', 'line 2, column 14'],
  ])('names the line and column of %s, which V8 does not', (_name, text, place) => {
    expect(problemsOf(text)[0]).toMatch(new RegExp(`^${place}: not valid JSON`));
  });

  it('says plainly when the file does not exist', async () => {
    const dir = await tempDir();
    expect(() => loadConfig(join(dir, 'sources.json'))).toThrow(/sources\.json: no such file/);
  });

  it('says plainly when --config names a folder', async () => {
    const dir = await tempDir();
    expect(() => loadConfig(dir)).toThrow(
      /: a folder, not a file: name the sources file in it, as .*sources\.json/,
    );
  });

  it('loads from disk with overrides for out and state', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'sources.json'), JSON.stringify({ sources: [] }));
    const c = loadConfig(join(dir, 'sources.json'), { outDir: join(dir, 'pub'), stateDir: join(dir, 'st') });
    expect(c.outDir).toBe(join(dir, 'pub'));
    expect(c.stateDir).toBe(join(dir, 'st'));
  });

  it('ships a sources.schema.json that matches the zod schema (regenerate with npm run schema)', () => {
    const shipped = JSON.parse(
      readFileSync(join(import.meta.dirname, '..', '..', '..', 'sources.schema.json'), 'utf8'),
    );
    expect(shipped).toEqual(sourcesJsonSchema());
  });

  it('generates a JSON Schema that knows every source key', () => {
    const schema = sourcesJsonSchema() as {
      properties: { sources: { items: { properties: Record<string, unknown> } } };
    };
    expect(Object.keys(schema.properties.sources.items.properties)).toEqual(
      expect.arrayContaining(['id', 'kind', 'url', 'path', 'tags', 'schedule', 'select']),
    );
  });
});
