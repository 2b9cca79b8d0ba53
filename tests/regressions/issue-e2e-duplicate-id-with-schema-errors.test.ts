// Found by the end-to-end tests: a sources.json with schema problems AND a duplicate source id listed
// only the schema problems; the duplicate surfaced after the user had fixed everything shown.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { FeedloomError } from '../../src/errors.js';

function problemsOf(json: unknown): string[] {
  try {
    parseConfig(JSON.stringify(json), '/project/sources.json');
  } catch (e) {
    if (e instanceof FeedloomError)
      return e.message
        .split('\n')
        .slice(1)
        .map((l) => l.trim());
    throw e;
  }
  return [];
}

describe('duplicate source ids are reported with the schema problems', () => {
  it('lists the duplicate beside a bad url in the same file', () => {
    expect(
      problemsOf({
        sources: [
          { id: 'a', kind: 'feed', url: 'https://a.example/rss' },
          { id: 'b', kind: 'feed', url: 'not a url' },
          { id: 'a', kind: 'feed', url: 'https://c.example/rss' },
        ],
      }),
    ).toEqual([
      'sources[1].url: expected a URL (http://, https:// or file:), got "not a url"',
      'sources[2].id: "a" is already used by sources[0]',
    ]);
  });

  it('still reports the duplicate once when the schema passes', () => {
    expect(
      problemsOf({
        sources: [
          { id: 'a', kind: 'feed', url: 'https://a.example/rss' },
          { id: 'a', kind: 'feed', url: 'https://c.example/rss' },
        ],
      }),
    ).toEqual(['sources[1].id: "a" is already used by sources[0]']);
  });
});
