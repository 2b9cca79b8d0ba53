// Reading readers' OPML exports (tests/fixtures/opml: Feedly, Inoreader, NetNewsWire, an old tool
// with upper-case attributes) and planning the import against an existing sources.json.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import { applyImport, feedUrl, parseOpml, planImport } from '../../../src/config/opml.js';
import { FIXTURES } from '../../helpers/fixtures.js';

const opml = (name: string): string => readFileSync(join(FIXTURES, 'opml', name), 'utf8');

describe('parseOpml', () => {
  it('reads a Feedly export: category outlines become tags, entities decoded', () => {
    const list = parseOpml(opml('feedly.opml'), 'feedly.opml');
    expect(list.title).toBe('Reader subscriptions in feedly Cloud');
    expect(list.feeds.map((f) => [f.url, f.title, f.tags])).toEqual([
      ['https://feeds.arstechnica.example/arstechnica/index', 'Ars Technica', ['tech-news']],
      ['https://www.theverge.example/rss/index.xml', 'The Verge - All Posts', ['tech-news']],
      ['http://feeds.bbci.example/news/world/rss.xml?edition=uk&x=1', 'BBC News - World', ['world']],
      ['https://feeds.arstechnica.example/arstechnica/index', 'Ars Technica', ['world']],
    ]);
    expect(list.feeds[2]?.where).toBe('body/outline[2]/outline[1]');
    expect(list.problems).toEqual([]);
  });

  it('reads an Inoreader export and reports a link outline as not a feed', () => {
    const list = parseOpml(opml('inoreader.xml'), 'inoreader.xml');
    expect(list.feeds.map((f) => [f.url, f.tags])).toEqual([
      ['https://www.nature.example/nature.rss', ['science']],
      ['https://api.quantamagazine.example/feed/', ['science']],
      ['https://jvns.example/atom.xml', ['blogs-—-ünïcode']],
    ]);
    expect(list.problems).toEqual([]);
  });

  it('reads NetNewsWire folders nested two deep, and top-level feeds without tags', () => {
    const list = parseOpml(opml('netnewswire.opml'), 'netnewswire.opml');
    expect(list.feeds.map((f) => [f.title, f.tags])).toEqual([
      ['Daring Fireball', []],
      ['Six Colors', ['apple']],
      ['Swift.org', ['apple', 'dev']],
      ['JSON only', []],
    ]);
  });

  it('matches attribute names in any case and reports unusable URLs with where they were', () => {
    const list = parseOpml(opml('mixed-case.opml'), 'mixed-case.opml');
    expect(list.feeds.map((f) => [f.url, f.title, f.tags])).toEqual([
      ['https://harbor.example.com/rss.xml', 'Harbor', ['local']],
      ['http://science.example.org/atom.xml', 'No title attr, text only', ['local']],
      ['https://culture.example.net/feed.json', 'Feed scheme https', ['local']],
      ['https://amp.example/rss?a=1&b=2', 'Bare ampersand', ['local']],
    ]);
    expect(list.feeds[0]?.htmlUrl).toBe('https://harbor.example.com/');
    expect(list.problems.map((p) => p.where)).toEqual([
      'body/outline[1]/outline[4]',
      'body/outline[1]/outline[5]',
      'body/outline[1]/outline[6]',
    ]);
    expect(list.problems[0]?.message).toBe('"Broken": xmlUrl "not a url" is not an http(s) URL; skipped');
  });

  it.each([
    ['an HTML page', '<html><body><a href="x">x</a></body></html>'],
    ['JSON', '{"sources": []}'],
    ['OPML without body', '<opml version="2.0"><head/></opml>'],
  ])('refuses %s as not OPML', (_, text) => {
    expect(() => parseOpml(text, 'x.opml')).toThrow(/x\.opml: not an OPML file/);
  });

  it('never expands DOCTYPE entities', () => {
    const text =
      '<!DOCTYPE opml [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;">]><opml><body>' +
      '<outline type="rss" text="&b;" xmlUrl="https://x.example/rss"/></body></opml>';
    const list = parseOpml(text, 'x.opml');
    expect(list.feeds[0]?.title ?? '').not.toContain('AAAA');
  });
});

describe('feedUrl', () => {
  it.each([
    ['https://x.example/rss', 'https://x.example/rss'],
    ['  https://x.example/rss  ', 'https://x.example/rss'],
    ['feed://x.example/rss', 'http://x.example/rss'],
    ['FEED:https://x.example/rss', 'https://x.example/rss'],
    ['javascript:alert(1)', undefined],
    ['ftp://x.example/rss', undefined],
    ['/relative/rss.xml', undefined],
  ])('%s -> %s', (raw, expected) => {
    expect(feedUrl(raw)).toBe(expected);
  });
});

describe('planImport and applyImport', () => {
  const existing = `{
  "sources": [
    { "id": "ars", "kind": "feed", "url": "https://feeds.arstechnica.example/arstechnica/index", "tags": ["tech"] },
    { "id": "theverge.example", "kind": "feed", "url": "https://other.example/rss" }
  ]
}
`;
  const config = parseConfig(existing, '/p/sources.json');

  it('skips URLs already present or listed twice, picks free ids, adds extra tags', () => {
    const plan = planImport(parseOpml(opml('feedly.opml'), 'f'), config, ['imported']);
    expect(plan.add.map((s) => [s.id, s.url, s.tags])).toEqual([
      // theverge.example is taken: the host-and-path id instead.
      [
        'theverge.example-rss-index.xml',
        'https://www.theverge.example/rss/index.xml',
        ['tech-news', 'imported'],
      ],
      [
        'feeds.bbci.example',
        'http://feeds.bbci.example/news/world/rss.xml?edition=uk&x=1',
        ['world', 'imported'],
      ],
    ]);
    expect(plan.skipped.map((s) => [s.where, s.reason])).toEqual([
      ['body/outline[1]/outline[1]', expect.stringContaining('sources[0] ("ars") already reads')],
      ['body/outline[2]/outline[2]', 'listed again (first at body/outline[1]/outline[1])'],
    ]);
  });

  it('appends in the style of the file and keeps every other byte', () => {
    const plan = planImport(parseOpml(opml('feedly.opml'), 'f'), config);
    const next = applyImport(existing, plan, '/p/sources.json');
    expect(next.startsWith(existing.slice(0, existing.lastIndexOf('}\n  ]') + 1))).toBe(true);
    expect(next).toContain(
      '{ "id": "feeds.bbci.example", "kind": "feed", "url": "http://feeds.bbci.example/news/world/rss.xml?edition=uk&x=1", "title": "BBC News - World", "tags": ["world"] }',
    );
    expect(parseConfig(next, '/p/sources.json').sources.map((s) => s.id)).toEqual([
      'ars',
      'theverge.example',
      'theverge.example-rss-index.xml',
      'feeds.bbci.example',
    ]);
  });

  it('numbers ids when host and path are both taken', () => {
    const text =
      '<opml><body><outline xmlUrl="https://a.example/x"/><outline xmlUrl="https://a.example/x?y"/><outline xmlUrl="https://www.a.example/x"/></body></opml>';
    const plan = planImport(parseOpml(text, 'f'), parseConfig('{"sources": []}', '/p/s.json'));
    expect(plan.add.map((s) => s.id)).toEqual(['a.example', 'a.example-x-y', 'a.example-x']);
  });
});
