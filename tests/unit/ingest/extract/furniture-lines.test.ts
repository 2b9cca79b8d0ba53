// Furniture inside and after the story that is only a line: the heading over a removed link list,
// and a newsletter plug at the end.
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../../src/ingest/article/extract/index.js';

const P = (n: number) =>
  `<p>Paragraph ${n} of the story is long enough to count as a real paragraph of text, with several clauses, commas, and words.</p>`;
const LINKS =
  '<ul><li><a href="/a">Council to review bus routes</a></li><li><a href="/b">New cycle lane opens</a></li></ul>';

function story(inner: string): string {
  return extractArticle(
    `<!doctype html><html><head><title>Plain markup story</title></head><body><div id="wrap"><div id="story"><h1>Plain markup story</h1>${inner}</div></div></body></html>`,
    'https://metrotimes.example/story',
  ).text;
}

describe('lines of furniture', () => {
  it('drops a "Related stories" heading with the link list it introduced, mid-story', () => {
    const text = story(`${P(1)}${P(2)}<h3>Related stories</h3>${LINKS}${P(3)}`);
    expect(text).not.toContain('Related stories');
    expect(text.split('\n')).toHaveLength(3);
  });

  it('drops any heading left with nothing under it once its link list is gone', () => {
    const text = story(`${P(1)}${P(2)}${P(3)}<h3>Elsewhere in the region</h3>${LINKS}`);
    expect(text).not.toContain('Elsewhere');
  });

  it('keeps a section heading whose section goes on after a removed link list', () => {
    const text = story(`${P(1)}<h2>Background</h2>${LINKS}${P(2)}${P(3)}`);
    expect(text).toContain('Background');
  });

  it.each([
    '<p><em>Sign up to our free daily newsletter to get stories like this in your inbox.</em></p>',
    '<p>Sign up for our weekly briefing.</p>',
  ])('drops a closing newsletter plug: %s', (plug) => {
    const text = story(`${P(1)}${P(2)}${P(3)}${plug}<h3>More from Metro Times</h3>${LINKS}`);
    expect(text).not.toMatch(/Sign up|More from/);
    expect(text.split('\n')).toHaveLength(3);
  });
});
