// Every file in tests/fixtures/feeds is a case: a golden JSON beside it catches drift, and the RULES
// table states the rule each fixture is there for (a fixture without a rule fails the suite).
import { describe, expect, it } from 'vitest';
import { FeedloomError } from '../../../src/errors.js';
import { ingest } from '../../../src/ingest/index.js';
import type { Ingested, RawItem } from '../../../src/types.js';
import { listFixtures, readFixture } from '../../helpers/fixtures.js';
import { ctx, doc, fetched } from './build.js';

const URL_BASE = 'https://feeds.example.test/';
type Outcome = Ingested | { error: { code: string; message: string } };

async function outcome(name: string): Promise<Outcome> {
  return ingestOutcome(URL_BASE + name, readFixture(`feeds/${name}`));
}

async function ingestOutcome(url: string, text: string): Promise<Outcome> {
  try {
    return await ingest(fetched('feed', [doc(url, text)]), ctx);
  } catch (e) {
    if (e instanceof FeedloomError) return { error: { code: e.code, message: e.message } };
    throw e;
  }
}

function ok(o: Outcome): Ingested {
  if ('error' in o) throw new Error(`expected items, got ${o.error.code}: ${o.error.message}`);
  return o;
}

function failed(o: Outcome): { code: string; message: string } {
  if (!('error' in o)) throw new Error(`expected an error, got ${o.items.length} items`);
  return o.error;
}

const titles = (r: Ingested) => r.items.map((i) => i.title);
const item = (r: Ingested, n: number): RawItem => {
  const found = r.items[n];
  if (!found) throw new Error(`no item ${n}`);
  return found;
};

