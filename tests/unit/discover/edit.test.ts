import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addSourceToText,
  derivedSourceId,
  hostSourceId,
  NEW_SOURCES_FILE,
  type NewSource,
  sourceConflict,
  writeTextAtomic,
} from '../../../src/config/edit.js';
import { parseConfig } from '../../../src/config/load.js';
import { tempDir } from '../../helpers/tmp.js';

const FEED: NewSource = { id: 'new', kind: 'feed', url: 'https://new.example/feed' };
const TAGGED: NewSource = { ...FEED, tags: ['news', 'tech'] };
const PAGE: NewSource = {
  id: 'diary',
  kind: 'page',
  url: 'https://diary.example/',
  select: { item: 'article', title: 'h2', link: 'h2 a@href' },
};

const lines = (...l: string[]) => `${l.join('\n')}\n`;

describe('addSourceToText keeps the formatting of the file', () => {
  it.each([
    [
      '2 spaces',
      lines(
        '{',
        '  "sources": [',
        '    {',
        '      "kind": "feed",',
        '      "url": "https://a.example/rss"',
        '    }',
        '  ]',
        '}',
      ),
      FEED,
      lines(
        '{',
        '  "sources": [',
        '    {',
        '      "kind": "feed",',
        '      "url": "https://a.example/rss"',
        '    },',
        '    {',
        '      "id": "new",',
        '      "kind": "feed",',
        '      "url": "https://new.example/feed"',
        '    }',
        '  ]',
        '}',
      ),
    ],
    [
      '4 spaces, with keys after "sources" left alone',
      lines(
        '{',
        '    "sources": [',
        '        {',
        '            "id": "a",',
        '            "kind": "feed",',
        '            "url": "https://a.example/rss"',
        '        }',
        '    ],',
        '    "outputs": [{ "name": "all" }]',
        '}',
      ),
      FEED,
      lines(
        '{',
        '    "sources": [',
        '        {',
        '            "id": "a",',
        '            "kind": "feed",',
        '            "url": "https://a.example/rss"',
        '        },',
        '        {',
        '            "id": "new",',
        '            "kind": "feed",',
        '            "url": "https://new.example/feed"',
        '        }',
        '    ],',
        '    "outputs": [{ "name": "all" }]',
        '}',
      ),
    ],
    [
      'tabs, and a nested object indented one more tab',
      lines(
        '{',
        '\t"sources": [',
        '\t\t{',
        '\t\t\t"kind": "feed",',
        '\t\t\t"url": "https://a.example/rss"',
        '\t\t}',
        '\t]',
        '}',
      ),
      PAGE,
      lines(
        '{',
        '\t"sources": [',
        '\t\t{',
        '\t\t\t"kind": "feed",',
        '\t\t\t"url": "https://a.example/rss"',
        '\t\t},',
        '\t\t{',
        '\t\t\t"id": "diary",',
        '\t\t\t"kind": "page",',
        '\t\t\t"url": "https://diary.example/",',
        '\t\t\t"select": {',
        '\t\t\t\t"item": "article",',
        '\t\t\t\t"title": "h2",',
        '\t\t\t\t"link": "h2 a@href"',
        '\t\t\t}',
        '\t\t}',
        '\t]',
        '}',
      ),
    ],
    [
      'an empty array',
      lines('{', '  "site": { "title": "Mine" },', '  "sources": []', '}'),
      FEED,
      lines(
        '{',
        '  "site": { "title": "Mine" },',
        '  "sources": [',
        '    {',
        '      "id": "new",',
        '      "kind": "feed",',
        '      "url": "https://new.example/feed"',
        '    }',
        '  ]',
        '}',
      ),
    ],
    [
      'an empty array spread over lines',
      lines('{', '    "sources": [', '    ]', '}'),
      FEED,
      lines(
        '{',
        '    "sources": [',
        '        {',
        '            "id": "new",',
        '            "kind": "feed",',
        '            "url": "https://new.example/feed"',
        '        }',
        '    ]',
        '}',
      ),
    ],
    [
      'one-line elements with inline tags',
      lines(
        '{',
        '  "sources": [',
        '    { "id": "a", "kind": "feed", "url": "https://a.example/rss", "tags": ["x"] },',
        '    { "id": "b", "kind": "feed", "url": "https://b.example/rss" }',
        '  ]',
        '}',
      ),
      TAGGED,
      lines(
        '{',
        '  "sources": [',
        '    { "id": "a", "kind": "feed", "url": "https://a.example/rss", "tags": ["x"] },',
        '    { "id": "b", "kind": "feed", "url": "https://b.example/rss" },',
        '    { "id": "new", "kind": "feed", "url": "https://new.example/feed", "tags": ["news", "tech"] }',
        '  ]',
        '}',
      ),
    ],
    [
      'JSON.stringify style: arrays on their own lines',
      lines(
        '{',
        '  "sources": [',
        '    {',
        '      "url": "https://a.example/rss",',
        '      "kind": "feed",',
        '      "tags": [',
        '        "x"',
        '      ]',
        '    }',
        '  ]',
        '}',
      ),
      TAGGED,
      lines(
        '{',
        '  "sources": [',
        '    {',
        '      "url": "https://a.example/rss",',
        '      "kind": "feed",',
        '      "tags": [',
        '        "x"',
        '      ]',
        '    },',
        '    {',
        '      "id": "new",',
        '      "kind": "feed",',
        '      "url": "https://new.example/feed",',
        '      "tags": [',
        '        "news",',
        '        "tech"',
        '      ]',
        '    }',
        '  ]',
        '}',
      ),
    ],
    [
      'a one-line file without a trailing newline',
      '{"sources":[{"kind":"feed","url":"https://a.example/rss"}]}',
      FEED,
      '{"sources":[{"kind":"feed","url":"https://a.example/rss"},{"id":"new","kind":"feed","url":"https://new.example/feed"}]}',
    ],
    [
      'a one-line file with an empty array',
      '{ "sources": [] }',
      FEED,
      '{ "sources": [{ "id": "new", "kind": "feed", "url": "https://new.example/feed" }] }',
    ],
    [
      'brackets and quotes inside strings before the array',
      lines(
        '{',
        '  "site": { "title": "a ] \\" [ {", "description": "sources: [" },',
        '  "sources": [',
        '    { "kind": "feed", "url": "https://a.example/rss?x=[1]", "title": "}]" }',
        '  ]',
        '}',
      ),
      FEED,
      lines(
        '{',
        '  "site": { "title": "a ] \\" [ {", "description": "sources: [" },',
        '  "sources": [',
        '    { "kind": "feed", "url": "https://a.example/rss?x=[1]", "title": "}]" },',
        '    { "id": "new", "kind": "feed", "url": "https://new.example/feed" }',
        '  ]',
        '}',
      ),
    ],
  ])('%s', (_name, before, source, expected) => {
    expect(addSourceToText(before, source, 'sources.json')).toBe(expected);
  });

  it('keeps CRLF line endings and the trailing CRLF', () => {
    const before =
      '{\r\n  "sources": [\r\n    {\r\n      "kind": "feed",\r\n      "url": "https://a.example/rss"\r\n    }\r\n  ]\r\n}\r\n';
    const after = addSourceToText(before, FEED, 'sources.json');
    expect(after.startsWith(before.slice(0, before.indexOf('    }') + 5))).toBe(true);
    expect(after).toBe(
      '{\r\n  "sources": [\r\n    {\r\n      "kind": "feed",\r\n      "url": "https://a.example/rss"\r\n    },\r\n' +
        '    {\r\n      "id": "new",\r\n      "kind": "feed",\r\n      "url": "https://new.example/feed"\r\n    }\r\n  ]\r\n}\r\n',
    );
    expect(after.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('keeps a byte order mark', () => {
    const after = addSourceToText('\uFEFF{\n  "sources": []\n}\n', FEED, 'sources.json');
    expect(after.startsWith('\uFEFF{\n  "sources": [\n    {\n')).toBe(true);
  });

  it('starts a new file from NEW_SOURCES_FILE', () => {
    const after = addSourceToText(NEW_SOURCES_FILE, FEED, 'sources.json');
    expect(parseConfig(after, '/tmp/sources.json').sources.map((s) => s.id)).toEqual(['new']);
    expect(after.endsWith('  ]\n}\n')).toBe(true);
  });

  it.each([
    ['not JSON', '{ "sources": [ }', /not valid JSON/],
    ['no sources list', '{ "site": { "title": "x" } }', /no "sources" list/],
    ['a list at the top', '[]', /expected a JSON object/],
  ])('refuses a file that is %s', (_name, text, message) => {
    expect(() => addSourceToText(text, FEED, 'sources.json')).toThrow(message);
  });

  it('refuses a source the schema rejects', () => {
    expect(() => addSourceToText(NEW_SOURCES_FILE, { ...FEED, id: 'bad id!' }, 'sources.json')).toThrow(
      /sources\[0\]\.id/,
    );
  });
});

describe('sourceConflict', () => {
  const config = parseConfig(
    JSON.stringify({
      sources: [
        { id: 'a', kind: 'feed', url: 'https://a.example/rss' },
        { kind: 'feed', url: 'https://www.b.example/feed.xml' },
      ],
    }),
    '/tmp/sources.json',
  );
  it.each([
    ['a new id and URL', { id: 'c', url: 'https://c.example/' }, undefined],
    [
      'an explicit id in use',
      { id: 'a', url: 'https://c.example/' },
      /id "a" is already used by sources\[0\]/,
    ],
    ['a derived id in use', { id: 'b.example-feed.xml', url: 'https://c.example/' }, /sources\[1\]/],
    ['the same URL', { id: 'c', url: 'https://a.example/rss' }, /sources\[0\] \("a"\) already reads/],
    [
      'the same URL with another host case and a fragment',
      { id: 'c', url: 'https://A.EXAMPLE/rss#x' },
      /already reads/,
    ],
  ])('%s', (_name, source, expected) => {
    const conflict = sourceConflict(config, source);
    if (expected === undefined) expect(conflict).toBeUndefined();
    else expect(conflict).toMatch(expected);
  });

  it('finds a local file given as a file: URL, whether the file names it by URL or by path', () => {
    const local = parseConfig(
      JSON.stringify({
        sources: [
          { id: 'by-path', kind: 'feed', path: 'feeds/harbor.xml' },
          { id: 'by-url', kind: 'feed', url: 'file:///srv/feeds/science.atom' },
        ],
      }),
      '/srv/news/sources.json',
    );
    expect(sourceConflict(local, { id: 'c', url: 'file:///srv/news/feeds/harbor.xml' })).toMatch(
      /sources\[0\] \("by-path"\) already reads \/srv\/news\/feeds\/harbor\.xml/,
    );
    expect(sourceConflict(local, { id: 'c', url: 'file:///srv/feeds/science.atom' })).toMatch(
      /sources\[1\] \("by-url"\) already reads/,
    );
    expect(sourceConflict(local, { id: 'c', url: 'file:///srv/feeds/other.atom' })).toBeUndefined();
  });

  it('checks the URL before redirects as well', () => {
    expect(
      sourceConflict(config, { id: 'c', url: 'https://a.example/rss/' }, ['https://a.example/rss']),
    ).toMatch(/already reads/);
  });
});

describe('ids', () => {
  it.each([
    ['https://www.example.com/blog/feed', 'example.com'],
    ['http://127.0.0.1:8080/feed.xml', '127.0.0.1'],
  ])('hostSourceId(%s) = %s', (url, id) => {
    expect(hostSourceId(url)).toBe(id);
  });

  it('derivedSourceId is what config derives', () => {
    expect(derivedSourceId('https://www.example.com/blog/feed')).toBe('example.com-blog-feed');
  });
});

describe('writeTextAtomic', () => {
  it('replaces the file, keeps its mode and leaves no temp file', async () => {
    const dir = await tempDir();
    const path = join(dir, 'sources.json');
    await writeFile(path, 'old', { mode: 0o640 });
    await writeTextAtomic(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect((await stat(path)).mode & 0o777).toBe(0o640);
    expect(await readdir(dir)).toEqual(['sources.json']);
  });

  it('creates a file that is not there yet', async () => {
    const dir = await tempDir();
    await writeTextAtomic(join(dir, 'sources.json'), NEW_SOURCES_FILE);
    expect(await readFile(join(dir, 'sources.json'), 'utf8')).toBe(NEW_SOURCES_FILE);
  });
});
