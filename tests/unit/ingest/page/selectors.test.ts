// `page` sources with selectors: CSS relative to each item, `@attr`, absolute links.
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../../src/ingest/index.js';
import { nextPageUrl, parseSpec } from '../../../../src/ingest/page/index.js';
import type { PageSelectors } from '../../../../src/types.js';
import { readFixture } from '../../../helpers/fixtures.js';
import { ctx, doc, fetched } from '../build.js';

const LIST = `<!DOCTYPE html><html><head><title>Blog news</title></head><body>
<nav><a href="/">Home</a></nav>
<article class="post">
  <h2><a href="/posts/first">First &amp; foremost</a></h2>
  <time datetime="2026-01-04T10:00:00Z">4 Jan</time>
  <p class="lede">The first post.</p>
  <img src="/img/1.jpg"><span class="by">Ann</span>
</article>
<article class="post">
  <h2><a href="https://other.example/second">Second</a></h2>
  <p class="lede">The second post.</p>
</article>
<article class="post"><h2>No link here</h2></article>
</body></html>`;

const SELECT = {
  item: 'article.post',
  title: 'h2',
  link: 'h2 a@href',
  date: 'time@datetime',
  summary: 'p.lede',
  image: 'img',
  author: '.by',
};

describe('page sources', () => {
  it('reads one item per match, attributes with @, links made absolute against the page', async () => {
    const r = await ingest(
      fetched('page', [doc('https://blog.example/news', LIST, { contentType: 'text/html' })], {
        select: SELECT,
      }),
      ctx,
    );
    expect(r.items.map((i) => i.title)).toEqual(['First & foremost', 'Second', 'No link here']);
    expect(r.items[0]).toMatchObject({
      link: 'https://blog.example/posts/first',
      guid: 'https://blog.example/posts/first',
      baseUrl: 'https://blog.example/news',
      published: '2026-01-04T10:00:00Z',
      summary: 'The first post.',
      image: 'https://blog.example/img/1.jpg',
      authors: ['Ann'],
    });
    expect(r.items[2]?.link).toBeUndefined();
    expect(r.meta).toEqual({ title: 'Blog news', link: 'https://blog.example/news', format: 'html-page' });
  });

  it('caps the items at maxItems', async () => {
    const r = await ingest(
      fetched('page', [doc('https://blog.example/news', LIST)], { select: SELECT, maxItems: 1 }),
      ctx,
    );
    expect(r.items).toHaveLength(1);
    expect(r.warnings[0]?.code).toBe('MAX_ITEMS');
  });

  it('names a selector that is not valid CSS', async () => {
    const attempt = ingest(
      fetched('page', [doc('https://blog.example/news', LIST)], { select: { ...SELECT, item: 'article[' } }),
      ctx,
    );
    await expect(attempt).rejects.toThrow('select.item "article[" is not a valid CSS selector');
  });
});

describe('selector specs', () => {
  it.each([
    ['a@href', { selector: 'a', attr: 'href' }],
    ['time@datetime', { selector: 'time', attr: 'datetime' }],
    ['@href', { selector: '', attr: 'href' }],
    ['h1 a, h2 a@href', { selector: 'h1 a, h2 a', attr: 'href' }],
    ['a[href*="@"]', { selector: 'a[href*="@"]' }],
    ['img@data-src', { selector: 'img', attr: 'data-src' }],
    ['h2', { selector: 'h2' }],
  ])('%s', (spec, expected) => {
    expect(parseSpec(spec)).toEqual(expected);
  });
});

