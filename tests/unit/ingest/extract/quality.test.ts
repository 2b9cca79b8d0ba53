// Extraction quality, measured: every page of tests/fixtures/extraction is extracted and its text
// compared with the hand-written main text beside it (<name>.expected.txt), word by word. The table
// is printed so a change to the heuristics shows what it gained and what it cost, page by page.
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../../src/ingest/article/extract/index.js';
import { listFixtures, readFixture } from '../../../helpers/fixtures.js';

const MIN_MEAN_F1 = 0.95;
const MIN_PAGE_F1 = 0.85;
const MIN_PAGES = 22;

/** Case-folded words with punctuation stripped; each CJK character counts as a word of its own. */
function words(s: string): string[] {
  return (
    s
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}]+/gu) ?? []
  );
}

/** Bag-of-words precision, recall and F1, with multiplicity. */
function score(got: string, expected: string): { precision: number; recall: number; f1: number } {
  const bag = new Map<string, number>();
  for (const w of words(expected)) bag.set(w, (bag.get(w) ?? 0) + 1);
  const gotWords = words(got);
  let common = 0;
  for (const w of gotWords) {
    const left = bag.get(w) ?? 0;
    if (left > 0) {
      common++;
      bag.set(w, left - 1);
    }
  }
  const expectedCount = words(expected).length;
  const precision = gotWords.length === 0 ? 0 : common / gotWords.length;
  const recall = expectedCount === 0 ? 0 : common / expectedCount;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

const pages = listFixtures('extraction').filter((f) => f.endsWith('.html'));

describe('the scoring itself', () => {
  it.each([
    ['identical text', 'A b, c.', 'a B c', 1, 1],
    ['extra words lower precision', 'a b c d', 'a b', 0.5, 1],
    ['missing words lower recall', 'a', 'a b', 1, 0.5],
    ['multiplicity counts', 'a a a', 'a', 1 / 3, 1],
    ['CJK characters are words', '東京の雨', '東京の雪', 0.75, 0.75],
  ])('%s', (_name, got, expected, precision, recall) => {
    const s = score(got, expected);
    expect(s.precision).toBeCloseTo(precision);
    expect(s.recall).toBeCloseTo(recall);
  });
});

describe('extraction quality over the fixture corpus', () => {
  it(`has at least ${MIN_PAGES} pages, each with its expected text`, () => {
    expect(pages.length).toBeGreaterThanOrEqual(MIN_PAGES);
  });

  it(`reaches a mean F1 of ${MIN_MEAN_F1} and no page below ${MIN_PAGE_F1}`, () => {
    const rows = pages.map((page) => {
      const name = page.replace(/\.html$/, '');
      const article = extractArticle(readFixture(`extraction/${page}`), `https://fixtures.example/${name}`);
      return { name, ...score(article.text, readFixture(`extraction/${name}.expected.txt`)) };
    });
    const mean = rows.reduce((n, r) => n + r.f1, 0) / rows.length;
    const pct = (x: number) => x.toFixed(3).padStart(9);
    const width = Math.max(...rows.map((r) => r.name.length));
    console.log(
      [
        `${'page'.padEnd(width)} precision    recall        F1`,
        ...rows.map((r) => `${r.name.padEnd(width)} ${pct(r.precision)} ${pct(r.recall)} ${pct(r.f1)}`),
        `${'mean'.padEnd(width)} ${' '.repeat(19)} ${pct(mean)}`,
      ].join('\n'),
    );
    expect(rows.filter((r) => r.f1 < MIN_PAGE_F1).map((r) => r.name)).toEqual([]);
    expect(mean).toBeGreaterThanOrEqual(MIN_MEAN_F1);
  });
});
