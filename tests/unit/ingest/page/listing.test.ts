// Listing detection without selectors: each fixture page says which method must find its items, how
// many, and which page furniture must stay out; the whole listing is kept as a golden file beside it.
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../../src/ingest/index.js';
import {
  detectListings,
  type Listing,
  type ListingMethod,
  pageBase,
  usableItems,
} from '../../../../src/ingest/page/index.js';
import { readFixture } from '../../../helpers/fixtures.js';
import { ctx, doc, fetched } from '../build.js';

const PAGE_URL = 'https://gazette.example/list/';

function detect(html: string, url = PAGE_URL): Listing[] {
  const $ = cheerio.load(html);
  return detectListings($, pageBase($, url));
}

interface Case {
  readonly method: ListingMethod;
  readonly items: number;
  readonly first: string;
  /** Links that are page furniture (menus, most-read, related, comments) and must not be items. */
  readonly notLinks: readonly string[];
  readonly select?: Record<string, string>;
}

const CASES: Record<string, Case> = {
  'jsonld-itemlist.html': {
    method: 'json-ld',
    items: 12,
    first: 'Harbour authority approves new ferry terminal',
    notLinks: ['https://gazette.example/', 'https://gazette.example/news/'],
  },
  'h-entry-blog.html': {
    method: 'h-entry',
    items: 11,
    first: 'Sourdough, week three',
    notLinks: ['https://gazette.example/comment/1', 'https://gazette.example/'],
    select: {
      item: '.h-entry:not(.h-entry .h-entry)',
      title: '.p-name',
      link: '.u-url@href',
      date: '.dt-published@datetime',
      summary: '.p-summary',
      author: '.p-author',
    },
  },
  'articles.html': {
    method: 'article',
    items: 11,
    first: 'Harbour authority approves new ferry terminal',
    notLinks: ['https://gazette.example/news/most-read-one'],
    select: {
      item: 'section.stream article',
      title: 'h1, h2, h3, h4',
      link: 'h1 a, h2 a, h3 a, h4 a@href',
      date: 'time@datetime',
      summary: 'p',
      author: 'span.byline',
    },
  },
  'div-soup-de.html': {
    method: 'repeated-blocks',
    items: 11,
    first: 'Neue Fährverbindung nach Gotland ab März',
    notLinks: ['https://hafenbote.example/alt/1.html', 'https://hafenbote.example/sport/'],
    select: {
      item: 'div.list > div.item',
      title: 'h3.item-title',
      link: 'h3 a@href',
      date: 'span.item-date',
      summary: 'div.item-text',
      image: 'div.item-image@style',
    },
  },
  // The card's first link is its category: the item link is the one around the heading.
  'cards-category-first.html': {
    method: 'article',
    items: 4,
    first: 'Parliament passes the new housing bill',
    notLinks: [
      'https://gazette.example/category/politics/',
      'https://gazette.example/category/economy/',
      'https://gazette.example/tag/climate/',
    ],
    select: {
      item: 'article',
      title: 'h1, h2, h3, h4',
      link: 'a:has(h1, h2, h3, h4)@href',
      date: 'time@datetime',
      summary: 'p.card-excerpt',
    },
  },
  // Each card is itself the link: <a class="card"> around a heading, teaser and date.
  'card-grid-links.html': {
    method: 'repeated-blocks',
    items: 4,
    first: 'Glacier retreat doubles in a decade',
    notLinks: ['https://gazette.example/subscribe/', 'https://gazette.example/2026/11/01/rare-coin.html'],
    select: {
      item: 'div.grid > a.card',
      title: 'h3.card__title',
      link: '@href',
      date: 'span.card__date',
      summary: 'p.card__teaser',
      image: 'img',
    },
  },
  // WordPress "Continue reading" links carry the title again for screen readers: never a summary.
  'wordpress-more-link.html': {
    method: 'article',
    items: 3,
    first: 'Harbour bridge reopens after two-year repair',
    notLinks: ['https://quayside.example/category/harbour/', 'https://quayside.example/page/2/'],
    select: {
      item: 'article',
      title: 'h1, h2, h3, h4',
      link: 'h1 a, h2 a, h3 a, h4 a@href',
      date: 'time.entry-date.published@datetime',
      summary: 'p',
    },
  },
  // Each entry starts with its author's h-card (avatar, name, homepage): none of those are the entry's.
  'h-entry-author-card.html': {
    method: 'h-entry',
    items: 4,
    first: 'Notes on the winter solstice walk',
    notLinks: ['https://ann.example/', 'https://gazette.example/'],
    select: {
      item: '.h-entry:not(.h-entry .h-entry)',
      title: '.p-name:not(.h-entry .h-card .p-name)',
      link: '.u-url:not(.h-entry .h-card .u-url)@href',
      date: '.dt-published@datetime',
      summary: '.p-summary',
      author: '.p-author',
      image: '.u-photo:not(.h-entry .h-card .u-photo), .u-featured',
    },
  },
  // Dates printed as bare text, each theme its own way; a headline with a year in it is no date.
  'jekyll-minima.html': {
    method: 'repeated-blocks',
    items: 4,
    first: 'Error handling in Rust, revisited',
    notLinks: ['https://gazette.example/about/', 'https://gazette.example/feed.xml'],
    select: { item: 'ul.post-list > li', title: 'h3', link: 'a.post-link@href', date: 'span.post-meta' },
  },
  'drupal-views.html': {
    method: 'repeated-blocks',
    items: 3,
    first: 'New ferry timetable adds 40 weekly crossings',
    notLinks: ['https://gazette.example/about/', 'https://gazette.example/privacy/'],
    select: {
      item: 'div.view-content > div.views-row',
      title: 'a',
      link: 'a@href',
      date: 'div.views-field.views-field-created',
      summary: 'div.views-field.views-field-body',
    },
  },
  'hugo-plain-list.html': {
    method: 'repeated-blocks',
    items: 4,
    first: 'Comptime in Zig is not a macro system',
    notLinks: ['https://gohugo.io/', 'https://gazette.example/posts/'],
    select: { item: 'ul > li', title: 'a', link: 'a@href', date: 'span' },
  },
  // The date is a bare text node of the card: read from the card's own text (`:scope`).
  'bare-date-list.html': {
    method: 'repeated-blocks',
    items: 5,
    first: 'Rewriting the parser in a weekend',
    notLinks: ['https://gazette.example/about/', 'https://gazette.example/feed.xml'],
    select: { item: 'ul.posts > li', title: 'a', link: 'a@href', date: ':scope' },
  },
  // A section front's own list, then a larger "Recommended for you" box of the same cards.
  'section-front-recommended.html': {
    method: 'repeated-blocks',
    items: 3,
    first: 'Glacier retreat doubles in a decade',
    notLinks: ['https://gazette.example/travel/harbour-walks', 'https://gazette.example/culture/festival'],
    select: {
      item: 'main > div.list > div.teaser',
      title: 'h3',
      link: 'h3 a@href',
      date: 'time@datetime',
      summary: 'p',
    },
  },
  'hugo-papermod.html': {
    method: 'article',
    items: 3,
    first: 'Comptime is not a macro system',
    notLinks: ['https://zig.example/posts/page/2/', 'https://gohugo.io/'],
    select: {
      item: 'article',
      title: 'h2.entry-hint-parent',
      link: 'a.entry-link@href',
      date: 'span',
      summary: 'p',
    },
  },
  'substack-archive.html': {
    method: 'repeated-blocks',
    items: 3,
    first: 'The bridge, reopened',
    notLinks: ['https://substack.com/@ann', 'https://gazette.example/subscribe'],
  },
  'section-front-lead.html': {
    method: 'repeated-blocks',
    items: 5,
    first: 'Summit ends with a deal on shipping lanes',
    notLinks: ['https://gazette.example/world/', 'https://gazette.example/privacy/'],
    select: {
      item: 'div.grid > div.grid__item, div.lead-story',
      title: 'h3.story-card__headline, h2.lead-story__headline',
      link: 'a.story-card, a.lead-story__link@href',
      date: 'span.story-card__time, span.lead-story__time',
      image: 'img.story-card__img, img.lead-story__img',
    },
  },
  'blogger-classic.html': {
    method: 'repeated-blocks',
    items: 3,
    first: 'The lighthouse loop in March',
    notLinks: ['https://walks.example/', 'https://gazette.example/'],
  },
  'bare-date-cards.html': {
    method: 'repeated-blocks',
    items: 4,
    first: 'Shipping the new editor',
    notLinks: ['https://gazette.example/careers/', 'https://gazette.example/contact/'],
    select: { item: 'main > div.post', title: 'h2', link: 'h2 a@href', date: ':scope', summary: 'p' },
  },
};