/** The rule under test, per fixture. */
const RULES: Record<string, (o: Outcome) => void> = {
  'rss2-basic.xml': (o) => {
    const r = ok(o);
    expect(r.meta).toMatchObject({ format: 'rss2', title: 'Wire Asia', ttlMinutes: 45 });
    expect(titles(r)).toEqual(['Typhoon nears the coast', 'Markets open higher', 'Relative link story']);
    // Raw date strings: normalize parses them, rss-parser's isoDate is not used.
    expect(item(r, 0).published).toBe('Mon, 06 Jan 2026 09:30:00 +0900');
    expect(item(r, 0).guid).toBe('wire-asia-1001');
    // A permalink guid stands in for a missing <link>.
    expect(item(r, 1).link).toBe('https://wire.example.com/asia/markets-open');
    // No URL resolving in ingest: the relative link stays, with the document as its base.
    expect(item(r, 2)).toMatchObject({ link: '/asia/relative-story', baseUrl: `${URL_BASE}rss2-basic.xml` });
    expect(r.recovered).toBe(false);
  },
  'rss091-netscape-doctype.xml': (o) => {
    const r = ok(o);
    expect(r.meta.format).toBe('rss091');
    expect(r.items).toHaveLength(2);
    expect(r.recovered).toBe(false);
  },
  'rss092.xml': (o) => {
    const r = ok(o);
    expect(r.meta.format).toBe('rss092');
    expect(item(r, 0).title).toBeUndefined();
    expect(item(r, 0).enclosures).toEqual([
      { url: 'http://radio.example.org/audio/12.mp3', type: 'audio/mpeg', length: 24986239 },
    ]);
    expect(item(r, 0).publisher).toBe('Partner Radio');
  },
  'rss1-rdf.xml': (o) => {
    const r = ok(o);
    expect(r.meta).toMatchObject({ format: 'rss1', ttlMinutes: 30 });
    expect(item(r, 0)).toMatchObject({
      guid: 'https://journal.example.edu/a/1',
      published: '2025-12-30T08:00:00+01:00',
      authors: ['Ada Lovelace', 'Charles Babbage'],
      categories: ['biology'],
    });
  },
  'atom10-xhtml-content.xml': (o) => {
    const r = ok(o);
    expect(r.meta.format).toBe('atom10');
    const first = item(r, 0);
    // Mixed content keeps its order (xml2js alone would lose it).
    expect(first.html).toContain('<p>Mixed <b>bold</b> and <i>italic</i> text, then &amp; more.</p>');
    // An empty <a/> must not become an HTML <a/> that swallows the rest.
    expect(first.html).toContain('<a name="anchor"></a>Anchor above');
    expect(first).toMatchObject({ titleIsHtml: true, link: 'https://notes.example.dev/compilers' });
    expect(first.enclosures[0]?.url).toBe('https://notes.example.dev/compilers.ogg');
    expect(item(r, 1)).toMatchObject({ text: 'Text content with <tags> that are not markup.' });
    expect(item(r, 1).html).toBeUndefined();
    // RFC 4287 §4.2.1: an entry without author inherits the feed's.
    expect(item(r, 2).authors).toEqual(['Grace Hopper']);
  },
  'atom10-xml-base.xml': (o) => {
    const r = ok(o);
    expect(r.items.map((i) => i.baseUrl)).toEqual([
      'https://blog.example.org/journal/2026/01/',
      'https://blog.example.org/journal/',
      'https://cdn.example.net/mirror/content/',
    ]);
    expect(item(r, 0).link).toBe('relative-everything.html');
    expect(new URL(item(r, 0).link ?? '', item(r, 0).baseUrl).href).toBe(
      'https://blog.example.org/journal/2026/01/relative-everything.html',
    );
    // The link's base differs from the content's, so it is resolved against its own.
    expect(item(r, 2).link).toBe('https://cdn.example.net/mirror/mirror.html');
  },
  'atom03.xml': (o) => {
    const r = ok(o);
    expect(r.meta).toMatchObject({ format: 'atom03', description: 'An Atom 0.3 feed' });
    expect(r.items.map((i) => i.html)).toEqual([
      '<p>Hello <b>escaped</b> world</p>',
      '<p>Inline <em>xhtml</em></p>',
      '<p>Base 64 body</p>',
    ]);
    expect(item(r, 0)).toMatchObject({
      published: '2005-07-31T08:29:29-04:00',
      updated: '2005-07-31T12:29:29Z',
    });
  },
  'atom10-invalid-date.xml': (o) => {
    const r = ok(o);
    // Well-formed: read strictly, with the date left for normalize (rss-parser's own dates threw here).
    expect(r.recovered).toBe(false);
    expect(r.warnings).toEqual([]);
    expect(item(r, 0).published).toBe('yesterday');
  },
  'jsonfeed-1.0.json': (o) => {
    const r = ok(o);
    expect(r.meta.format).toBe('jsonfeed10');
    expect(item(r, 0)).toMatchObject({ guid: '2', authors: ['Pat Host'], categories: ['audio', 'news'] });
    expect(item(r, 1)).toMatchObject({
      link: 'https://elsewhere.example.org/episode-1',
      authors: ['Guest Star'],
    });
  },
  'jsonfeed-1.1.json': (o) => {
    const r = ok(o);
    expect(r.meta.format).toBe('jsonfeed11');
    expect(r.items).toHaveLength(2);
    expect(item(r, 0)).toMatchObject({ authors: ['Sam', 'Alex'], updated: '2026-01-05T08:30:00Z' });
    expect(item(r, 1).authors).toEqual(['Editorial Team']);
    expect(r.warnings.map((w) => w.code)).toEqual(['FEED_ITEM_SKIPPED']);
  },
  'jsonfeed-external-url.json': (o) => {
    const r = ok(o);
    // `url` is the post and stays the link; `external_url`, the page it is about, joins the body.
    expect(item(r, 0).link).toBe('https://links.example.com/2026/12/01/foo');
    expect(item(r, 0).html).toBe(
      '<p>Link post commentary.</p>\n<p>Link: <a href="https://www.example-news.com/story/foo?a=1&amp;b=2">https://www.example-news.com/story/foo?a=1&amp;b=2</a></p>',
    );
    expect(item(r, 1).text).toBe('A plain text link post.\n\nLink: https://www.example-news.com/story/bar');
    // A body that links to it already is left alone.
    expect(item(r, 2).html).not.toContain('Link:');
    expect(item(r, 3)).toMatchObject({
      text: 'Only a summary.\n\nLink: https://www.example-news.com/story/qux',
      summary: 'Only a summary.',
    });
    // Without a page of its own, the page it is about is the link.
    expect(item(r, 4)).toMatchObject({
      link: 'https://www.example-news.com/story/quux',
      html: '<p>No page of its own.</p>',
    });
  },
  'jsonfeed-invalid-json.json': (o) => {
    const e = failed(o);
    expect(e.code).toBe('PARSE_FEED');
    expect(e.message).toMatch(/line 5, column \d+/);
  },
  'jsonfeed-items-not-array.json': (o) => {
    expect(failed(o)).toMatchObject({ code: 'PARSE_FEED', message: expect.stringContaining('"items"') });
  },
  'rss-bare-ampersand.xml': (o) => {
    const r = ok(o);
    expect(r.recovered).toBe(true);
    expect(titles(r)).toEqual(['R&D budget grows', 'Q&A with the lab', 'Third & last']);
    expect(item(r, 0).link).toBe('https://rd.example.com/story?id=1&ref=rss');
    // Valid references are left alone, bare ones escaped.
    expect(item(r, 1).html).toBe('AT&T and P&G attend; 5 < 6 still works & so does &.');
    expect(r.warnings[0]).toMatchObject({
      code: 'FEED_RECOVERED',
      message: expect.stringContaining('bare "&"'),
    });
  },
  'rss-html-entities.xml': (o) => {
    const r = ok(o);
    expect(r.recovered).toBe(true);
    expect(item(r, 0).title).toBe('Crème brûlée\u00a0— the recipe');
    expect(item(r, 0).html).toContain('&notanentity; stays');
    // Inside CDATA the entities are HTML for normalize, not XML: untouched.
    expect(item(r, 1).html).toBe('<p>&eacute;t&eacute; &amp; hiver</p>');
    expect(r.meta.title).toBe('Café Culture');
  },
  'rss-unclosed-tag.xml': (o) => {
    const r = ok(o);
    expect(r.recovered).toBe(true);
    expect(r.items).toHaveLength(3);
    // The unclosed <title> swallowed the item's other elements; they are read all the same.
    expect(item(r, 0)).toMatchObject({
      link: 'https://sloppy.example.com/1',
      published: 'Thu, 09 Jan 2026 08:00:00 GMT',
    });
    expect(item(r, 0).title?.trim()).toBe('Unclosed title');
    expect(item(r, 1).html).toBe('Line one<br>line two');
    expect(r.warnings[0]?.message).toContain('Unexpected close tag at line 12');
  },
  'rss-garbage-after-root.xml': (o) => {
    const r = ok(o);
    expect(r.recovered).toBe(true);
    expect(titles(r)).toEqual(['Only item']);
    expect(r.warnings[0]?.message).toContain('content after the root element');
  },
  'rss-broken-cdata.xml': (o) => {
    const r = ok(o);
    expect(r.recovered).toBe(true);
    expect(titles(r)).toEqual(['Nested CDATA', 'Unterminated CDATA', 'After the damage']);
    expect(item(r, 0).html).toBe(
      '<p>An article about XML: <code><![CDATA[ x ]]></code> is how you quote.</p>',
    );
    expect(item(r, 1).html).toBe('<p>The closing marker is missing</p>');
  },
  'billion-laughs.xml': (o) => {
    const e = failed(o);
    expect(e.code).toBe('PARSE_ENTITIES');
    expect(e.message).toContain('declares 10 entities in its DOCTYPE');
  },
  'external-entity.xml': (o) => {
    const e = failed(o);
    expect(e.code).toBe('PARSE_ENTITIES');
    expect(e.message).toContain('2 of them external');
  },
  'rss-content-encoded.xml': (o) => {
    const r = ok(o);
    // content:encoded is the body; description becomes the summary.
    expect(item(r, 0)).toMatchObject({
      summary: 'A teaser of the story.',
      authors: ['Jane Doe', 'John Roe'],
      published: '2026-01-06T08:00:00Z',
      categories: ['Features'],
    });
    // Raw: sanitizing is normalize's job.
    expect(item(r, 0).html).toContain('<script>alert(1)</script>');
    expect(item(r, 1)).toMatchObject({ html: '<p>Escaped full text.</p>' });
    expect(item(r, 1).summary).toBeUndefined();
  },
  'atom10-content-src.xml': (o) => {
    const r = ok(o);
    expect(r.items.map((i) => i.link)).toEqual([
      'https://reports.example.org/2026/harbour-report.pdf',
      'https://reports.example.org/2026/tides.html',
    ]);
  },
  'atom10-media-group-description.xml': (o) => {
    const r = ok(o);
    // The media:group's description is the body of an entry with no content and no summary, as text.
    expect(item(r, 0).text).toBe(
      'We build a cedar-strip canoe & take it out on the lake.\nTimestamps:\n0:00 Intro\n5:30 Steaming the ribs',
    );
    expect(item(r, 0).html).toBeUndefined();
    expect(item(r, 0).image).toBe('https://img.example.com/vi/v1/hqdefault.jpg');
    expect(item(r, 1).summary).toBe("The entry's own summary.");
    expect(item(r, 1).text).toBeUndefined();
    expect(item(r, 2).html).toBe('<p>Marked <b>up</b>.</p>');
  },
  'rss-feedburner-podcast.xml': (o) => {
    const r = ok(o);
    // The publisher's URL, not the (dead) feedproxy redirect; a relative one is left for normalize.
    expect(r.items.map((i) => i.link)).toEqual([
      'https://tidewater.example/episodes/42-sea-walls/',
      '/episodes/41-ferries/',
    ]);
    // The episode's itunes:author, else the show's.
    expect(r.items.map((i) => i.authors)).toEqual([['Mara Quill and Ben Lund'], ['Mara Quill']]);
  },
  'rss-podcast-itunes-summary.xml': (o) => {
    const r = ok(o);
    expect(item(r, 0).text).toBe('Why the harbor floods twice a year.\nGuests: Ada Marsh, Tom Reed');
    expect(item(r, 1).html).toBe('<p>The description wins.</p>');
    expect(item(r, 1).text).toBeUndefined();
    // An image's alt text is not the post's body.
    expect(item(r, 2).text).toBeUndefined();
    expect(item(r, 2).html).toBeUndefined();
    expect(item(r, 2).image).toBe('https://files.social.example.com/media/abc.jpg');
    // A post that is only a picture is named by the picture's alt text, not "(untitled)".
    expect(item(r, 2).title).toBe('A book cover');
    expect(item(r, 0).title).not.toBe('A book cover');
  },
  'rss-relative-urls.xml': (o) => {
    const r = ok(o);
    expect(r.items.map((i) => i.baseUrl)).toEqual([
      'https://feeds.example.test/posts/2026/canoe/',
      'https://feeds.example.test/rss-relative-urls.xml',
      'https://cdn.example.test/media/',
    ]);
  },
  'rss-media-enclosures.xml': (o) => {
    const r = ok(o);
    expect(r.items.map((i) => i.image)).toEqual([
      'https://photos.example.com/1-thumb.jpg',
      'https://photos.example.com/2-large.jpg',
      'https://photos.example.com/3-poster.png',
      'https://photos.example.com/4.jpg',
      'https://photos.example.com/5-cover.jpg',
    ]);
    expect(item(r, 2).enclosures).toEqual([
      { url: 'https://photos.example.com/3.mp4', type: 'video/mp4', length: 1048576 },
    ]);
    // A length that is not a number is dropped, the enclosure kept.
    expect(item(r, 3).enclosures[1]).toEqual({ url: 'https://photos.example.com/4.mp3', type: 'audio/mpeg' });
  },
  'rss-media-several-pictures.xml': (o) => {
    const r = ok(o);
    // A post's photos side by side: the first is its picture, the others its attachments.
    expect(item(r, 0).image).toBe(
      'https://files.social.example.com/media_attachments/files/112/044/original/a.jpeg',
    );
    expect(item(r, 0).enclosures).toEqual([
      {
        url: 'https://files.social.example.com/media_attachments/files/112/044/original/b.jpeg',
        type: 'image/jpeg',
        length: 198765,
      },
    ]);
    // A media:group holds renditions of one picture: one image, no attachments.
    expect(item(r, 1)).toMatchObject({ image: 'https://photos.example.com/p/2-large.jpg', enclosures: [] });
    // One address at two widths, with neither medium nor type: the widest is the picture, no attachment.
    expect(item(r, 2)).toMatchObject({
      image:
        'https://i.news.example.com/img/media/ab12/0_0_3000_1800/master/3000.jpg?width=460&quality=85&s=9c',
      enclosures: [],
    });
  },
  'atom10-tiny-thumbnails.xml': (o) => {
    const r = ok(o);
    // Blogger's 72-pixel crop becomes the full picture (s1600), which is not tiny.
    expect(r.items.map((i) => i.image)).toEqual([
      'https://blogger.googleusercontent.com/img/b/R29v/AVvX/s1600/zenith.jpg',
      'https://blogger.googleusercontent.com/img/b/R29v/AVvY=s1600',
      'https://avatars.githubusercontent.com/u/1234?s=60&v=4',
      'https://thumbs.example/thumb.jpg',
    ]);
    // Under 100 px declared: a thumbnail normalize uses only when the content has no picture.
    expect(r.items.map((i) => i.imageIsTiny)).toEqual([undefined, undefined, true, undefined]);
  },
  'rss-no-dates.xml': (o) => {
    const r = ok(o);
    expect(r.items.map((i) => i.published)).toEqual([undefined, undefined, 'sometime last week']);
  },
  'not-a-feed.html': (o) => {
    const e = failed(o);
    expect(e.code).toBe('PARSE_UNKNOWN_FORMAT');
    expect(e.message).toContain('an HTML page, not a feed');
    expect(e.message).toContain('https://news.example.org/rss.xml');
  },
};

