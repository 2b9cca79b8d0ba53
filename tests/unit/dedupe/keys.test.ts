import { describe, expect, it } from 'vitest';
import { contentKey, MIN_WORDS_FOR_CONTENT_MATCH } from '../../../src/dedupe/keys.js';
import { makeItem } from '../../helpers/items.js';

const words = (n: number, gap = ' ') => Array.from({ length: n }, (_, i) => `word${i}`).join(gap);

describe('contentKey', () => {
  it('keys a text from the minimum word count on, and not one word before', () => {
    const at = makeItem({ summary: words(MIN_WORDS_FOR_CONTENT_MATCH) });
    const below = makeItem({ summary: words(MIN_WORDS_FOR_CONTENT_MATCH - 1) });
    expect(contentKey(at)).toBe(at.fingerprint);
    expect(contentKey(below)).toBeUndefined();
  });

  it('counts words across any whitespace, leading and trailing runs included', () => {
    // Tabs, newlines, no-break and ideographic spaces all separate words; blank runs are not words.
    const gaps = ['\t', '\n\n', '\u00a0', '\u3000', ' \u2003 '];
    for (const gap of gaps) {
      const at = makeItem({ summary: `${gap}${words(MIN_WORDS_FOR_CONTENT_MATCH, gap)}${gap}` });
      const below = makeItem({ summary: `${gap}${words(MIN_WORDS_FOR_CONTENT_MATCH - 1, gap)}${gap}` });
      expect(contentKey(at), JSON.stringify(gap)).toBe(at.fingerprint);
      expect(contentKey(below), JSON.stringify(gap)).toBeUndefined();
    }
  });
});