describe('listing detection on fixture pages', () => {
  it.each(Object.keys(CASES))('%s', async (name) => {
    const want = CASES[name] as Case;
    const [best] = detect(readFixture(`pages/${name}`));
    expect(best?.method).toBe(want.method);
    const items = usableItems(best?.items ?? [], PAGE_URL);
    expect(items).toHaveLength(want.items);
    expect(items[0]?.title).toBe(want.first);
    for (const i of items) expect(i.link).toMatch(/^https:\/\//);
    const links = items.map((i) => i.link);
    for (const l of want.notLinks) expect(links).not.toContain(l);
    if (want.select) expect(best?.select).toEqual(want.select);
    await expect(`${JSON.stringify(best, null, 2)}\n`).toMatchFileSnapshot(
      `../../../fixtures/pages/${name}.expected.json`,
    );
  });

  it('reads JSON-LD in position order and names bare ListItem URLs from the page links', () => {
    const [best] = detect(readFixture('pages/jsonld-itemlist.html'));
    const items = best?.items ?? [];
    expect(items.map((i) => i.link?.replace('https://gazette.example/news/', '')).slice(0, 4)).toEqual([
      'harbour-ferry-terminal',
      'night-trains-coastal-line',
      'council-budget-delay',
      'storm-warning-islands',
    ]);
    // position 4 is a bare { url }: its title is the link text of the tile pointing at it
    expect(items[3]).toEqual({
      link: 'https://gazette.example/news/storm-warning-islands',
      title: 'Storm warning for the northern islands',
    });
    expect(items[0]).toMatchObject({
      date: '2026-10-02T08:15:00+02:00',
      image: 'https://gazette.example/img/harbour-ferry-terminal.jpg',
      author: 'Mara Lind',
    });
    expect(items[1]?.image).toBe('https://cdn.gazette.example/night-trains-coastal-line-1200.jpg');
  });
});

describe('listing detection rules', () => {
  const wrap = (body: string, head = '') =>
    `<!doctype html><html><head><title>t</title>${head}</head><body>${body}</body></html>`;
  const ld = (o: unknown) => `<script type="application/ld+json">${JSON.stringify(o)}</script>`;

  it.each([
    [
      '@graph of BlogPosting',
      {
        '@context': 'https://schema.org',
        '@graph': [
          { '@type': 'WebSite', name: 'x', url: 'https://b.example/' },
          {
            '@type': 'BlogPosting',
            headline: 'One',
            url: 'https://b.example/1',
            datePublished: '2026-01-01',
          },
          {
            '@type': 'BlogPosting',
            headline: 'Two',
            url: 'https://b.example/2',
            datePublished: '2026-01-02',
          },
        ],
      },
    ],
    [
      'a top-level array of NewsArticle',
      [
        { '@type': 'NewsArticle', headline: 'One', mainEntityOfPage: { '@id': 'https://b.example/1' } },
        { '@type': 'NewsArticle', headline: 'Two', mainEntityOfPage: 'https://b.example/2' },
      ],
    ],
    [
      'Blog.blogPost',
      {
        '@type': 'Blog',
        blogPost: [
          { '@type': 'BlogPosting', name: 'One', url: '/1' },
          { '@type': 'BlogPosting', name: 'Two', url: '/2' },
        ],
      },
    ],
    [
      'ItemList with item as a URL string',
      {
        '@type': 'ItemList',
        itemListElement: [
          { '@type': 'ListItem', position: 2, item: 'https://b.example/2', name: 'Two' },
          { '@type': 'ListItem', position: 1, item: 'https://b.example/1', name: 'One' },
        ],
      },
    ],
  ])('JSON-LD: %s', (_name, data) => {
    const [best] = detect(wrap('<p>hi</p>', ld(data)), 'https://b.example/blog/');
    expect(best?.method).toBe('json-ld');
    expect(best?.items.map((i) => [i.title, i.link])).toEqual([
      ['One', 'https://b.example/1'],
      ['Two', 'https://b.example/2'],
    ]);
  });

  it("does not take an article page's own JSON-LD (or broken JSON-LD) for a listing", () => {
    const page = wrap(
      '<article><h1>Bridge reopens</h1><p>Text.</p></article>',
      ld({ '@type': 'NewsArticle', headline: 'Bridge reopens', url: 'https://b.example/bridge' }) +
        '<script type="application/ld+json">{ not json</script>',
    );
    expect(detect(page, 'https://b.example/bridge')).toEqual([]);
  });

  it('finds nothing on a page of navigation, footer links and one paragraph', () => {
    const nav = Array.from({ length: 8 }, (_, i) => `<li><a href="/s${i}">Section number ${i}</a></li>`).join(
      '',
    );
    const page = wrap(
      `<header><nav><ul>${nav}</ul></nav></header><main><h1>About us</h1><p>We are a small team.</p></main>` +
        `<footer><ul>${nav}</ul></footer>`,
    );
    expect(detect(page)).toEqual([]);
  });

  it('skips a "related" box and a tag cloud of the same shape as the items', () => {
    const card = (i: number, cls: string) =>
      `<div class="card"><h3><a href="/${cls}/${i}">A ${cls} story number ${i}</a></h3><time datetime="2026-01-0${i}">x</time></div>`;
    const page = wrap(
      `<div class="cards">${[1, 2, 3, 4].map((i) => card(i, 'main')).join('')}</div>` +
        `<div class="related"><div class="cards">${[1, 2, 3, 4, 5].map((i) => card(i, 'rel')).join('')}</div></div>`,
    );
    const [best] = detect(page);
    expect(best?.method).toBe('repeated-blocks');
    expect(best?.items.map((i) => i.link)).toEqual(
      [1, 2, 3, 4].map((i) => `https://gazette.example/main/${i}`),
    );
    // The selector itself keeps the related box out, so a run reads the same four.
    expect(best?.select?.item).not.toBe('div.cards > div.card');
  });

  it('finds no listing on an article page whose only cards are "Read next" and "More from" boxes', () => {
    const page = readFixture('pages/article-more-from.html');
    expect(detect(page, 'https://gazette.example/news/bridge-reopens')).toEqual([]);
  });

  it('finds no listing on an article page whose story is one <article> among teaser <article>s', () => {
    expect(detect(readFixture('pages/article-among-teasers.html'))).toEqual([]);
  });

  it.each([
    ['More from The Gazette'],
    ['Related'],
    ['Related stories:'],
    ['Recommended for you'],
    ['Popular'],
    ['Most read'],
    ['Trending now'],
    ['Read next →'],
    ['You may also like'],
  ])('skips a box of cards headed "%s"', (label) => {
    const card = (i: number, path: string) =>
      `<div class="card"><h3><a href="/${path}/${i}">A ${path} story number ${i}</a></h3><p>What happened in ${path} story ${i}.</p></div>`;
    const cards = (path: string, n: number) =>
      Array.from({ length: n }, (_, i) => card(i + 1, path)).join('');
    const page = wrap(
      `<main><h1>News</h1><div class="cards">${cards('main', 3)}</div>` +
        `<section><h2>${label}</h2><div class="cards">${cards('box', 6)}</div></section></main>`,
    );
    const [best] = detect(page);
    expect(best?.items.map((i) => i.link)).toEqual([1, 2, 3].map((i) => `https://gazette.example/main/${i}`));
  });

  it('reads the links of a section front as the browser would: <base href>, "//host", "../"', () => {
    const [best] = detect(readFixture('pages/section-front-lead.html'));
    expect(best?.items.map((i) => [i.link, i.image])).toEqual([
      [
        'https://gazette.example/section/world/2025/03/03/summit-ends',
        'https://img.ledger.example/summit-1600.jpg',
      ],
      ['https://gazette.example/world/2025/03/03/grain', 'https://img.ledger.example/grain-640.jpg'],
      ['https://ledger.example/world/2025/03/03/ports', 'https://img.ledger.example/ports-640.jpg'],
      [
        'https://gazette.example/world/2025/03/02/fleet?ref=front',
        'https://img.ledger.example/fleet-640.jpg',
      ],
      ['https://gazette.example/section/world/2025/03/02/canal', 'https://img.ledger.example/canal-640.jpg'],
    ]);
  });

  it('takes no lead card that is a section heading, smaller than the grid, or furniture', () => {
    const grid = `<div class="grid">${[1, 2, 3]
      .map(
        (i) =>
          `<div class="item"><img src="/i/${i}.jpg"><h3><a href="/world/s${i}">World story number ${i}</a></h3></div>`,
      )
      .join('')}</div>`;
    for (const before of [
      '<div class="head"><h2><a href="/world/">World news today</a></h2><p>All the news from around the world today.</p></div>',
      '<div class="lead"><img src="/i/l.jpg"><h4><a href="/world/small">A smaller story than the rest</a></h4></div>',
      '<div class="promo-share"><img src="/i/p.jpg"><h2><a href="/subscribe">Subscribe to the daily paper</a></h2></div>',
    ]) {
      const [best] = detect(wrap(`<main>${before}${grid}</main>`));
      expect(best?.items.map((i) => i.link)).toEqual(
        [1, 2, 3].map((i) => `https://gazette.example/world/s${i}`),
      );
    }
  });

  it('prefers the cards inside <main> to more of the same kind outside it', () => {
    const card = (i: number, path: string) =>
      `<div class="teaser"><h3><a href="/${path}/${i}">A ${path} story number ${i}</a></h3><p>What happened in ${path} story ${i}.</p></div>`;
    const cards = (path: string, n: number) =>
      Array.from({ length: n }, (_, i) => card(i + 1, path)).join('');
    // The same cards split between <main> and a promotion after it; then a bigger grid of another kind.
    const split = wrap(
      `<main><div class="list">${cards('main', 3)}</div></main><div class="promo"><div class="list">${cards('promo', 5)}</div></div>`,
    );
    expect(detect(split)[0]?.items.map((i) => i.link)).toEqual(
      [1, 2, 3].map((i) => `https://gazette.example/main/${i}`),
    );
    const other = wrap(
      `<main><div class="list">${cards('main', 4)}</div></main><div class="partners">${cards('partner', 6).replaceAll('teaser', 'tile')}</div>`,
    );
    expect(detect(other)[0]?.items.map((i) => i.link)).toEqual(
      [1, 2, 3, 4].map((i) => `https://gazette.example/main/${i}`),
    );
  });

  it('keeps a listing whose page is called "Trending", and a card whose headline starts like a label', () => {
    const cards = [
      'Trending: markets fall again',
      'Popular vote goes to a recount',
      'Related parties meet',
    ].map((t, i) => `<div class="card"><h3><a href="/s/${i}">${t}</a></h3></div>`);
    const [best] = detect(wrap(`<main><h1>Trending</h1><div class="cards">${cards.join('')}</div></main>`));
    expect(best?.items).toHaveLength(3);
  });

  it('prefers a later method that finds many more items than JSON-LD', () => {
    const articles = Array.from(
      { length: 10 },
      (_, i) => `<article><h2><a href="/a/${i}">Story number ${i} of the day</a></h2></article>`,
    ).join('');
    const page = wrap(
      `<main>${articles}</main>`,
      ld({
        '@type': 'ItemList',
        itemListElement: [
          {
            '@type': 'ListItem',
            position: 1,
            url: 'https://gazette.example/a/0',
            name: 'Story number 0 of the day',
          },
          {
            '@type': 'ListItem',
            position: 2,
            url: 'https://gazette.example/a/1',
            name: 'Story number 1 of the day',
          },
        ],
      }),
    );
    const found = detect(page);
    expect(found.map((l) => l.method)).toEqual(['article', 'json-ld', 'repeated-blocks']);
    expect(found[0]?.items).toHaveLength(10);
  });

  it('reads cards that are one link around the heading', () => {
    const cards = Array.from(
      { length: 4 },
      (_, i) =>
        `<article><a href="/c/${i}"><img src="/i/${i}.jpg"><h3>Card story number ${i}</h3></a></article>`,
    ).join('');
    const [best] = detect(wrap(`<main>${cards}</main>`));
    expect(best?.method).toBe('article');
    expect(best?.select).toMatchObject({ link: 'a:has(h1, h2, h3, h4)@href', image: 'img' });
    expect(best?.items[2]).toEqual({
      title: 'Card story number 2',
      link: 'https://gazette.example/c/2',
      image: 'https://gazette.example/i/2.jpg',
    });
  });
});

describe('cards that are one link', () => {
  const wrap = (body: string) =>
    `<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`;

  it('takes sibling links that each hold a heading as the items, read by "@href"', () => {
    const cards = [1, 2, 3].map(
      (i) =>
        `<a class="tile" href="/s/${i}"><h2>A longer story number ${i}</h2><p>Teaser text for story ${i}.</p></a>`,
    );
    const [best] = detect(wrap(`<div class="tiles">${cards.join('')}</div>`));
    expect(best?.select).toMatchObject({ item: 'div.tiles > a.tile', link: '@href', title: 'h2' });
    expect(best?.items.map((i) => i.link)).toEqual([1, 2, 3].map((i) => `https://gazette.example/s/${i}`));
  });

  it('does not take a row of plain links (a tag list) for a listing', () => {
    const tags = ['Climate policy', 'Energy prices', 'Local elections', 'Flood defences'];
    const links = tags.map((t) => `<a class="tag" href="/tag/${t.replace(' ', '-')}">${t}</a>`);
    expect(detect(wrap(`<main><h1>Topics</h1><div class="tags">${links.join('')}</div></main>`))).toEqual([]);
  });
});

describe('summaries', () => {
  const page = (card: (i: number) => string) =>
    `<!doctype html><html><body><main>${[1, 2, 3].map(card).join('')}</main></body></html>`;

  it.each([
    ['screen-reader-text', 'screen-reader-text'],
    ['sr-only', 'sr-only'],
    ['visually-hidden', 'visually-hidden'],
    ['a11y-hidden', 'a11y-hidden'],
  ])('never takes %s text for a summary', (_name, cls) => {
    const [best] = detect(
      page(
        (i) =>
          `<article><h2><a href="/s/${i}">Story number ${i} of the week</a></h2>` +
          `<a class="more" href="/s/${i}">Read on<span class="${cls}"> about story number ${i} of the week</span></a></article>`,
      ),
    );
    expect(best?.select?.summary).toBeUndefined();
    expect(best?.items.every((i) => i.summary === undefined)).toBe(true);
  });

  it('matches class words as the parts of a class, not inside utility classes', () => {
    const [best] = detect(
      page(
        (i) =>
          `<article><h2 class="text-xl"><a href="/s/${i}">Story number ${i} of the week</a></h2>` +
          `<span class="text-muted">Filed under the weekly round-up</span>` +
          `<div class="card__text">What happened in story ${i}, told briefly.</div></article>`,
      ),
    );
    expect(best?.select?.summary).toBe('div.card__text');
    expect(best?.items[0]?.summary).toBe('What happened in story 1, told briefly.');
  });

  it('leaves screen-reader text out of a summary read with selectors', () => {
    const [best] = detect(readFixture('pages/wordpress-more-link.html'), 'https://quayside.example/');
    for (const i of best?.items ?? []) {
      expect(i.summary).toMatch(/Continue reading$/);
      expect(i.summary).not.toContain(i.title);
    }
  });
});

/** The same Fetched with a page source that has no selectors. */
function detecting(f: ReturnType<typeof fetched>): ReturnType<typeof fetched> {
  if (f.source.kind !== 'page') return f;
  const { select: _select, ...source } = f.source;
  return { ...f, source };
}

describe('page sources without select', () => {
  it('ingests the detected items with absolute links and the method in meta.format', async () => {
    const r = await ingest(
      detecting(
        fetched('page', [doc('https://gazette.example/news/', readFixture('pages/jsonld-itemlist.html'))]),
      ),
      ctx,
    );
    expect(r.meta.format).toBe('html-page/json-ld');
    expect(r.items).toHaveLength(12);
    expect(r.items[0]).toMatchObject({
      sourceId: 'test-source',
      baseUrl: 'https://gazette.example/news/',
      guid: 'https://gazette.example/news/harbour-ferry-terminal',
      link: 'https://gazette.example/news/harbour-ferry-terminal',
      title: 'Harbour authority approves new ferry terminal',
      published: '2026-10-02T08:15:00+02:00',
      authors: ['Mara Lind'],
    });
  });

  it("never takes an h-entry author's avatar for the entry's image", () => {
    const [best] = detect(readFixture('pages/h-entry-author-card.html'));
    expect(best?.items.map((i) => i.image)).toEqual([
      'https://gazette.example/img/solstice.jpg',
      'https://gazette.example/img/first-snow.jpg',
      'https://gazette.example/img/starter.jpg',
      undefined,
    ]);
    expect(best?.items.map((i) => i.author)).toEqual(Array(4).fill('Ann Example'));
  });

  it('hands on dates printed as text as ISO, ordinals included', async () => {
    const r = await ingest(
      detecting(fetched('page', [doc('https://notes.example/', readFixture('pages/jekyll-minima.html'))])),
      ctx,
    );
    expect(r.items.map((i) => i.published)).toEqual(['2026-12-03', '2026-11-21', '2026-10-02', '2026-09-14']);
  });

  it.each([
    [
      'bare-date-list.html',
      // The last post prints no date: its title's "12 March 2024" is not taken for one.
      ['2025-03-03', '2025-02-14', '2025-01-02', '2024-12-20', undefined],
    ],
    [
      'bare-date-cards.html',
      // Never the "1 March 2025" or "14 June 2025" of a summary.
      ['2025-03-03', '2025-02-12', '2025-01-09', '2024-12-18'],
    ],
  ])('reads a date printed as bare text in the card itself: %s', async (name, dates) => {
    const r = await ingest(
      detecting(fetched('page', [doc('https://notes.example/archive/', readFixture(`pages/${name}`))])),
      ctx,
    );
    expect(r.items.map((i) => i.published)).toEqual(dates);
  });

  it('takes no date from short text that only mentions a year', () => {
    const cards = [1, 2, 3].map(
      (i) =>
        `<div class="row"><span class="kicker">Budget 2026</span><h3><a href="/b/${i}">Budget story number ${i}</a></h3>` +
        `<span class="tag">Top 10 of 2026</span></div>`,
    );
    const [best] = detect(`<html><body><main><div class="rows">${cards.join('')}</div></main></body></html>`);
    expect(best?.method).toBe('repeated-blocks');
    expect(best?.select?.date).toBeUndefined();
  });

  it('warns, with the preview command to run, when no listing is found', async () => {
    const r = await ingest(
      detecting(
        fetched('page', [doc('https://x.example/about', '<html><body><p>About us.</p></body></html>')]),
      ),
      ctx,
    );
    expect(r.items).toEqual([]);
    expect(r.warnings[0]?.code).toBe('PAGE_NO_LISTING');
    expect(r.warnings[0]?.message).toContain('feedloom preview https://x.example/about');
  });
});