describe('feed fixtures', () => {
  it.each(listFixtures('feeds'))('%s', async (name) => {
    const result = await outcome(name);
    // The expected files say what each feed says; an item's raw hash is the store's business.
    const withoutHashes = (key: string, value: unknown) => (key === 'rawHash' ? undefined : value);
    await expect(JSON.stringify(result, withoutHashes, 2)).toMatchFileSnapshot(
      `../../fixtures/feeds/${name}.expected.json`,
    );
    const rule = RULES[name];
    expect(rule, `fixture ${name} needs a rule in RULES`).toBeDefined();
    rule?.(result);
  });
});

describe('an HTML page given as a feed', () => {
  it('names the feed it advertises as an absolute URL, ready to paste into sources.json', async () => {
    const html =
      '<!DOCTYPE html><html><head><link rel="alternate" type="application/atom+xml" href="/feeds/all.atom?lang=en&amp;v=2"></head><body>Hi</body></html>';
    const e = failed(await ingestOutcome('https://blog.example/posts/', html));
    expect(e.message).toContain('it advertises a feed at https://blog.example/feeds/all.atom?lang=en&v=2:');
  });
});

describe('relative URLs in a JSON Feed item', () => {
  it("resolve against the item's page on the feed's host, else against the feed", async () => {
    const feed = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Static',
      items: [
        { id: '1', url: 'https://site.example/posts/a/', content_html: '<img src="photo.jpg">' },
        { id: '2', url: 'https://other.example/story', content_html: '<a href="notes.html">n</a>' },
      ],
    });
    const r = ok(await ingestOutcome('https://site.example/feed.json', feed));
    expect(r.items.map((i) => i.baseUrl)).toEqual([
      'https://site.example/posts/a/',
      'https://site.example/feed.json',
    ]);
  });
});

