import { describe, expect, it } from 'vitest';
import { assignEntries, type DedupeHistory } from '../../../src/dedupe/index.js';
import { makeItem } from '../../helpers/items.js';

const empty: DedupeHistory = {
  entryForKey: () => undefined,
  entryForLink: () => undefined,
  entryForFingerprint: () => undefined,
};

describe('exact dedupe', () => {
  it('gives distinct stories distinct entries', () => {
    const out = assignEntries([makeItem({ guid: 'a' }), makeItem({ guid: 'b' })], empty);
    expect(out.every((a) => a.newEntry)).toBe(true);
    expect(new Set(out.map((a) => a.entryId)).size).toBe(2);
  });

  it('joins the same canonical link from two sources into one entry', () => {
    const link = 'https://wire.example/2026/story';
    const out = assignEntries(
      [
        makeItem({ sourceId: 'a', guid: 'x', link }),
        makeItem({ sourceId: 'b', guid: 'y', link, summary: 'other words entirely here' }),
      ],
      empty,
    );
    expect(out[1]).toMatchObject({ entryId: out[0]?.entryId, newEntry: false, matchedBy: 'link' });
  });

  it('joins one story written in its several spellings: http, www, AMP, trailing slash, fragment', () => {
    const spellings = [
      'https://wire.example/2026/story',
      'http://www.wire.example/2026/story/',
      'https://wire.example/2026/story/amp/',
      'https://wire.example/2026/story?outputType=amp#comments',
    ];
    const out = assignEntries(
      spellings.map((link, i) => makeItem({ sourceId: `s${i}`, guid: `g${i}`, link, summary: `words ${i}` })),
      empty,
    );
    for (const later of out.slice(1)) {
      expect(later).toMatchObject({ entryId: out[0]?.entryId, newEntry: false, matchedBy: 'link' });
    }
    // A different page of the same site stays a story of its own.
    const other = assignEntries(
      [
        makeItem({ sourceId: 'a', guid: 'x', link: 'https://wire.example/2026/story' }),
        makeItem({ sourceId: 'b', guid: 'y', link: 'https://wire.example/2026/story-2', summary: 'other' }),
      ],
      empty,
    );
    expect(other[1]?.newEntry).toBe(true);
  });

  it('joins the same text under different links', () => {
    const summary =
      'Exactly the same long text published by two outlets under their own links and headlines today, with words enough to count as real content.';
    const out = assignEntries(
      [makeItem({ sourceId: 'a', guid: 'x', summary }), makeItem({ sourceId: 'b', guid: 'y', summary })],
      empty,
    );
    expect(out[1]).toMatchObject({ entryId: out[0]?.entryId, matchedBy: 'fingerprint' });
  });

  it('never joins on a short text: "Live updates" twice is two stories', () => {
    const out = assignEntries(
      [
        makeItem({ sourceId: 'a', guid: 'x', summary: 'Live updates' }),
        makeItem({ sourceId: 'b', guid: 'y', summary: 'Live updates' }),
      ],
      empty,
    );
    expect(out[0]?.entryId).not.toBe(out[1]?.entryId);
  });

  it('never joins on a home-page link that feeds repeat for every item', () => {
    const link = 'https://site.example/';
    const out = assignEntries(
      [makeItem({ guid: 'x', link, summary: 'one' }), makeItem({ guid: 'y', link, summary: 'two' })],
      empty,
    );
    expect(out[0]?.entryId).not.toBe(out[1]?.entryId);
  });

  it('keeps the entry of an item seen in an earlier run', () => {
    const item = makeItem({ guid: 'x' });
    const out = assignEntries([item], {
      ...empty,
      entryForKey: (k) => (k === item.key ? 'old-entry' : undefined),
    });
    expect(out[0]).toMatchObject({ entryId: 'old-entry', newEntry: false, matchedBy: 'key' });
  });

  it('derives a new entry id from the item, the same on every run', () => {
    const a = assignEntries([makeItem({ guid: 'x' })], empty)[0]?.entryId;
    const b = assignEntries([makeItem({ guid: 'x' })], empty)[0]?.entryId;
    expect(a).toBe(b);
  });
});
