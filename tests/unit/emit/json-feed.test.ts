import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXTENSION_ABOUT } from '../../../src/emit/json-feed.js';
import { validate } from './json-schema-lite.js';
import { also, HOSTILE, makeEntry, SITE } from './make-entry.js';
import { render } from './render.js';

const SCHEMA = JSON.parse(
  readFileSync(new URL('../../schemas/jsonfeed-1.1.schema.json', import.meta.url), 'utf8'),
);

const entries = [
  makeEntry({
    entryId: 'e-1',
    item: {
      image: 'https://img.example/a.webp',
      updated: new Date('2026-01-05T12:30:00Z'),
      enclosures: [{ url: 'https://cdn.example/ep.mp3', type: 'audio/mpeg', length: 1000 }],
    },
    alsoFrom: [also('daily', 'The Daily', 'https://daily.example.net/s/1')],
  }),
  makeEntry({ entryId: 'e-2', item: { title: HOSTILE.emoji, authors: [], tags: [] } }),
];

describe('JSON Feed 1.1 (feed.json)', () => {
  const doc = JSON.parse(render(entries).json);

  it('validates against tests/schemas/jsonfeed-1.1.schema.json', () => {
    expect(validate(SCHEMA, doc)).toEqual([]);
    expect(validate(SCHEMA, JSON.parse(render([]).json))).toEqual([]);
    const { feedBase: _f, url: _u, ...bare } = SITE;
    expect(validate(SCHEMA, JSON.parse(render(entries, { site: bare }).json))).toEqual([]);
  });

  it.each([
    ['no version', (d: Record<string, unknown>) => ({ ...d, version: undefined })],
    [
      'the 1.0 version',
      (d: Record<string, unknown>) => ({ ...d, version: 'https://jsonfeed.org/version/1' }),
    ],
    ['an item without id', (d: { items: object[] }) => ({ ...d, items: [{ content_html: '' }] })],
    ['an item without content', (d: { items: object[] }) => ({ ...d, items: [{ id: 'x' }] })],
    ['a numeric id', (d: { items: object[] }) => ({ ...d, items: [{ id: 1, content_text: '' }] })],
    [
      'a date without zone',
      (d: { items: object[] }) => ({
        ...d,
        items: [{ id: 'x', content_text: '', date_published: '2026-01-05T10:00:00' }],
      }),
    ],
    ['a relative url', (d: object) => ({ ...d, home_page_url: '/home' })],
    ['an unknown key (typo)', (d: object) => ({ ...d, home_page: 'https://x.example/' })],
    ['an author with nothing', (d: object) => ({ ...d, authors: [{}] })],
  ])('the checker rejects %s (it can fail)', (_name, mutate) => {
    const bad = JSON.parse(JSON.stringify(mutate(doc as never)));
    expect(validate(SCHEMA, bad)).not.toEqual([]);
  });

  it('has the 1.1 feed fields', () => {
    expect(doc.version).toBe('https://jsonfeed.org/version/1.1');
    expect(doc.title).toBe('World Desk');
    expect(doc.home_page_url).toBe('https://news.example.org/');
    expect(doc.feed_url).toBe('https://news.example.org/feeds/feed.json');
    expect(doc.description).toBe('Every wire, once.');
    expect(doc.language).toBe('en');
    expect(doc.authors).toEqual([{ name: 'World Desk' }]);
    expect(doc.author).toBeUndefined();
  });

  it('has the 1.1 item fields', () => {
    const [first, second] = doc.items;
    expect(first).toMatchObject({
      id: 'e-1',
      url: 'https://wire.example.com/world/story-1',
      title: 'Quiet storm over the harbour',
      summary: 'The harbour was quiet.',
      image: 'https://img.example/a.webp',
      date_published: '2026-01-05T10:00:00Z',
      date_modified: '2026-01-05T12:30:00Z',
      authors: [{ name: 'Ann Reporter' }],
      tags: ['world'],
      attachments: [{ url: 'https://cdn.example/ep.mp3', mime_type: 'audio/mpeg', size_in_bytes: 1000 }],
    });
    expect(first.content_html).toMatch(/^<p>The harbour was quiet\.<\/p><p>Also reported by: /);
    expect(second.title).toBe(HOSTILE.emoji);
    expect(second.date_modified).toBeUndefined();
    expect(second.authors).toBeUndefined();
  });

  it('names the outlets of every item in the _feedloom extension: each that carried a story, or its one', () => {
    const [first, second] = doc.items;
    expect(first._feedloom).toEqual({
      about: EXTENSION_ABOUT,
      sources: [
        { id: 'wire', title: 'Wire Service', url: 'https://wire.example.com/world/story-1' },
        { id: 'daily', title: 'The Daily', url: 'https://daily.example.net/s/1' },
      ],
    });
    expect(second._feedloom).toEqual({
      about: EXTENSION_ABOUT,
      sources: [{ id: 'wire', title: 'Wire Service', url: 'https://wire.example.com/world/story-1' }],
    });
  });
});
