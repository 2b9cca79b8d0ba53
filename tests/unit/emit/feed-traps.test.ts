// Regression tests for the traps in `feed`'s XML writer (xml-js 1.6): CDATA escaping that handles only
// the first `]]>`, a text writer that turns a literal `&amp;` into `&`, attributes escaped for `"`
// only, and no removal of XML-illegal characters. Each hostile string must come back exactly (after
// the one documented cleaning: illegal characters removed, CR -> LF) from RSS, Atom and JSON Feed.
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { atomId } from '../../../src/emit/atom.js';
import { attr, cdata, text } from '../../../src/emit/feed.js';
import {
  CONTROLS_CLEAN,
  decodeHtmlEntities,
  HOSTILE,
  kid,
  kids,
  makeEntry,
  parseXml,
  SITE,
  textOf,
} from './make-entry.js';
import { cleaned, render } from './render.js';
import { xmllint, xmllintCheck } from './tools.js';

const cases = Object.entries(HOSTILE);

function hostile(s: string) {
  return makeEntry({
    entryId: `id:${s}`,
    sourceTitle: s,
    item: {
      title: s,
      summary: s,
      contentHtml: `<p>${s}</p>`,
      authors: [s],
      tags: [s],
      link: 'https://wire.example.com/a?x=1&y=2',
      image: 'https://img.example/pic.png?a=1&b=2',
    },
  });
}

describe('feed.ts escaping helpers', () => {
  it('cdata() pre-splits every `]]>` after the first, leaving the first to xml-js', () => {
    expect(cdata('a]]>b')).toBe('a]]>b');
    expect(cdata('a]]>b]]>c]]>d')).toBe('a]]>b]]]]><![CDATA[>c]]]]><![CDATA[>d');
    expect(cdata('x]]]>y]]>')).toBe('x]]]>y]]]]><![CDATA[>');
  });

  it('text() escapes every `&` so the `&amp;` -> `&` step of xml-js restores the original', () => {
    expect(text('Tom &amp; Jerry & co')).toBe('Tom &amp;amp; Jerry &amp; co');
  });

  it('attr() escapes `&` and `<`; xml-js adds `"`', () => {
    expect(attr('a&b<c"d')).toBe('a&amp;b&lt;c"d');
  });

  it('each helper strips XML-illegal characters', () => {
    expect(cdata(HOSTILE.controls)).toBe(CONTROLS_CLEAN);
    expect(text(HOSTILE.controls)).toBe(CONTROLS_CLEAN);
  });
});