describe('relative URLs of a feed served from another host than its site', () => {
  // FeedBurner, feeds.example.com for www.example.com, a CDN: the HTML was written for the site.
  it("resolve against the item's page when it is on the home page's host (RSS)", async () => {
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title>
      <link>https://www.site.example/</link>
      <item><title>Post</title><link>https://www.site.example/posts/a/</link><description>&lt;img src="photo.jpg"&gt;</description></item>
      <item><title>Linked</title><link>https://other.example/story</link><description>x</description></item>
      <item><title>No link</title><guid isPermaLink="false">n-1</guid><description>y</description></item>
    </channel></rss>`;
    const r = ok(await ingestOutcome('https://feeds.cdn.example/site/rss', rss));
    expect(r.items.map((i) => i.baseUrl)).toEqual([
      'https://www.site.example/posts/a/',
      'https://feeds.cdn.example/site/rss',
      'https://feeds.cdn.example/site/rss',
    ]);
  });

  it('read a scheme-relative channel link against the feed', async () => {
    const rss = `<rss version="2.0"><channel><title>S</title><link>//www.site.example/</link>
      <item><title>P</title><link>https://feeds.site.example/p/1</link><description>x</description></item>
      <item><title>Q</title><link>https://www.site.example/p/2</link><description>x</description></item>
      <item><title>R</title><link>https://elsewhere.example/p/3</link><description>x</description></item>
    </channel></rss>`;
    const r = ok(await ingestOutcome('https://feeds.site.example/rss', rss));
    expect(r.items.map((i) => i.baseUrl)).toEqual([
      'https://feeds.site.example/p/1',
      'https://www.site.example/p/2',
      'https://feeds.site.example/rss',
    ]);
  });

  it("resolve against the item's page when it is on home_page_url's host (JSON Feed)", async () => {
    const feed = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'Static',
      home_page_url: 'https://www.site.example/',
      items: [
        { id: '1', url: 'https://www.site.example/posts/a/', content_html: '<img src="photo.jpg">' },
        { id: '2', url: 'https://other.example/story', content_html: '<a href="notes.html">n</a>' },
      ],
    });
    const r = ok(await ingestOutcome('https://feeds.cdn.example/site.json', feed));
    expect(r.items.map((i) => i.baseUrl)).toEqual([
      'https://www.site.example/posts/a/',
      'https://feeds.cdn.example/site.json',
    ]);
  });
});

describe('a guid or id as the link of an item that has none', () => {
  it('is taken from an RSS permalink guid, never from one with isPermaLink="false"', async () => {
    const rss = `<rss version="2.0"><channel><title>S</title><link>https://site.example/</link>
      <item><title>Permalink</title><guid>https://site.example/p/1</guid></item>
      <item><title>Said so</title><guid isPermaLink="true">https://site.example/p/2</guid></item>
      <item><title>Not one</title><guid isPermaLink="false">https://site.example/?p=3</guid></item>
      <item><title>Not one, capitalized</title><guid isPermaLink="False">https://site.example/?p=4</guid></item>
      <item><title>Not a URL</title><guid>post-5</guid></item>
    </channel></rss>`;
    const r = ok(await ingestOutcome('https://site.example/rss', rss));
    expect(r.items.map((i) => i.link)).toEqual([
      'https://site.example/p/1',
      'https://site.example/p/2',
      undefined,
      undefined,
      undefined,
    ]);
    expect(r.items.map((i) => i.guid)).toContain('https://site.example/?p=3');
  });

  it('is taken from an Atom id or a JSON Feed id that is a web address', async () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
      <entry><id>https://site.example/a/1</id><title>Id only</title><updated>2026-01-01T00:00:00Z</updated></entry>
      <entry><id>tag:site.example,2026:2</id><title>Tag id</title><updated>2026-01-01T00:00:00Z</updated></entry>
    </feed>`;
    const a = ok(await ingestOutcome('https://site.example/atom', atom));
    expect(a.items.map((i) => i.link)).toEqual(['https://site.example/a/1', undefined]);
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'J',
      items: [
        { id: 'https://site.example/j/1', content_text: 'x' },
        { id: '2', content_text: 'y' },
      ],
    });
    const j = ok(await ingestOutcome('https://site.example/feed.json', json));
    expect(j.items.map((i) => i.link)).toEqual(['https://site.example/j/1', undefined]);
  });
});
