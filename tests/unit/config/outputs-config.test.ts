// The outputs of sources.json (issue 6): names that cannot leave output/, filters whose patterns are
// checked at load with their JSON path, perSource folder names, language, icon and websub.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import { FeedloomError } from '../../../src/errors.js';

const AT = '/srv/news/sources.json';
const SOURCES = [
  { id: 'wire', kind: 'feed', url: 'https://wire.example/rss', tags: ['world'] },
  { id: 'daily', kind: 'feed', url: 'https://daily.example/rss', tags: ['local'] },
];

function problemsOf(json: Record<string, unknown>): readonly string[] {
  try {
    parseConfig(JSON.stringify({ sources: SOURCES, ...json }), AT);
  } catch (e) {
    expect(e).toBeInstanceOf(FeedloomError);
    expect((e as FeedloomError).code).toBe('CONFIG_INVALID');
    return (e as FeedloomError).problems;
  }
  throw new Error('expected the config to be refused');
}

describe('output names', () => {
  it.each(['..', '.', '../up', 'a/b', '/abs', 'a\\b', '%2e%2e', '%2e', '%2fetc', '.hidden', 'a b', '', 'ä'])(
    'refuses %j: it could leave or hide in output/',
    (name) => {
      const problems = problemsOf({ outputs: [{ name: 'all' }, { name }] });
      expect(problems.some((p) => p.startsWith('outputs[1].name:'))).toBe(true);
    },
  );

  it('accepts letters, digits, "_" and "-"', () => {
    const c = parseConfig(
      JSON.stringify({ sources: SOURCES, outputs: [{ name: 'all' }, { name: 'Asia_2-x' }] }),
      AT,
    );
    expect(c.outputs.map((o) => o.name)).toEqual(['all', 'Asia_2-x']);
  });
});

describe('filters', () => {
  it('keeps include, exclude, minWords, language, icon and perSource as written', () => {
    const c = parseConfig(
      JSON.stringify({
        sources: SOURCES,
        outputs: [
          {
            name: 'all',
            include: { title: 'harbou?r', category: '^world$' },
            exclude: { content: 'sponsored|advertorial', author: 'bot' },
            minWords: 40,
            language: 'de-CH',
            icon: 'https://x.example/icon.png',
            perSource: true,
          },
        ],
      }),
      AT,
    );
    expect(c.outputs[0]).toMatchObject({
      include: { title: 'harbou?r', category: '^world$' },
      exclude: { content: 'sponsored|advertorial', author: 'bot' },
      minWords: 40,
      language: 'de-CH',
      icon: 'https://x.example/icon.png',
      perSource: true,
    });
  });

  it('reports a pattern that does not compile, naming its path', () => {
    const problems = problemsOf({ outputs: [{ name: 'all' }, { name: 'x', exclude: { title: 'a(b' } }] });
    expect(problems).toEqual([
      expect.stringMatching(/^outputs\[1\]\.exclude\.title: not a valid regular expression/),
    ]);
  });

  it.each([
    [{ include: { headline: 'x' } }, 'outputs[0].include'],
    [{ exclude: 'sponsored' }, 'outputs[0].exclude'],
    [{ minWords: 0 }, 'outputs[0].minWords'],
    [{ language: 'english please' }, 'outputs[0].language'],
    [{ icon: 'javascript:alert(1)' }, 'outputs[0].icon'],
    [{ perSource: 'yes' }, 'outputs[0].perSource'],
  ])('refuses %j at %s', (extra, path) => {
    const problems = problemsOf({ outputs: [{ name: 'all', ...extra }] });
    expect(
      problems.some((p) => p.startsWith(path)),
      problems.join('\n'),
    ).toBe(true);
  });
});

describe('perSource folder names', () => {
  it.each([
    ['feed.xml', 'would take the name of a file'],
    ['index.html', 'would take the name of a file'],
    ['Asia', 'would take the name of a file or output folder'],
  ])('refuses a source id %j in a perSource output', (id, why) => {
    const problems = problemsOf({
      sources: [{ id, kind: 'feed', url: 'https://x.example/rss' }],
      outputs: [{ name: 'all', perSource: true }, { name: 'asia' }],
    });
    expect(problems).toEqual([expect.stringContaining(`outputs[0].perSource: source id "${id}" ${why}`)]);
  });

  it('refuses ids that differ only in case (one folder on macOS and Windows)', () => {
    const problems = problemsOf({
      sources: [
        { id: 'Wire', kind: 'feed', url: 'https://a.example/rss' },
        { id: 'wire', kind: 'feed', url: 'https://b.example/rss' },
      ],
      outputs: [{ name: 'all', perSource: true }],
    });
    expect(problems).toEqual([expect.stringContaining('"wire" differs from "Wire" only in case')]);
  });

  it('allows an output name as a source id below a non-root output', () => {
    const c = parseConfig(
      JSON.stringify({
        sources: [{ id: 'asia', kind: 'feed', url: 'https://x.example/rss' }],
        outputs: [{ name: 'all' }, { name: 'asia' }, { name: 'by', perSource: true }],
      }),
      AT,
    );
    expect(c.outputs[2]?.perSource).toBe(true);
  });
});

describe('websub', () => {
  it('needs site.feedBase, and says so at websub.hub', () => {
    expect(problemsOf({ websub: { hub: 'https://hub.example/' } })).toEqual([
      'websub.hub: WebSub needs the public URL of the feeds: set "site.feedBase" too',
    ]);
  });

  it('needs an http(s) hub', () => {
    const problems = problemsOf({
      site: { title: 'x', feedBase: 'https://x.example/' },
      websub: { hub: 'ftp://hub.example/' },
    });
    expect(problems[0]).toMatch(/^websub\.hub: /);
  });

  it('is kept when both are set', () => {
    const c = parseConfig(
      JSON.stringify({
        sources: SOURCES,
        site: { title: 'x', feedBase: 'https://x.example/' },
        websub: { hub: 'https://hub.example/' },
      }),
      AT,
    );
    expect(c.websub).toEqual({ hub: 'https://hub.example/' });
  });
});
