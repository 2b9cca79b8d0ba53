// Content that repeats the item's title as its first heading loses that heading; any other stays.
import { describe, expect, it } from 'vitest';
import { normalize } from '../../../src/normalize/index.js';
import type { RawItem } from '../../../src/types.js';

const NOW = new Date('2026-01-10T12:00:00Z');

function item(title: string | undefined, html: string) {
  const raw: RawItem = {
    sourceId: 'blog',
    baseUrl: 'https://blog.example/',
    link: 'https://blog.example/post',
    html,
    authors: [],
    categories: [],
    enclosures: [],
    ...(title !== undefined ? { title } : {}),
  };
  return normalize(raw, { now: () => NOW });
}

describe('a first heading that repeats the title', () => {
  it.each([
    ['the same words', 'Harbour reopens', '<h2>Harbour reopens</h2><p>Ships are back.</p>'],
    [
      'an h1 with a link, other case and punctuation',
      'Harbour reopens!',
      '<h1 class="entry-title"><a href="/post">harbour Reopens</a></h1>\n<p>Ships are back.</p>',
    ],
    ['a question', 'Harbour reopens?', '<h3>Harbour reopens?</h3><p>Ships are back.</p>'],
  ])('goes from the content and the summary: %s', (_name, title, html) => {
    const it = item(title, html);
    expect(it.contentHtml).toBe('<p>Ships are back.</p>');
    expect(it.summary).toBe('Ships are back.');
  });

  it.each([
    ['a heading of its own', 'Harbour reopens', '<h2>Background</h2><p>Ships are back.</p>'],
    ['the title heading after a paragraph', 'Harbour reopens', '<p>Lead.</p><h2>Harbour reopens</h2>'],
    ['content that is only the heading', 'Harbour reopens', '<h2>Harbour reopens</h2>'],
  ])('stays when it is %s', (_name, title, html) => {
    expect(item(title, html).contentHtml).toBe(html);
  });

  it('stays when the item has no title of its own (the title then comes from the text)', () => {
    const it = item(undefined, '<h2>Harbour reopens</h2><p>Ships are back.</p>');
    expect(it.contentHtml).toBe('<h2>Harbour reopens</h2><p>Ships are back.</p>');
  });
});
