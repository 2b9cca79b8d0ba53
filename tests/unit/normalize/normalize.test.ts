import { describe, expect, it } from 'vitest';
import { itemKey, type NormalizeContext, normalize } from '../../../src/normalize/index.js';
import type { RawItem } from '../../../src/types.js';
import { hashOf } from '../../../src/util/hash.js';

const NOW = new Date('2024-06-01T12:00:00Z');
const ctx: NormalizeContext = { now: () => NOW };
const BASE = 'https://news.example/feeds/world.xml';

function raw(over: Partial<RawItem> = {}): RawItem {
  return {
    sourceId: 'wire',
    baseUrl: BASE,
    guid: 'urn:wire:1',
    link: '/2024/03/story.html?utm_source=rss&id=7#top',
    title: 'Talks &amp; tactics',
    html: '<h1>Heading</h1><p onclick="x()">Body <a href="../about?fbclid=1">about</a>.</p><img src="img/a.jpg">',
    published: 'Tue, 05 Mar 2024 10:00:00 GMT',
    authors: [],
    categories: [],
    enclosures: [],
    ...over,
  };
}

describe('normalize', () => {
  it('builds a clean item', () => {
    const item = normalize(raw(), ctx);
    expect(item).toMatchObject({
      sourceId: 'wire',
      guid: 'urn:wire:1',
      link: 'https://news.example/2024/03/story.html?id=7#top',
      title: 'Talks & tactics',
      contentHtml:
        '<h2>Heading</h2><p>Body <a href="https://news.example/about">about</a>.</p><img src="https://news.example/feeds/img/a.jpg">',
      summary: 'Heading. Body about.',
      publishedGuessed: false,
      image: 'https://news.example/feeds/img/a.jpg',
      authors: [],
      tags: [],
      enclosures: [],
    });
    expect(item.published.toISOString()).toBe('2024-03-05T10:00:00.000Z');
    expect(item.updated).toBeUndefined();
  });

  it('is deterministic: same input, same item', () => {
    expect(normalize(raw(), ctx)).toEqual(normalize(raw(), ctx));
  });

  it.each([
    ['html', { html: '<p>from html</p>', text: 'from text', summary: 'from summary' }, '<p>from html</p>'],
    [
      'text, split into escaped paragraphs',
      { html: undefined, text: 'a < b\n\nc', summary: 's' },
      '<p>a &lt; b</p>\n<p>c</p>',
    ],
    [
      'summary as the last resort',
      { html: undefined, text: undefined, summary: '<p>only <i>summary</i></p>' },
      '<p>only <i>summary</i></p>',
    ],
    ['blank html does not win', { html: '  ', text: 'text' }, '<p>text</p>'],
  ])('content comes from %s', (_name, over, html) => {
    expect(normalize(raw(over), ctx).contentHtml).toBe(html);
  });

  describe('bodies escaped twice', () => {
    it('are read as the markup they are, in the content and the summary', () => {
      const twice =
        '&lt;p&gt;Hello &lt;b&gt;world&lt;/b&gt; &amp;amp; all&lt;/p&gt;&lt;p&gt;Second&lt;/p&gt;';
      const item = normalize(raw({ html: twice, summary: twice }), ctx);
      expect(item.contentHtml).toBe('<p>Hello <b>world</b> &amp; all</p><p>Second</p>');
      expect(item.summary).toBe('Hello world & all Second');
      expect(
        normalize(raw({ html: undefined, summary: '&lt;div class="x"&gt;Hi&lt;/div&gt;' }), ctx).contentHtml,
      ).toBe('<p>Hi</p>');
    });

    it.each([
      ['text that mentions a tag', 'Use &lt;div&gt; for blocks', 'Use &lt;div&gt; for blocks'],
      [
        'markup escaped once around an escaped tag',
        '<p>&lt;p&gt; starts a paragraph</p>',
        '<p>&lt;p&gt; starts a paragraph</p>',
      ],
      ['a type name', 'List&lt;String&gt; is generic', 'List&lt;String&gt; is generic'],
    ])('leave alone %s', (_name, html, expected) => {
      expect(normalize(raw({ html }), ctx).contentHtml).toBe(expected);
    });
  });

  describe('links', () => {
    it('resolves the item link against baseUrl (xml:base) and strips tracking', () => {
      const item = normalize(raw({ baseUrl: 'https://other.example/base/', link: 'x?utm_medium=feed' }), ctx);
      expect(item.link).toBe('https://other.example/base/x');
    });

    it('resolves a protocol-relative link', () => {
      expect(normalize(raw({ link: '//cdn.example/a' }), ctx).link).toBe('https://cdn.example/a');
    });

    it('never takes a guid for the link: ingest knows when one is a permalink', () => {
      // An RSS guid with isPermaLink="false" "points to nothing" (RSS 2.0), web address or not.
      const item = normalize(raw({ link: undefined, guid: 'https://news.example/?p=1' }), ctx);
      expect(item.link).toBe('');
    });

    it('never publishes an unsafe link', () => {
      expect(normalize(raw({ link: 'javascript:alert(1)', guid: 'urn:x' }), ctx).link).toBe('');
    });
  });

  describe('title and summary', () => {
    it('strips an HTML title', () => {
      expect(normalize(raw({ title: '<b>Bold</b> &amp; <i>new</i>', titleIsHtml: true }), ctx).title).toBe(
        'Bold & new',
      );
    });

    it('derives a missing title from the text', () => {
      const item = normalize(raw({ title: undefined, html: `<p>${'word '.repeat(50)}</p>` }), ctx);
      expect(item.title.length).toBeLessThanOrEqual(80);
      expect(item.title.startsWith('word word')).toBe(true);
    });

    it('says (untitled) when there is no text at all', () => {
      expect(normalize(raw({ title: ' ', html: '<img src="a.png">' }), ctx).title).toBe('(untitled)');
    });

    it('prefers the given summary, as plain text', () => {
      const item = normalize(raw({ summary: '<p>Short <b>teaser</b></p><script>x</script>' }), ctx);
      expect(item.summary).toBe('Short teaser');
    });

    it('derives the summary from the content, about 300 characters cut at a word', () => {
      const item = normalize(raw({ html: `<p>${'lorem ipsum '.repeat(100)}</p>` }), ctx);
      expect(item.summary.length).toBeLessThanOrEqual(300);
      expect(item.summary.endsWith('…')).toBe(true);
    });

    it('drops a " - Publisher" title suffix only when the item names exactly that publisher', () => {
      const title = (t: string, publisher?: string) =>
        normalize(raw({ title: t, ...(publisher ? { publisher } : {}) }), ctx).title;
      expect(title('Bridge opens - Harbor Daily', 'Harbor Daily')).toBe('Bridge opens');
      expect(title('Bridge opens | The Ledger &amp; Co', 'The Ledger &amp; Co')).toBe('Bridge opens');
      expect(title('Bridge opens - Harbor Daily', 'Coastal Tribune')).toBe('Bridge opens - Harbor Daily');
      expect(title('Bridge opens - Harbor Daily Extra', 'Harbor Daily')).toBe(
        'Bridge opens - Harbor Daily Extra',
      );
      expect(title('Bridge opens - Harbor Daily')).toBe('Bridge opens - Harbor Daily');
      expect(title(' - Harbor Daily', 'Harbor Daily')).toBe('- Harbor Daily');
    });

    it('gives a Google News item its headline, its outlet as byline, and no summary of link texts', () => {
      const item = normalize(
        raw({
          title: "Harbor City opens world's longest floating bridge - Harbor Daily",
          publisher: 'Harbor Daily',
          html:
            '<ol><li><a href="https://news.google.com/rss/articles/A?oc=5">Harbor City opens world\'s longest floating bridge</a>&nbsp;&nbsp;<font color="#6f6f6f">Harbor Daily</font></li>' +
            '<li><a href="https://news.google.com/rss/articles/B?oc=5">Floating bridge: what commuters need to know</a>&nbsp;&nbsp;<font color="#6f6f6f">Coastal Tribune</font></li></ol>',
        }),
        ctx,
      );
      expect(item.title).toBe("Harbor City opens world's longest floating bridge");
      expect(item.authors).toEqual(['Harbor Daily']);
      expect(item.summary).toBe('');
      // The other outlets' coverage stays readable in the content.
      expect(item.contentHtml).toContain('Floating bridge: what commuters need to know</a>');
    });

    it('still takes the summary from content with links in its prose', () => {
      expect(normalize(raw({ html: '<p>See <a href="/a">the report</a>.</p>' }), ctx).summary).toBe(
        'See the report.',
      );
    });

    it('removes XML-illegal control characters from title, summary and content', () => {
      const item = normalize(
        raw({
          title: 'A\u0001B\u0000',
          summary: 'S\u0008T&#x0B;',
          html: '<p title="\u0002">C\u001FD&#0;</p>',
        }),
        ctx,
      );
      expect(item.title).toBe('AB');
      expect(item.summary).toBe('ST');
      expect(item.contentHtml).toBe('<p>CD</p>');
      for (const s of [item.title, item.summary, item.contentHtml]) {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
        expect(s).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
      }
    });

    it('keeps U+FFFD that came in, adds none', () => {
      const item = normalize(
        raw({ title: '8\uFFFD hours', html: '<p>x\uFFFDy</p>', summary: undefined }),
        ctx,
      );
      expect(item.title).toBe('8\uFFFD hours');
      expect(item.contentHtml).toBe('<p>x\uFFFDy</p>');
      const clean = normalize(raw({ title: 'a&#0;b', html: '<p>a&#0;b\u0000c</p>' }), ctx);
      expect(`${clean.title}${clean.summary}${clean.contentHtml}`).not.toContain('\uFFFD');
    });
  });

  describe('dates', () => {
    it('falls back to updated, then to now with publishedGuessed', () => {
      const fromUpdated = normalize(raw({ published: undefined, updated: '2024-03-06T00:00:00Z' }), ctx);
      expect(fromUpdated.published.toISOString()).toBe('2024-03-06T00:00:00.000Z');
      expect(fromUpdated.updated?.toISOString()).toBe('2024-03-06T00:00:00.000Z');
      const guessed = normalize(raw({ published: 'garbage' }), ctx);
      expect(guessed.publishedGuessed).toBe(true);
      expect(guessed.published.toISOString()).toBe(NOW.toISOString());
    });

    it('dates a far-future item as first seen', () => {
      const item = normalize(raw({ published: '2030-01-01T00:00:00Z' }), ctx);
      expect(item.publishedGuessed).toBe(true);
      expect(item.published.toISOString()).toBe(NOW.toISOString());
    });
  });

  describe('authors, tags, image, enclosures', () => {
    it('cleans and dedupes authors', () => {
      const item = normalize(
        raw({ authors: ['jo@x.example (Jo Doe)', ' Jo Doe ', 'Ann <ann@x.example>', ''] }),
        ctx,
      );
      expect(item.authors).toEqual(['Jo Doe', 'Ann']);
    });

    it("splits a list of people in one author field (arXiv's dc:creator), never a publisher", () => {
      const arxiv = normalize(raw({ authors: ['Alice Smith, Bob Jones and Alice Smith'] }), ctx);
      expect(arxiv.authors).toEqual(['Alice Smith', 'Bob Jones']);
      // One field per author: each is one name, whatever its shape.
      const repository = normalize(
        raw({ authors: ['García Márquez, Gabriel José', 'Vargas Llosa, Mario'] }),
        ctx,
      );
      expect(repository.authors).toEqual(['García Márquez, Gabriel José', 'Vargas Llosa, Mario']);
      expect(normalize(raw({ authors: ['Smith, John A.'] }), ctx).authors).toEqual(['Smith, John A.']);
      const firm = normalize(raw({ publisher: 'Hudson Reed, Lane Partners' }), ctx);
      expect(firm.authors).toEqual(['Hudson Reed, Lane Partners']);
    });

    it('takes tags from categories only, plain and deduped case-insensitively', () => {
      const item = normalize(
        raw({ categories: ['Politics', 'politics', ' Asia &amp; Pacific ', '<b>x</b>'] }),
        ctx,
      );
      expect(item.tags).toEqual(['Politics', 'Asia & Pacific', 'x']);
      expect(item.tags).not.toContain('world');
    });

    it('picks the image: raw.image first', () => {
      const item = normalize(raw({ image: '/i/lead.jpg?utm_source=x' }), ctx);
      expect(item.image).toBe('https://news.example/i/lead.jpg');
    });

    it('picks the image: then an image enclosure (by type or extension)', () => {
      const byType = normalize(
        raw({
          enclosures: [
            { url: 'a.mp3', type: 'audio/mpeg' },
            { url: 'cover', type: 'image/png' },
          ],
        }),
        ctx,
      );
      expect(byType.image).toBe('https://news.example/feeds/cover');
      const byExt = normalize(raw({ enclosures: [{ url: 'https://cdn.example/c.webp' }] }), ctx);
      expect(byExt.image).toBe('https://cdn.example/c.webp');
    });

    it('picks the image: then the first content image, never a tracking pixel', () => {
      const item = normalize(
        raw({
          html: '<img src="https://feeds.feedburner.com/~r/x/~4/1" width="1" height="1"><p>t</p><img src="/b.png">',
        }),
        ctx,
      );
      expect(item.image).toBe('https://news.example/b.png');
      expect(normalize(raw({ html: '<p>no image</p>' }), ctx).image).toBeUndefined();
    });

    it('picks the image: never a declared-tiny thumbnail, even when nothing else is there', () => {
      const avatar = { image: 'https://avatars.example/u/1?s=60', imageIsTiny: true };
      expect(normalize(raw({ ...avatar, html: '<p>t</p><img src="/shot.png">' }), ctx).image).toBe(
        'https://news.example/shot.png',
      );
      expect(
        normalize(
          raw({ ...avatar, html: '<p>t</p>', enclosures: [{ url: '/e.jpg', type: 'image/jpeg' }] }),
          ctx,
        ).image,
      ).toBe('https://news.example/e.jpg');
      expect(normalize(raw({ ...avatar, html: '<p>no picture</p>' }), ctx).image).toBeUndefined();
    });

    it('makes enclosures absolute, drops unusable and repeated ones', () => {
      const item = normalize(
        raw({
          enclosures: [
            { url: '../media/ep1.mp3', type: 'audio/mpeg', length: 1234 },
            { url: 'https://news.example/media/ep1.mp3' },
            { url: 'javascript:x', type: 'audio/mpeg' },
            { url: 'ep2.mp3', type: 'not a type', length: -1 },
            // A Flash player (YouTube feeds list one per video) plays nowhere.
            { url: 'https://video.example/v/abc?version=3', type: 'application/x-shockwave-flash' },
          ],
        }),
        ctx,
      );
      expect(item.enclosures).toEqual([
        { url: 'https://news.example/media/ep1.mp3', type: 'audio/mpeg', length: 1234 },
        { url: 'https://news.example/feeds/ep2.mp3' },
      ]);
    });
  });

  describe('keys and hashes', () => {
    it('keys on the guid, else the canonical link, else title and date', () => {
      expect(normalize(raw(), ctx).key).toBe(hashOf(['wire', 'urn:wire:1']));
      expect(normalize(raw({ guid: undefined }), ctx).key).toBe(
        hashOf(['wire', 'https://news.example/2024/03/story.html?id=7']),
      );
      const noLink = normalize(raw({ guid: undefined, link: undefined }), ctx);
      expect(noLink.key).toBe(hashOf(['wire', 'Talks & tactics\n2024-03-05T10:00:00.000Z']));
    });

    it('itemKey ignores tracking, fragment, host case and blank guids', () => {
      const a = itemKey('s', '  ', 'https://X.example/a?utm_source=1#c', 'f');
      expect(a).toBe(itemKey('s', undefined, 'https://x.example/a', 'other'));
      expect(a).not.toBe(itemKey('t', undefined, 'https://x.example/a', 'f'));
    });

    it('keeps key and hash stable across runs for an undated item', () => {
      const undated = raw({ guid: undefined, link: undefined, published: undefined });
      const later: NormalizeContext = { now: () => new Date('2024-06-02T12:00:00Z') };
      const a = normalize(undated, ctx);
      const b = normalize(undated, later);
      expect(a.published).not.toEqual(b.published);
      expect(b.key).toBe(a.key);
      expect(b.contentHash).toBe(a.contentHash);
    });

    it.each<[string, Partial<RawItem>]>([
      ['title', { title: 'Other' }],
      ['content', { html: '<p>changed</p>' }],
      ['link', { link: 'https://news.example/moved' }],
      ['summary', { summary: 'new teaser' }],
      ['published', { published: '2024-03-05T11:00:00Z' }],
      ['updated', { updated: '2024-03-07T00:00:00Z' }],
      ['authors', { authors: ['Someone'] }],
      ['tags', { categories: ['New'] }],
      ['image', { image: 'https://news.example/other.jpg' }],
      ['enclosures', { enclosures: [{ url: 'https://news.example/a.mp3' }] }],
    ])('contentHash changes when the %s changes', (_name, over) => {
      expect(normalize(raw(over), ctx).contentHash).not.toBe(normalize(raw(), ctx).contentHash);
    });

    it('contentHash ignores what is not published (tracking parameters)', () => {
      const base = normalize(raw(), ctx).contentHash;
      expect(normalize(raw({ link: '/2024/03/story.html?id=7&gclid=9#top' }), ctx).contentHash).toBe(base);
    });

    it('fingerprint is the same story across sources, regardless of markup, case and punctuation', () => {
      const a = normalize(
        raw({ sourceId: 'a', title: 'Big News!', html: '<p>The <b>story</b>, told.</p>' }),
        ctx,
      );
      const b = normalize(
        raw({
          sourceId: 'b',
          title: 'big news',
          html: '<div>the story told</div>',
          link: 'https://b.example/x',
        }),
        ctx,
      );
      expect(b.fingerprint).toBe(a.fingerprint);
      expect(b.key).not.toBe(a.key);
      const c = normalize(raw({ title: 'Big News!', html: '<p>Another story.</p>' }), ctx);
      expect(c.fingerprint).not.toBe(a.fingerprint);
    });
  });

  it('normalizes a 1 MB hostile item and keeps every rule', () => {
    const chunk =
      '<p onmouseover="x()">Text <a href="java&#x09;script:alert(1)">bad</a> <a href="/ok?utm_campaign=z&n=1">ok</a>' +
      '<img src="rel.png" onerror="y()"><script>evil()</script><iframe src="//x"></iframe></p>\n';
    const html = chunk.repeat(Math.ceil(1_048_576 / chunk.length));
    const item = normalize(raw({ html, summary: undefined }), ctx);
    expect(item.contentHtml).not.toMatch(/<script|<iframe|javascript:|\son\w+=|utm_/i);
    for (const m of item.contentHtml.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      expect(m[1]).toMatch(/^https?:\/\//);
    }
    expect(item.summary.length).toBeLessThanOrEqual(300);
  });
});
