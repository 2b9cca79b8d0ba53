// An output's include/exclude/minWords (src/pipeline/filter.ts) and the over-fetch loop that fills a
// filtered feed up to its limit.
import { describe, expect, it } from 'vitest';
import {
  countWords,
  type EntryPredicate,
  entryPredicate,
  FILTER_POLICY,
  selectFiltered,
} from '../../../src/pipeline/filter.js';
import type { Entry } from '../../../src/types.js';
import { makeEntry } from '../emit/make-entry.js';

const story = makeEntry({
  item: {
    title: 'Harbour reopens after the STORM',
    contentHtml: '<p>Ships sail again.</p><p>The port &amp; the <b>ferries</b> run.</p>',
    summary: 'Ships sail again.',
    authors: ['Ann Reporter', 'Wire Bot'],
    tags: ['World', 'Transport'],
  },
});

const keep = (output: Parameters<typeof entryPredicate>[0]): boolean => {
  const p = entryPredicate(output);
  if (!p) throw new Error('expected a predicate');
  return p(story);
};

describe('entryPredicate', () => {
  it('is undefined without filters, so the store selection stands as it is', () => {
    expect(entryPredicate({})).toBeUndefined();
    expect(entryPredicate({ include: {}, exclude: {} })).toBeUndefined();
  });

  it.each([
    ['title, case-insensitive', { exclude: { title: 'storm' } }, false],
    ['title not matching', { exclude: { title: 'sponsored|advertorial' } }, true],
    ['content text, tags ignored', { exclude: { content: 'port & the ferries' } }, false],
    ['content does not match markup', { exclude: { content: '<b>' } }, true],
    ['any one author', { exclude: { author: '\\bbot\\b' } }, false],
    ['any one category', { exclude: { category: '^transport$' } }, false],
    ['include every field given: both match', { include: { title: 'harbou?r', category: 'world' } }, true],
    ['include every field given: one fails', { include: { title: 'harbour', category: '^sport$' } }, false],
    ['include and exclude together', { include: { title: 'harbour' }, exclude: { author: 'bot' } }, false],
    ['minWords met (8 words of content)', { minWords: 8 }, true],
    ['minWords not met', { minWords: 9 }, false],
  ] as const)('%s', (_, output, expected) => {
    expect(keep(output)).toBe(expected);
  });

  it('counts the summary when there is no content', () => {
    const p = entryPredicate({ minWords: 3 }) as EntryPredicate;
    expect(p(makeEntry({ item: { contentHtml: '', summary: 'one two three' } }))).toBe(true);
    expect(p(makeEntry({ item: { contentHtml: '', summary: 'one two' } }))).toBe(false);
  });

  it('matches a summary written apart from the content', () => {
    const p = entryPredicate({ exclude: { content: 'paid partnership' } }) as EntryPredicate;
    expect(p(makeEntry({ item: { contentHtml: '<p>Body.</p>', summary: 'A paid partnership.' } }))).toBe(
      false,
    );
  });
});

describe('countWords', () => {
  it.each([
    ['', 0],
    ['one, two — three!', 3],
    ["don't stop", 2],
    ['مرحبا بالعالم', 2],
  ])('%j has %d words', (text, n) => {
    expect(countWords(text)).toBe(n);
  });

  it('counts words in CJK text without spaces (ICU dictionary: the exact split may vary)', () => {
    expect(countWords('東京で地震がありました')).toBeGreaterThanOrEqual(4);
  });
});

describe('selectFiltered', () => {
  const all: Entry[] = Array.from({ length: 500 }, (_, i) =>
    makeEntry({ entryId: `e${i}`, item: { title: i % 10 === 0 ? `keep ${i}` : `drop ${i}` } }),
  );
  const store = () => {
    const asked: number[] = [];
    const query = (limit: number): Entry[] => {
      asked.push(limit);
      return all.slice(0, limit);
    };
    return { asked, query };
  };
  const onlyKeep = entryPredicate({ include: { title: '^keep' } });

  it('asks again with a larger window until the limit is filled, keeping the store order', () => {
    const s = store();
    const got = selectFiltered(s.query, 20, onlyKeep);
    expect(got.map((e) => e.entryId)).toEqual(Array.from({ length: 20 }, (_, i) => `e${i * 10}`));
    expect(s.asked).toEqual([40, 160, 640]);
  });

  it('stops when the store has no more, returning what passed', () => {
    const s = store();
    expect(selectFiltered(s.query, 100, onlyKeep)).toHaveLength(50);
    expect(s.asked.at(-1)).toBeGreaterThan(all.length);
  });

  it('asks once with the limit when there is no filter', () => {
    const s = store();
    expect(selectFiltered(s.query, 7, undefined)).toHaveLength(7);
    expect(s.asked).toEqual([7]);
  });

  it('never asks for more than FILTER_POLICY.maxScan', () => {
    const asked: number[] = [];
    const endless = (limit: number): Entry[] => {
      asked.push(limit);
      return Array.from({ length: limit }, (_, i) =>
        makeEntry({ entryId: `x${i}`, item: { title: 'drop' } }),
      );
    };
    expect(selectFiltered(endless, 10, onlyKeep)).toEqual([]);
    expect(Math.max(...asked)).toBe(FILTER_POLICY.maxScan);
  });
});
