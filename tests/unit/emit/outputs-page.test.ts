// Issue 6 in emit: the root page's list of every output, the up link of the other pages, WebSub
// links in every format, per-output language and icon, and feeds.opml.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { type OutputListing, renderFeedsOpml } from '../../../src/emit/index.js';
import { FEEDS_OPML_FILE } from '../../../src/emit/policy.js';
import { FIXTURES } from '../../helpers/fixtures.js';
import { validate } from './json-schema-lite.js';
import { makeEntry, makeOutput, SITE } from './make-entry.js';
import { render } from './render.js';
import { xmllint, xmllintCheck } from './tools.js';

const LISTINGS: OutputListing[] = [
  { name: 'all', title: 'World Desk', prefix: '', formats: ['rss', 'atom', 'json'], children: [] },
  {
    name: 'asia',
    title: 'Asia & Pacific',
    description: 'Only Asia',
    prefix: 'asia/',
    formats: ['atom'],
    children: [],
  },
  {
    name: 'by',
    title: 'By source',
    prefix: 'by/',
    formats: ['rss', 'json'],
    children: [
      { name: 'wire', title: 'By source: Wire', prefix: 'by/wire/', formats: ['rss', 'json'], children: [] },
    ],
  },
];
const { feedBase: _, ...NO_BASE } = SITE;
const entries = [makeEntry()];

describe('the root index.html', () => {
  const $ = load(render(entries, { outputs: LISTINGS }).html);

  it('lists every output with its page, its formats and their public URLs', () => {
    const nav = $('nav.all');
    expect(nav.find('h2').text()).toBe('All feeds');
    expect(
      nav
        .find('> ul > li > h3 a')
        .toArray()
        .map((a) => [$(a).text(), $(a).attr('href')]),
    ).toEqual([
      ['World Desk', 'index.html'],
      ['Asia & Pacific', 'asia/index.html'],
      ['By source', 'by/index.html'],
    ]);
    const asia = nav.find('> ul > li').eq(1);
    expect(asia.find('.muted').text()).toBe('Only Asia');
    expect(asia.find('.feeds a').attr('href')).toBe('https://news.example.org/feeds/asia/atom.xml');
    expect(asia.find('code.url').text()).toBe('https://news.example.org/feeds/asia/atom.xml');
    const per = nav.find('details');
    expect(per.find('summary').text()).toBe('One feed per source (1)');
    expect(
      per
        .find('a')
        .toArray()
        .map((a) => $(a).attr('href')),
    ).toEqual([
      'by/wire/index.html',
      'https://news.example.org/feeds/by/wire/feed.xml',
      'https://news.example.org/feeds/by/wire/feed.json',
    ]);
  });

  it('announces every feed of every output for autodiscovery, its own first, each once', () => {
    const hrefs = $('link[rel=alternate]')
      .toArray()
      .map((l) => $(l).attr('href'));
    expect(hrefs).toEqual([
      'https://news.example.org/feeds/feed.xml',
      'https://news.example.org/feeds/atom.xml',
      'https://news.example.org/feeds/feed.json',
      'https://news.example.org/feeds/asia/atom.xml',
      'https://news.example.org/feeds/by/feed.xml',
      'https://news.example.org/feeds/by/feed.json',
      'https://news.example.org/feeds/by/wire/feed.xml',
      'https://news.example.org/feeds/by/wire/feed.json',
    ]);
    expect($('link[rel=alternate]').eq(3).attr('title')).toBe('Asia & Pacific (Atom)');
  });

  it('links relatively and shows no URL to copy without feedBase', () => {
    const $$ = load(render(entries, { site: NO_BASE, outputs: LISTINGS }).html);
    expect($$('nav.all code').length).toBe(0);
    expect($$('nav.all > ul > li').eq(1).find('.feeds a').attr('href')).toBe('asia/atom.xml');
    expect($$('link[rel=alternate]').eq(3).attr('href')).toBe('asia/atom.xml');
    expect($$('header .feeds code').length).toBe(0);
  });

  it('has one h1, headings in order, and no script', () => {
    const levels = $('h1, h2, h3, h4')
      .toArray()
      .map((h) => Number(h.tagName.slice(1)));
    expect(levels.filter((l) => l === 1)).toHaveLength(1);
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++)
      expect((levels[i] ?? 0) - (levels[i - 1] ?? 0)).toBeLessThanOrEqual(1);
    expect($('script').length).toBe(0);
  });
});

describe('the other pages', () => {
  it.each([
    ['asia/', '../index.html'],
    ['by/wire/', '../../index.html'],
  ])('in %s link up to the root page (%s) and list no outputs', (prefix, home) => {
    const $ = load(render(entries, { prefix, outputs: LISTINGS }).html);
    expect($('header .up a').attr('href')).toBe(home);
    expect($('nav.all').length).toBe(0);
  });
});

