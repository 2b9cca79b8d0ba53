// A page's <base href> is what its relative URLs resolve against: in the story and in its metadata.
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../../src/ingest/article/extract/index.js';

const STORY =
  '<p>The hull had three soft planks near the stern, which I cut out and replaced with new larch over the weekend.</p><p>The caulking took longer than the planking: cotton first, then oakum, then a seam compound.</p>';

function page(base: string): string {
  return `<!DOCTYPE html><html><head><base href="${base}"><title>Boat</title>
    <meta property="og:image" content="img/cover.jpg"><link rel="canonical" href="boat.html"></head>
    <body><article>${STORY}<p><img src="img/hull.jpg" srcset="img/hull-2x.jpg 2x"> See <a href="caulking.html">the caulking notes</a>.</p></article></body></html>`;
}

describe('<base href>', () => {
  it.each([
    ['an absolute base on a web page', 'https://news.example/2026/12/boat', 'https://cdn.example/diaries/'],
    ['a relative base on a web page', 'https://cdn.example/2026/12/boat', '/diaries/'],
    ['an absolute base in a local file', 'file:///tmp/boat.html', 'https://cdn.example/diaries/'],
  ])('%s', (_name, pageUrl, base) => {
    const a = extractArticle(page(base), pageUrl);
    expect(a.base).toBe('https://cdn.example/diaries/');
    expect(a.html).toContain('src="https://cdn.example/diaries/img/hull.jpg"');
    expect(a.html).toContain('srcset="https://cdn.example/diaries/img/hull-2x.jpg 2x"');
    expect(a.html).toContain('href="https://cdn.example/diaries/caulking.html"');
    expect(a.image).toBe('https://cdn.example/diaries/img/cover.jpg');
    expect(a.canonical).toBe('https://cdn.example/diaries/boat.html');
  });
});
