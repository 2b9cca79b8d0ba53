import { describe, expect, it } from 'vitest';
import { storyLinkKey } from '../../../src/util/url.js';

describe('storyLinkKey', () => {
  it.each([
    ['http and https', 'http://news.example/a', 'https://news.example/a'],
    ['www', 'https://www.news.example/a', 'https://news.example/a'],
    ['a trailing slash', 'https://news.example/a/', 'https://news.example/a'],
    ['an AMP path', 'https://news.example/a/amp/', 'https://news.example/a'],
    [
      'AMP parameters, other parameters kept',
      'https://news.example/a?amp=1&id=3&outputType=amp',
      'https://news.example/a?id=3',
    ],
    ['a fragment', 'https://news.example/a#comments', 'https://news.example/a'],
    ['a script route kept', 'https://news.example/#!/story/1', 'https://news.example/#!/story/1'],
    ['a port kept', 'https://news.example:8443/a/', 'https://news.example:8443/a'],
    ['a query-only page', 'https://www.news.example/?p=12', 'https://news.example/?p=12'],
    ['"www." as the whole name left alone', 'https://www.example/a', 'https://www.example/a'],
    [
      'a path that only starts with amp kept',
      'https://news.example/amp-stories/a',
      'https://news.example/amp-stories/a',
    ],
  ])('%s', (_name, link, key) => {
    expect(storyLinkKey(link)).toBe(key);
  });

  it('gives no key for a home page or a non-URL', () => {
    expect(storyLinkKey('https://news.example/')).toBeUndefined();
    expect(storyLinkKey('http://www.news.example')).toBeUndefined();
    expect(storyLinkKey('https://news.example/?amp=1#top')).toBeUndefined();
    expect(storyLinkKey('not a url')).toBeUndefined();
  });
});