describe('language and icon per output', () => {
  it('overrides the site language and icon', () => {
    const out = render(entries, {
      site: { ...SITE, icon: 'https://news.example.org/site.png' },
      output: makeOutput({ language: 'de-CH', icon: 'https://news.example.org/de.png' }),
    });
    expect(out.html).toContain('<html lang="de-CH">');
    expect(out.rss).toContain('<language>de-CH</language>');
    expect(out.atom).toContain('xml:lang="de-CH"');
    expect(out.atom).toContain('<icon>https://news.example.org/de.png</icon>');
    expect(JSON.parse(out.json)).toMatchObject({
      language: 'de-CH',
      icon: 'https://news.example.org/de.png',
    });
  });
});

describe('WebSub links', () => {
  const hub = 'https://hub.example/?a=1&b=2';

  it('name the hub beside the self link in RSS, Atom and JSON Feed', () => {
    const out = render(entries, { hub });
    const rss = load(out.rss, { xml: true });
    expect(rss('channel > atom\\:link[rel=hub]').attr('href')).toBe(hub);
    expect(rss('channel > atom\\:link[rel=self]').attr('href')).toBe(
      'https://news.example.org/feeds/feed.xml',
    );
    expect(out.rss).toContain('href="https://hub.example/?a=1&amp;b=2"');
    const atom = load(out.atom, { xml: true });
    expect(atom('feed > link[rel=hub]').attr('href')).toBe(hub);
    expect(atom('feed > link[rel=self]').attr('href')).toBe('https://news.example.org/feeds/atom.xml');
    expect(JSON.parse(out.json).hubs).toEqual([{ type: 'WebSub', url: hub }]);
  });

  it('are left out without a public self link (no feedBase)', () => {
    const out = render(entries, { hub, site: NO_BASE });
    expect(out.rss).not.toContain('rel="hub"');
    expect(out.atom).not.toContain('rel="hub"');
    expect(JSON.parse(out.json).hubs).toBeUndefined();
  });

  it.skipIf(xmllint().skip)('keep RSS well-formed and Atom valid against RFC 4287', () => {
    const out = render(entries, { hub });
    expect(xmllintCheck(out.rss).status).toBe(0);
    const atom = xmllintCheck(out.atom, join(FIXTURES, '..', 'schemas', 'atom.rng'));
    expect(atom.status, atom.stderr).toBe(0);
  });

  it('keep JSON Feed valid against the 1.1 schema', () => {
    const schema = JSON.parse(
      readFileSync(join(FIXTURES, '..', 'schemas', 'jsonfeed-1.1.schema.json'), 'utf8'),
    );
    expect(validate(schema, JSON.parse(render(entries, { hub }).json))).toEqual([]);
  });
});

describe('feeds.opml', () => {
  it('lists one subscription per output and per-source feeds in a folder', () => {
    const file = renderFeedsOpml(SITE, LISTINGS);
    expect(file.path).toBe(FEEDS_OPML_FILE);
    expect(file.contentType).toBe('text/x-opml; charset=utf-8');
    const $ = load(file.body, { xml: true });
    const rows = $('body outline[xmlUrl]')
      .toArray()
      .map((o) => [$(o).attr('text'), $(o).attr('type'), $(o).attr('xmlUrl'), $(o).attr('htmlUrl')]);
    expect(rows).toEqual([
      [
        'World Desk',
        'rss',
        'https://news.example.org/feeds/feed.xml',
        'https://news.example.org/feeds/index.html',
      ],
      [
        'Asia & Pacific',
        'rss',
        'https://news.example.org/feeds/asia/atom.xml',
        'https://news.example.org/feeds/asia/index.html',
      ],
      [
        'By source',
        'rss',
        'https://news.example.org/feeds/by/feed.xml',
        'https://news.example.org/feeds/by/index.html',
      ],
      [
        'By source: Wire',
        'rss',
        'https://news.example.org/feeds/by/wire/feed.xml',
        'https://news.example.org/feeds/by/wire/index.html',
      ],
    ]);
    expect($('body > outline').eq(3).attr('text')).toBe('By source: per source');
    expect($('body > outline').eq(3).attr('xmlUrl')).toBeUndefined();
  });

  it('uses paths relative to output/ without feedBase, and renders the same bytes every time', () => {
    const a = renderFeedsOpml(NO_BASE, LISTINGS).body;
    expect(a).toContain('xmlUrl="asia/atom.xml"');
    expect(renderFeedsOpml(NO_BASE, LISTINGS).body).toBe(a);
  });

  it.skipIf(xmllint().skip)('is well-formed XML', () => {
    expect(xmllintCheck(renderFeedsOpml(SITE, LISTINGS).body).status).toBe(0);
  });
});