describe('reading fields', () => {
  const page = (items: string, head = '') =>
    `<!doctype html><html><head>${head}</head><body><ul>${items}</ul></body></html>`;
  const read = async (html: string, select: Partial<PageSelectors>, url = 'https://shop.example/list/') => {
    const r = await ingest(
      fetched('page', [doc(url, html)], { select: { item: 'li', title: 'h3', link: 'a', ...select } }),
      ctx,
    );
    return r;
  };

  it.each([
    [
      'a lazy data-src over a placeholder src',
      '<img src="data:image/gif;base64,R0lG" data-src="/a.jpg">',
      '/a.jpg',
    ],
    ['a spacer gif with data-original', '<img src="/img/blank.gif" data-original="/b.jpg">', '/b.jpg'],
    [
      'the widest srcset candidate when src is a placeholder',
      '<img src="/pixel.gif" srcset="/s.jpg 320w, /l.jpg 1280w, /m.jpg 640w">',
      '/l.jpg',
    ],
    ['a real src as it is', '<img src="/real.jpg" srcset="/real-2x.jpg 2x">', '/real.jpg'],
    [
      'a <picture> source when the img is empty',
      '<picture><source srcset="/p1.webp 1x, /p2.webp 2x"><img src="data:,"></picture>',
      '/p2.webp',
    ],
    ['data-srcset on a lazy img', '<img data-srcset="/d1.jpg 400w, /d2.jpg 800w">', '/d2.jpg'],
  ])('image: %s', async (_name, img, expected) => {
    const r = await read(page(`<li><h3><a href="/x">X item</a></h3><figure>${img}</figure></li>`), {
      image: 'figure',
    });
    expect(r.items[0]?.image).toBe(`https://shop.example${expected}`);
  });

  it('reads a CSS background image with @style, and img@src lazily too', async () => {
    const html = page(
      `<li><h3><a href="/x">X item</a></h3><div class="pic" style="background-image:url('/bg.jpg')"></div><img src="data:," data-src="/lazy.jpg"></li>`,
    );
    expect((await read(html, { image: '.pic@style' })).items[0]?.image).toBe('https://shop.example/bg.jpg');
    expect((await read(html, { image: 'img@src' })).items[0]?.image).toBe('https://shop.example/lazy.jpg');
  });

  it('resolves links against <base href>, and a heading link found from the title element', async () => {
    const r = await read(
      page(
        '<li><h3><a href="item-1.html">One item</a></h3></li>',
        '<base href="https://cdn.example/catalog/">',
      ),
      { link: 'h3' },
    );
    expect(r.items[0]).toMatchObject({
      link: 'https://cdn.example/catalog/item-1.html',
      baseUrl: 'https://cdn.example/catalog/',
    });
  });

  it('takes a <time> datetime for a date selector without @, and the text otherwise', async () => {
    const r = await read(
      page(
        '<li><h3><a href="/1">One item</a></h3><time datetime="2026-02-03T04:05:06Z">3 Feb</time></li>' +
          '<li><h3><a href="/2">Two item</a></h3><span class="d">4 Feb 2026</span></li>',
      ),
      { date: 'time, .d' },
    );
    // The text "4 Feb 2026" is a common printed date, handed on as ISO.
    expect(r.items.map((i) => i.published)).toEqual(['2026-02-03T04:05:06Z', '2026-02-04']);
  });

  it.each([
    ['an ordinal day', '3rd December 2026', '2026-12-03'],
    ['a time after a bar', '3 December 2026 | 12:30', '2026-12-03T12:30:00'],
    ['month first with a comma', 'Dec 3, 2026', '2026-12-03'],
    ['German, with "um" and "Uhr"', '3. Dezember 2026 um 9:15 Uhr', '2026-12-03T09:15:00'],
    ['"Posted on" before it', 'Posted on 03.12.2026', '2026-12-03'],
    [
      'not a printed date: left for normalize',
      'Tue, 03 Dec 2026 10:00:00 +0200',
      'Tue, 03 Dec 2026 10:00:00 +0200',
    ],
    ['not a date at all', 'yesterday', 'yesterday'],
  ])('without dateFormat, reads a printed date: %s', async (_name, printed, published) => {
    const r = await read(
      page(`<li><h3><a href="/1">One item</a></h3><span class="d">${printed}</span></li>`),
      {
        date: '.d',
      },
    );
    expect(r.items[0]?.published).toBe(published);
    expect(r.warnings).toEqual([]);
  });

  it("reads the machine date of a title attribute (Blogger's abbr.published, Hugo themes)", async () => {
    const r = await read(
      page(
        '<li><h3><a href="/1">One item</a></h3><abbr class="published" title="2026-03-03T10:00:00-08:00">10:00 AM</abbr></li>' +
          '<li><h3><a href="/2">Two item</a></h3><span class="published" title=\'2026-02-10 00:00:00 +0000 UTC\'>February 10, 2026</span></li>' +
          '<li><h3><a href="/3">Three item</a></h3><span class="published" title="Posted by Ann">March 1, 2026</span></li>',
      ),
      { date: '.published' },
    );
    expect(r.items.map((i) => i.published)).toEqual([
      '2026-03-03T10:00:00-08:00',
      '2026-02-10T00:00:00+00:00',
      '2026-03-01',
    ]);
    // A dateFormat for the printed dates says nothing about the machine ones.
    const patterned = await read(
      page(
        '<li><h3><a href="/2">Two item</a></h3><span class="published" title=\'2026-02-10 00:00:00 +0000 UTC\'>February 10, 2026</span></li>' +
          '<li><h3><a href="/3">Three item</a></h3><span class="published">March 1, 2026</span></li>',
      ),
      { date: '.published', dateFormat: 'MMMM D, YYYY' },
    );
    expect(patterned.items.map((i) => i.published)).toEqual(['2026-02-10T00:00:00+00:00', '2026-03-01']);
    expect(patterned.warnings).toEqual([]);
  });

  it('reads a date printed among other words, and the item\'s own text with ":scope"', async () => {
    const meta = await read(
      page(
        '<li><h3><a href="/1">One item</a></h3><div class="meta">By <a href="/ann">Ann</a> · March 3, 2026 · 4 min read</div></li>',
      ),
      { date: '.meta' },
    );
    expect(meta.items[0]?.published).toBe('2026-03-03');
    const own = await read(
      page(
        '<li><h3><a href="/2">Budget of 4 March 2026</a></h3> — 5 March 2026</li>' +
          // The item's own text holds no date: the headline's is not taken for one.
          '<li><h3><a href="/3">Budget of 6 March 2026</a></h3></li>',
      ),
      { date: ':scope' },
    );
    expect(own.items.map((i) => i.published)).toEqual(['2026-03-05', undefined]);
  });

  it("with dateFormat, matches the pattern in the item's own text, never its headline", async () => {
    const r = await read(
      page(
        '<li><h3><a href="/1">Report of 01/02/26</a></h3> posted 03/02/26</li>' +
          '<li><h3><a href="/2">Report of 04/02/26</a></h3></li>',
      ),
      { date: ':scope', dateFormat: 'DD/MM/YY' },
    );
    expect(r.items.map((i) => i.published)).toEqual(['2026-02-03', undefined]);
  });

  it('applies dateFormat, keeps an unmatched date as printed, and says so once', async () => {
    const r = await read(
      page(
        '<li><h3><a href="/1">One item</a></h3><span class="d">Am 03.02.2026 um 14:05</span></li>' +
          '<li><h3><a href="/2">Two item</a></h3><span class="d">gestern</span></li>',
      ),
      { date: '.d', dateFormat: 'DD.MM.YYYY [um] HH:mm' },
    );
    expect(r.items.map((i) => i.published)).toEqual(['2026-02-03T14:05:00', 'gestern']);
    expect(r.warnings.map((w) => w.code)).toEqual(['PAGE_DATE_FORMAT']);
    expect(r.warnings[0]?.message).toContain(
      '1 date(s) do not match select.dateFormat "DD.MM.YYYY [um] HH:mm"',
    );
  });

  it('reads selectors relative to the item with a leading combinator', async () => {
    const r = await read(
      page('<li><h3><a href="/1">Direct child title</a></h3><div><h3>Nested</h3></div></li>'),
      {
        title: '> h3',
        link: '> h3 > a@href',
      },
    );
    expect(r.items[0]).toMatchObject({ title: 'Direct child title', link: 'https://shop.example/1' });
  });

  it('warns when select.item matches nothing (a redesigned site)', async () => {
    const r = await read(page('<li><h3>x</h3></li>'), { item: '.gone' });
    expect(r.items).toEqual([]);
    expect(r.warnings[0]?.code).toBe('PAGE_NO_MATCH');
  });

  it('names the field whose selector is not valid CSS', async () => {
    await expect(read(page('<li></li>'), { date: 'time[' })).rejects.toMatchObject({
      code: 'PARSE_PAGE',
      message: expect.stringContaining('select.date "time[" is not a valid CSS selector'),
    });
  });
});

