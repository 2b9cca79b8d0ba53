// The one srcset parser, shared by the extractor and the sanitizer.
import { describe, expect, it } from 'vitest';
import { largestCandidate, parseSrcset } from '../../../src/util/srcset.js';

describe('parseSrcset', () => {
  it.each([
    [
      'width descriptors',
      'a.jpg 400w, b.jpg 800w',
      [
        ['a.jpg', '400w'],
        ['b.jpg', '800w'],
      ],
    ],
    [
      'commas inside URLs',
      '/w_400,c_fill/a.jpg 400w,/w_800,c_fill/a.jpg 800w',
      [
        ['/w_400,c_fill/a.jpg', '400w'],
        ['/w_800,c_fill/a.jpg', '800w'],
      ],
    ],
    [
      'a URL ended by its comma, no descriptor',
      'a.jpg, b.jpg 2x',
      [
        ['a.jpg', ''],
        ['b.jpg', '2x'],
      ],
    ],
    ['one bare URL', ' a.jpg ', [['a.jpg', '']]],
    ['empty', ' , ', []],
  ])('%s', (_name, value, expected) => {
    expect(parseSrcset(value).map((c) => [c.url, c.descriptor])).toEqual(expected);
  });
});

describe('largestCandidate', () => {
  it.each([
    ['the widest width', 'a.jpg 400w, c.jpg 1200w, b.jpg 800w', 'c.jpg'],
    ['the densest density', 'a.jpg, b.jpg 2x', 'b.jpg'],
    ['none', '', undefined],
  ])('%s', (_name, value, expected) => {
    expect(largestCandidate(parseSrcset(value))).toBe(expected);
  });
});
