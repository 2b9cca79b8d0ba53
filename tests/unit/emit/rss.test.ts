import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src/types.js';
import { also, kid, kids, makeEntry, parseXml, SITE, T0, textOf, type XNode } from './make-entry.js';
import { render } from './render.js';

async function channelOf(rss: string): Promise<XNode | undefined> {
  return kid(kid(await parseXml(rss), 'rss'), 'channel');
}

const story = makeEntry({
  entryId: 'e-42',
  item: {
    image: 'https://img.example/photo.JPG',
    tags: ['world', 'harbour'],
    authors: ['Ann Reporter', 'Bo Writer'],
    updated: new Date('2026-01-05T12:00:00Z'),
  },
  alsoFrom: [
    also('daily', 'The Daily', 'https://daily.example.net/s/1'),
    also('blog', 'A <Blog>', 'https://blog.example/p?id=1&x=2'),
  ],
});

describe('RSS 2.0 (feed.xml)', () => {
  it('describes the channel: title, link, description, language, generator, self link', async () => {
    const ch = await channelOf(render([story]).rss);
    expect(textOf(kid(ch, 'title'))).toBe('World Desk');
    expect(textOf(kid(ch, 'link'))).toBe('https://news.example.org/');
    expect(textOf(kid(ch, 'description'))).toBe('Every wire, once.');
    expect(textOf(kid(ch, 'language'))).toBe('en');
    expect(textOf(kid(ch, 'generator'))).toBe('feedloom/0.1.0');
    const self = kid(ch, 'atom:link');
    expect(self?.$).toEqual({
      href: 'https://news.example.org/feeds/feed.xml',
      rel: 'self',
      type: 'application/rss+xml',
    });
  });

  it('leaves out the channel link when neither site.url nor feedBase gives an absolute URL (issue: <link></link>)', async () => {
    const { rss } = render([story], { site: { title: 'World Desk' } });
    const ch = await channelOf(rss);
    expect(kid(ch, 'link')).toBeUndefined();
    expect(rss).not.toContain('<link></link>');
    // The items keep their own links.
    expect(textOf(kid(kid(ch, 'item'), 'link'))).toBe(story.item.link);
  });

  it('puts a non-main output under its prefix in the self link', async () => {
    const ch = await channelOf(render([story], { prefix: 'asia/' }).rss);
    expect(kid(ch, 'atom:link')?.$?.['href']).toBe('https://news.example.org/feeds/asia/feed.xml');
  });

  it('has no self link without feedBase (it must be absolute)', async () => {
    const { feedBase: _, ...site } = SITE;
    const ch = await channelOf(render([story], { site }).rss);
    expect(kids(ch, 'atom:link')).toEqual([]);
  });

  it('writes the guid as the entry id, not a permalink', async () => {
    const item = kid(await channelOf(render([story]).rss), 'item');
    expect(kid(item, 'guid')?.$).toEqual({ isPermaLink: 'false' });
    expect(textOf(kid(item, 'guid'))).toBe('e-42');
    expect(textOf(kid(item, 'link'))).toBe('https://wire.example.com/world/story-1');
  });

  it('dates items in RFC 822 GMT and the channel by its newest entry, not by the clock', async () => {
    const ch = await channelOf(render([story]).rss);
    const pub = textOf(kid(kid(ch, 'item'), 'pubDate'));
    expect(pub).toBe('Mon, 05 Jan 2026 10:00:00 GMT');
    expect(pub).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    // Newest date is the item's `updated`, so a run an hour later renders the same bytes.
    expect(textOf(kid(ch, 'lastBuildDate'))).toBe('Mon, 05 Jan 2026 12:00:00 GMT');
    expect(render([story], { now: new Date('2030-01-01T00:00:00Z') }).rss).toBe(render([story]).rss);
  });

  it('carries tags as categories, authors as dc:creator, the origin feed as <source>', async () => {
    const item = kid(await channelOf(render([story]).rss), 'item');
    expect(kids(item, 'category').map(textOf)).toEqual(['world', 'harbour']);
    expect(kids(item, 'dc:creator').map(textOf)).toEqual(['Ann Reporter', 'Bo Writer']);
    expect(kids(item, 'author')).toEqual([]);
    expect(kid(item, 'source')?.$).toEqual({ url: 'https://wire.example.com/rss.xml' });
    expect(textOf(kid(item, 'source'))).toBe('Wire Service');
  });

  it('encloses the image with a type guessed from its extension', async () => {
    const item = kid(await channelOf(render([story]).rss), 'item');
    expect(kid(item, 'enclosure')?.$).toEqual({
      url: 'https://img.example/photo.JPG',
      type: 'image/jpeg',
      length: '0',
    });
  });

  it('prefers a podcast enclosure over the image (RSS allows one)', async () => {
    const e = makeEntry({
      item: {
        image: 'https://img.example/p.png',
        enclosures: [{ url: 'https://cdn.example/ep1.mp3', type: 'audio/mpeg', length: 1234 }],
      },
    });
    const item = kid(await channelOf(render([e]).rss), 'item');
    expect(kid(item, 'enclosure')?.$).toEqual({
      url: 'https://cdn.example/ep1.mp3',
      type: 'audio/mpeg',
      length: '1234',
    });
  });

  it('sends content:encoded with an "Also reported by" paragraph, description = summary', async () => {
    const item = kid(await channelOf(render([story]).rss), 'item');
    expect(textOf(kid(item, 'content:encoded'))).toBe(
      '<p>The harbour was quiet.</p><p>Also reported by: <a href="https://daily.example.net/s/1">The Daily</a>, ' +
        '<a href="https://blog.example/p?id=1&amp;x=2">A &lt;Blog&gt;</a></p>',
    );
    expect(textOf(kid(item, 'description'))).toBe('The harbour was quiet.');
  });

  it('has no "Also reported by" when only one outlet carried the story', async () => {
    const item = kid(await channelOf(render([makeEntry()]).rss), 'item');
    expect(textOf(kid(item, 'content:encoded'))).toBe('<p>The harbour was quiet.</p>');
  });

  it('does not name again a source of the same site that carried the same page', async () => {
    // A site's main feed and its section feed: same name, same link as the story itself.
    const entry = makeEntry({
      alsoFrom: [
        also('wire-world', 'Wire Service', makeEntry().item.link),
        also('wire-local', 'Wire Service', 'https://wire.example/local/same-story'),
      ],
    });
    const item = kid(await channelOf(render([entry]).rss), 'item');
    expect(textOf(kid(item, 'content:encoded'))).toBe(
      '<p>The harbour was quiet.</p><p>Also reported by: <a href="https://wire.example/local/same-story">Wire Service</a></p>',
    );
    const single = makeEntry({ alsoFrom: [also('wire-world', 'Wire Service', makeEntry().item.link)] });
    expect(textOf(kid(kid(await channelOf(render([single]).rss), 'item'), 'content:encoded'))).toBe(
      '<p>The harbour was quiet.</p>',
    );
  });

  it('never sends an empty content:encoded (it would hide the summary in readers)', async () => {
    const item = kid(
      await channelOf(render([makeEntry({ item: { contentHtml: ' ', summary: 'A & B' } })]).rss),
      'item',
    );
    expect(textOf(kid(item, 'content:encoded'))).toBe('<p>A &amp; B</p>');
  });

  it('shows the picture of an item without content: a photo post is its photo, not "(untitled)"', async () => {
    const encoded = async (item: Partial<Item>) =>
      textOf(kid(kid(await channelOf(render([makeEntry({ item })]).rss), 'item'), 'content:encoded'));
    const image = 'https://files.social.example/media/sunset.png';
    expect(await encoded({ contentHtml: '', summary: '', title: '(untitled)', image })).toBe(
      `<p><img src="${image}" alt=""></p>`,
    );
    // A summary and the photo: both.
    expect(await encoded({ contentHtml: '', summary: 'Sunset.', image })).toBe(
      `<p>Sunset.</p><p><img src="${image}" alt=""></p>`,
    );
    // Content is left as it is.
    expect(await encoded({ contentHtml: '<p>Sunset.</p>', image })).toBe('<p>Sunset.</p>');
  });

  it('renders an empty output as a valid empty channel', async () => {
    const ch = await channelOf(render([]).rss);
    expect(kids(ch, 'item')).toEqual([]);
    expect(textOf(kid(ch, 'title'))).toBe('World Desk');
  });

  it('keeps the date of the item in UTC whatever the input offset', async () => {
    const e = makeEntry({ item: { published: new Date('2026-03-01T01:30:00+05:30') } });
    const item = kid(await channelOf(render([e]).rss), 'item');
    expect(textOf(kid(item, 'pubDate'))).toBe('Sat, 28 Feb 2026 20:00:00 GMT');
    expect(T0.toUTCString()).toBe('Mon, 05 Jan 2026 10:00:00 GMT');
  });
});
