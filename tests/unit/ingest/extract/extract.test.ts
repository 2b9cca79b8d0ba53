// The extractor's rules, one named scenario each: metadata sources, what cleaning removes and keeps,
// and URLs made absolute. The quality corpus (quality.test.ts) measures the whole; these pin the parts.
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../../src/ingest/article/extract/index.js';

const URL = 'https://news.example/2026/03/story';
const PARA = (n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      `<p>Paragraph ${i + 1} of the story, long enough to count as prose, with a comma, and then some more words to read.</p>`,
  ).join('\n');

function page(head: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
}
const ld = (o: unknown) => `<script type="application/ld+json">${JSON.stringify(o)}</script>`;

describe('metadata', () => {
  it.each([
    [
      'JSON-LD in @graph with the author by @id reference',
      ld({
        '@context': 'https://schema.org',
        '@graph': [
          { '@type': 'WebPage', '@id': `${URL}#page` },
          {
            '@type': 'NewsArticle',
            headline: 'H',
            author: { '@id': '#p1' },
            datePublished: '2026-03-01T10:00:00Z',
            dateModified: '2026-03-02T10:00:00Z',
          },
          { '@type': 'Person', '@id': '#p1', name: 'Ada Lind' },
        ],
      }),
      { authors: ['Ada Lind'], published: '2026-03-01T10:00:00Z', modified: '2026-03-02T10:00:00Z' },
    ],
    [
      'JSON-LD author as one string naming two people',
      ld({ '@type': 'BlogPosting', author: 'Mia Chen and Tom Reid' }),
      { authors: ['Mia Chen', 'Tom Reid'] },
    ],
    [
      'JSON-LD author as an array of objects and strings',
      ld({ '@type': ['Article'], author: [{ '@type': 'Person', name: 'A. One' }, 'B. Two'] }),
      { authors: ['A. One', 'B. Two'] },
    ],
    [
      'meta author; a profile URL in article:author is not a name',
      '<meta property="article:author" content="https://facebook.example/x"><meta name="author" content="Kim Lee">',
      { authors: ['Kim Lee'] },
    ],
    [
      'Open Graph and Twitter cards',
      '<meta property="og:site_name" content="Gazette"><meta name="twitter:title" content="Card title"><meta name="twitter:image" content="/i/card.jpg"><meta name="description" content="Desc">',
      {
        siteName: 'Gazette',
        title: 'Card title',
        image: 'https://news.example/i/card.jpg',
        description: 'Desc',
      },
    ],
    [
      'JSON-LD image object, canonical relative with tracking parameters (normalize strips them)',
      `${ld({ '@type': 'NewsArticle', image: { '@type': 'ImageObject', url: 'https://cdn.example/a.jpg' } })}<link rel="canonical" href="/2026/03/story?utm_source=x&amp;id=4">`,
      {
        image: 'https://cdn.example/a.jpg',
        canonical: 'https://news.example/2026/03/story?utm_source=x&id=4',
      },
    ],
    [
      'JSON-LD in @graph with the image by @id reference (Yoast)',
      ld({
        '@context': 'https://schema.org',
        '@graph': [
          { '@type': 'NewsArticle', headline: 'H', image: { '@id': `${URL}#primaryimage` } },
          { '@type': 'ImageObject', '@id': `${URL}#primaryimage`, url: '/wp-content/uploads/a.jpg' },
        ],
      }),
      { image: 'https://news.example/wp-content/uploads/a.jpg' },
    ],
    [
      'broken JSON-LD is ignored',
      '<script type="application/ld+json">{"@type": "NewsArticle",</script>',
      { authors: [] },
    ],
  ])('%s', (_name, head, expected) => {
    expect(extractArticle(page(head, `<article>${PARA(3)}</article>`), URL)).toMatchObject(expected);
  });

  it('takes the date from <time datetime> and the author from a byline when no tag gives them', () => {
    const a = extractArticle(
      page(
        '<title>T</title>',
        `<article><p class="byline">By Jo Park</p><time datetime="2026-02-02T08:00:00Z">2 Feb</time>${PARA(3)}</article>`,
      ),
      URL,
    );
    expect(a).toMatchObject({ authors: ['Jo Park'], published: '2026-02-02T08:00:00Z' });
    expect(a.text).not.toContain('Jo Park');
  });

  it('leaves relative URLs as written for a local file (no web address to resolve them against)', () => {
    const a = extractArticle(
      page(
        '<meta property="og:image" content="/img/x.jpg">',
        `<article>${PARA(2)}<img src="/img/y.jpg"></article>`,
      ),
      'file:///tmp/a.html',
    );
    expect(a.image).toBe('/img/x.jpg');
    expect(a.html).toContain('src="/img/y.jpg"');
  });
});

