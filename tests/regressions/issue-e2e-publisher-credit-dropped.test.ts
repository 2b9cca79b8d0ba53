// Found by the end-to-end tests: a .txt article ending "Source: Voice of America" had its credit line
// taken out by ingest (as RawItem.publisher) and then dropped by normalize, so no output named it.
import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/normalize/index.js';
import type { RawItem } from '../../src/types.js';

const raw = (over: Partial<RawItem>): RawItem => ({
  sourceId: 'local',
  baseUrl: 'file:///articles/a.txt',
  link: 'https://news.example/a',
  title: 'Talks break down',
  html: '<p>The talks broke down on Saturday.</p>',
  published: '2026-01-05T10:00:00Z',
  authors: [],
  categories: [],
  enclosures: [],
  ...over,
});
const ctx = { now: () => new Date('2026-01-06T00:00:00Z') };

describe('a publisher credit becomes the byline when the item names no author', () => {
  it('uses the publisher when there is no author', () => {
    expect(normalize(raw({ publisher: 'Voice of America' }), ctx).authors).toEqual(['Voice of America']);
  });

  it('keeps the authors when the item has some', () => {
    expect(normalize(raw({ publisher: 'Voice of America', authors: ['Jo Reporter'] }), ctx).authors).toEqual([
      'Jo Reporter',
    ]);
  });
});
