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

describe('contentKey word count', () => {
  it('ends words exactly where \\s does, for every character', () => {
    // One candidate separator between 20 words: counts as \s splits it, or as one long word.
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      if (/[a-z0-9]/i.test(ch)) continue;
      const summary = Array.from({ length: MIN_WORDS_FOR_CONTENT_MATCH }, (_, i) => `w${i}`).join(ch);
      const item = makeItem({ summary });
      const isSpace = /\s/.test(ch);
      expect(contentKey(item) !== undefined, `U+${c.toString(16)}`).toBe(isSpace);
    }
  });
});
