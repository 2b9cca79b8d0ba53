// `page` sources: CSS selectors over an HTML list page, values read raw.
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../src/ingest/index.js';
import { ctx, doc, fetched } from './build.js';

const LIST = `<!DOCTYPE html><html><head><title>Blog news</title></head><body>
<nav><a href="/">Home</a></nav>
<article class="post">
  <h2><a href="/posts/first">First &amp; foremost</a></h2>
  <time datetime="2026-01-04T10:00:00Z">4 Jan</time>
  <p class="lede">The first post.</p>
  <img src="/img/1.jpg"><span class="by">Ann</span>
</article>
<article class="post">
  <h2><a href="https://other.example/second">Second</a></h2>
  <p class="lede">The second post.</p>
</article>
<article class="post"><h2>No link here</h2></article>
</body></html>`;

const SELECT = {
  item: 'article.post',
  title: 'h2',
  link: 'h2 a@href',
  date: 'time@datetime',
  summary: 'p.lede',
  image: 'img',
  author: '.by',
};

describe('page sources', () => {
  it('reads one item per match, attributes with @, links left relative', async () => {
    const r = await ingest(
      fetched('page', [doc('https://blog.example/news', LIST, { contentType: 'text/html' })], {
        select: SELECT,
      }),
      ctx,
    );
    expect(r.items.map((i) => i.title)).toEqual(['First & foremost', 'Second', 'No link here']);
    expect(r.items[0]).toMatchObject({
      link: '/posts/first',
      guid: '/posts/first',
      baseUrl: 'https://blog.example/news',
      published: '2026-01-04T10:00:00Z',
      summary: 'The first post.',
      image: '/img/1.jpg',
      authors: ['Ann'],
    });
    expect(r.items[2]?.link).toBeUndefined();
    expect(r.meta).toEqual({ title: 'Blog news', link: 'https://blog.example/news', format: 'html-page' });
  });

  it('caps the items at maxItems', async () => {
    const r = await ingest(
      fetched('page', [doc('https://blog.example/news', LIST)], { select: SELECT, maxItems: 1 }),
      ctx,
    );
    expect(r.items).toHaveLength(1);
    expect(r.warnings[0]?.code).toBe('MAX_ITEMS');
  });

  it('names a selector that is not valid CSS', async () => {
    const attempt = ingest(
      fetched('page', [doc('https://blog.example/news', LIST)], { select: { ...SELECT, item: 'article[' } }),
      ctx,
    );
    await expect(attempt).rejects.toThrow('select.item "article[" is not a valid CSS selector');
  });
});