describe('cleaning and choosing', () => {
  it('removes tracking pixels, scripts and share bars; keeps images, made absolute, from lazy attributes', () => {
    const a = extractArticle(
      page(
        '',
        `<article>${PARA(2)}<figure><img src="data:image/gif;base64,R0lGOD" data-src="/img/a.jpg" data-srcset="/img/a-2x.jpg 2x"><figcaption>Caption</figcaption></figure>
        <img src="https://t.example/p.gif" width="1" height="1"><script>track()</script><div class="social-share">Share</div>${PARA(1)}</article>`,
      ),
      URL,
    );
    expect(a.html).toContain('src="https://news.example/img/a.jpg"');
    expect(a.html).toContain('srcset="https://news.example/img/a-2x.jpg 2x"');
    expect(a.html).not.toMatch(/p\.gif|<script|Share</);
    expect(a.text).toContain('Caption');
  });

  it('drops a comment thread even when it is longer than the post', () => {
    const comments = `<section id="comments">${PARA(12)}</section>`;
    const a = extractArticle(page('', `<div class="post">${PARA(3)}</div>${comments}`), URL);
    expect(a.text.split('\n')).toHaveLength(3);
  });

  it('keeps a whole page wrapped in one <form> (ASP.NET)', () => {
    const a = extractArticle(page('', `<form id="aspnetForm"><div class="txt">${PARA(4)}</div></form>`), URL);
    expect(a.text.split('\n')).toHaveLength(4);
  });

  it('removes a cookie banner and a modal, and an "Advertisement" label without a class', () => {
    const a = extractArticle(
      page(
        '',
        `<div id="cookieConsent"><p>We use cookies, to improve your experience, and for ads, and for analytics, as our partners do.</p></div>
         <div class="modal"><p>Subscribe now, for just one euro, and read everything, everywhere, every day of the year.</p></div>
         <article>${PARA(2)}<div>Advertisement</div>${PARA(1)}</article>`,
      ),
      URL,
    );
    expect(a.text).not.toMatch(/cookies|Subscribe|Advertisement/);
    expect(a.text.split('\n')).toHaveLength(3);
  });

  it('drops the lines a page puts after the story, but keeps a source credit', () => {
    const a = extractArticle(
      page(
        '',
        `<article><div class="body">${PARA(3)}<p>Source: Wire Service</p><p>Share this</p><p>You may also like...</p></div></article>`,
      ),
      URL,
    );
    expect(a.text.split('\n')).toHaveLength(4);
    expect(a.text).toMatch(/Source: Wire Service$/);
    expect(a.html).not.toMatch(/Share this|You may also like/);
  });

  it("drops a blog's post footer: 'Posted by X at 9:14 AM', 'Labels: ...'", () => {
    const a = extractArticle(
      page(
        '',
        `<div class="post-body">${PARA(3)}<p>Posted by Helen at 9:14 AM</p><p>Labels: radios, repairs</p></div>`,
      ),
      URL,
    );
    expect(a.text.split('\n')).toHaveLength(3);
    expect(a.html).not.toMatch(/Posted by|Labels/);
  });

  it('keeps a last paragraph of prose that starts like furniture', () => {
    const last =
      'Related developments in the region suggest, according to several analysts, that the talks will resume before the spring.';
    const a = extractArticle(page('', `<article>${PARA(3)}<p>${last}</p></article>`), URL);
    expect(a.text).toMatch(/before the spring\.$/);
  });

  it('gives empty html and text, and still the metadata, for a page without a body text', () => {
    const a = extractArticle('<html><head><title>Only a title</title></head><body></body></html>', URL);
    expect(a).toMatchObject({ title: 'Only a title', text: '' });
  });
});
