// Full text for feeds: which feed items count as truncated (the e2e test in tests/e2e/article.e2e.test.ts
// runs the whole thing against a loopback server).
import { describe, expect, it } from 'vitest';
import { feedText, looksTruncated } from '../../../src/pipeline/full-text.js';

describe('full text: which feed items look truncated', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
  it.each([
    ['empty', '', true],
    ['a summary-length text', words(40), true],
    ['ends with an ellipsis', `${words(200)}…`, true],
    ['ends with [...]', `${words(200)} [...]`, true],
    ['ends with Read more', `${words(200)} Read more`, true],
    ['ends with Continue reading →', `${words(200)} Continue reading →`, true],
    ['a complete long text', `${words(200)}.`, false],
    ['a long text that ends with the word more', `${words(200)} and we need more`, false],
  ])('%s', (_name, text, truncated) => {
    expect(looksTruncated(text)).toBe(truncated);
  });
});

describe('full text: the text the feed gave', () => {
  it('is the plain text of the content, else of the summary', () => {
    const base = {
      sourceId: 's',
      baseUrl: 'https://x.example/',
      authors: [],
      categories: [],
      enclosures: [],
    };
    expect(feedText({ ...base, html: '<p>One&nbsp;<b>two</b></p><script>x()</script> three&hellip;' })).toBe(
      'One two three…',
    );
    expect(feedText({ ...base, summary: 'Only a summary' })).toBe('Only a summary');
  });
});