describe.each(cases)('hostile %s', (_name, s) => {
  const want = cleaned(s);
  const out = render([hostile(s)], { site: { ...SITE, title: s, description: s } });

  it('RSS is well-formed and every field round-trips', async () => {
    const doc = await parseXml(out.rss);
    const channel = kid(kid(doc, 'rss'), 'channel');
    expect(textOf(kid(channel, 'title'))).toBe(want);
    expect(textOf(kid(channel, 'description'))).toBe(want);
    const item = kid(channel, 'item');
    expect(textOf(kid(item, 'title'))).toBe(want);
    expect(textOf(kid(item, 'guid'))).toBe(`id:${want}`);
    expect(textOf(kid(item, 'content:encoded'))).toBe(`<p>${want}</p>`);
    // description is an HTML slot: the plain summary is escaped once, a reader decodes it once.
    expect(decodeHtmlEntities(textOf(kid(item, 'description')))).toBe(want);
    expect(kids(item, 'category').map(textOf)).toEqual([want]);
    expect(kids(item, 'dc:creator').map(textOf)).toEqual([want]);
    expect(textOf(kid(item, 'source'))).toBe(want);
    expect(textOf(kid(item, 'link'))).toBe('https://wire.example.com/a?x=1&y=2');
    expect(kid(item, 'enclosure')?.$?.['url']).toBe('https://img.example/pic.png?a=1&b=2');
  });

  it('Atom is well-formed and every field round-trips', async () => {
    const doc = await parseXml(out.atom);
    const feed = kid(doc, 'feed');
    expect(textOf(kid(feed, 'title'))).toBe(want);
    expect(textOf(kid(feed, 'subtitle'))).toBe(want);
    const entry = kid(feed, 'entry');
    expect(textOf(kid(entry, 'title'))).toBe(want);
    expect(kid(entry, 'title')?.$?.['type']).toBe('text');
    expect(textOf(kid(entry, 'summary'))).toBe(want);
    expect(textOf(kid(entry, 'content'))).toBe(`<p>${want}</p>`);
    expect(textOf(kid(entry, 'id'))).toBe(atomId(`id:${want}`));
    expect(kids(entry, 'category').map((c) => c.$?.['term'])).toEqual([want]);
    expect(kids(entry, 'author').map((a) => textOf(kid(a, 'name')))).toEqual([want]);
  });

  it('JSON Feed round-trips', () => {
    const doc = JSON.parse(out.json);
    expect(doc.title).toBe(want);
    const [item] = doc.items;
    expect(item.id).toBe(`id:${want}`);
    expect(item.title).toBe(want);
    expect(item.summary).toBe(want);
    expect(item.content_html).toBe(`<p>${want}</p>`);
    expect(item.tags).toEqual([want]);
    expect(item.authors).toEqual([{ name: want }]);
  });

  it('index.html shows it as text, never as markup', () => {
    const $ = load(out.html);
    expect($('h1').text()).toBe(want);
    expect($('article h2').text()).toBe(want);
    expect($('title').text()).toBe(want);
    expect($('article script, header script, main b')).toHaveLength(0);
    expect($('script')).toHaveLength(0);
  });

  it.skipIf(xmllint().skip)('xmllint accepts the RSS and the Atom', () => {
    for (const xml of [out.rss, out.atom]) {
      const r = xmllintCheck(xml);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });
});

describe('regressions, one per trap', () => {
  it('content with two `]]>` stays inside one element (xml-js replaces only the first)', async () => {
    const html = '<p>a ]]> b ]]> c</p>';
    const { rss } = render([makeEntry({ item: { contentHtml: html, title: 'x ]]> y ]]> z' } })]);
    const item = kid(kid(kid(await parseXml(rss), 'rss'), 'channel'), 'item');
    expect(textOf(kid(item, 'content:encoded'))).toBe(html);
    expect(textOf(kid(item, 'title'))).toBe('x ]]> y ]]> z');
  });

  it('a title with a literal `&amp;` comes back as the five characters & a m p ;', async () => {
    const title = 'R&amp;D budget';
    const out = render([makeEntry({ entryId: 'a&amp;b', item: { title, tags: ['R&amp;D'] } })], {
      site: { ...SITE, title },
    });
    const channel = kid(kid(await parseXml(out.rss), 'rss'), 'channel');
    expect(textOf(kid(channel, 'title'))).toBe('R&amp;D budget');
    expect(textOf(kid(kid(channel, 'item'), 'title'))).toBe('R&amp;D budget');
    expect(textOf(kid(kid(channel, 'item'), 'guid'))).toBe('a&amp;b');
    expect(textOf(kid(kid(channel, 'item'), 'category'))).toBe('R&amp;D');
    const entry = kid(kid(await parseXml(out.atom), 'feed'), 'entry');
    expect(textOf(kid(entry, 'title'))).toBe('R&amp;D budget');
    expect(JSON.parse(out.json).items[0].title).toBe('R&amp;D budget');
  });

  it('U+0000 to U+001F (but tab and LF), U+FFFE, U+FFFF and lone surrogates never reach the output', () => {
    const out = render([makeEntry({ entryId: HOSTILE.controls, item: { title: HOSTILE.controls } })]);
    for (const body of Object.values(out)) {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the test
      expect(body).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\r]/);
      // No lone surrogate (String#isWellFormed is ES2024; the lib here is ES2023).
      expect(body).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
  });

  it('an image URL with `&` and quotes stays one attribute', async () => {
    const image = 'https://img.example/a.png?x=1&y="2"&z=<3>';
    const out = render([makeEntry({ item: { image } })]);
    const enc = kid(kid(kid(kid(await parseXml(out.rss), 'rss'), 'channel'), 'item'), 'enclosure');
    expect(enc?.$?.['url']).toBe(new URL(image).href);
    expect(enc?.$?.['type']).toBe('image/png');
    const links = kids(kid(kid(await parseXml(out.atom), 'feed'), 'entry'), 'link');
    expect(links.find((l) => l.$?.['rel'] === 'enclosure')?.$?.['href']).toBe(new URL(image).href);
  });
});