describe('the German listing with its select.json', () => {
  it('reads every item with ISO dates, absolute links, summaries and background images', async () => {
    const select = JSON.parse(readFixture('pages/div-soup-de.select.json')) as PageSelectors;
    const r = await ingest(
      fetched('page', [doc('https://hafenbote.example/aktuell/', readFixture('pages/div-soup-de.html'))], {
        select,
      }),
      ctx,
    );
    expect(r.warnings).toEqual([]);
    expect(r.items).toHaveLength(11);
    expect(r.items[0]).toMatchObject({
      title: 'Neue Fährverbindung nach Gotland ab März',
      link: 'https://hafenbote.example/aktuell/meldung-1000.html',
      published: '2026-03-12T14:30:00',
      summary: 'Ab März fährt die Reederei zweimal täglich nach Visby.',
      image: 'https://hafenbote.example/bilder/meldung-1000.jpg',
    });
    expect(r.items.map((i) => i.published).slice(5, 8)).toEqual([
      '2025-12-22T16:20:00',
      '2025-12-17T10:40:00',
      '2025-12-01T08:00:00',
    ]);
    // The "related" box uses the same classes but sits outside .list.
    expect(r.items.some((i) => i.link?.includes('/alt/'))).toBe(false);
  });
});

describe('next page', () => {
  it.each([
    [
      'select.next',
      '<a class="older" href="page-2.html">Older</a>',
      'a.older@href',
      'https://q.example/archive/page-2.html',
    ],
    ['<link rel="next">', '<link rel="next" href="/archive/2">', undefined, 'https://q.example/archive/2'],
    [
      '<a rel="next">',
      '<a rel="prev" href="?p=0">Back</a><a rel="next" href="?p=2">More</a>',
      undefined,
      'https://q.example/archive/?p=2',
    ],
    ['none', '<a href="/about">About</a>', undefined, undefined],
    [
      'WordPress pagination without rel',
      '<nav class="navigation pagination"><div class="nav-links"><span class="page-numbers current">1</span><a class="page-numbers" href="/archive/page/2/">2</a><a class="next page-numbers" href="/archive/page/2/">Older posts</a></div></nav>',
      undefined,
      'https://q.example/archive/page/2/',
    ],
    [
      'an older-posts link in a paging box',
      '<div class="posts-navigation"><div class="nav-previous"><a href="/archive/page/2/">Older posts</a></div></div>',
      undefined,
      'https://q.example/archive/page/2/',
    ],
    [
      'a pager whose next link is an arrow',
      '<ul class="pager"><li><a href="?page=0">« Newer</a></li><li><a href="?page=2" aria-label="Next page">»</a></li></ul>',
      undefined,
      'https://q.example/archive/?page=2',
    ],
    [
      'not a "Next" link outside pagination, nor "Newer" inside it',
      '<a class="next" href="/slides/2">Next</a><nav class="pagination"><a href="?p=0">Newer posts</a></nav>',
      undefined,
      undefined,
    ],
  ])('%s', (_name, html, spec, expected) => {
    expect(nextPageUrl(doc('https://q.example/archive/', `<html><body>${html}</body></html>`), spec)).toBe(
      expected,
    );
  });
});
