// The lenient reader (cheerio) and the article and page adapters load on first need. This file runs
// in a module registry of its own, so its first feed with markup is read before cheerio is loaded:
// the mapping must load it and map again, not lose or garble the markup.
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../src/ingest/index.js';
import { readFixture } from '../../helpers/fixtures.js';
import { ctx, doc, fetched } from './build.js';

describe('readers loaded on first need', () => {
  it('reads xhtml content of the first feed read, before the cheerio view was loaded', async () => {
    const name = 'atom10-xhtml-content.xml';
    const r = await ingest(
      fetched('feed', [doc(`https://feeds.example.test/${name}`, readFixture(`feeds/${name}`))]),
      ctx,
    );
    expect(r.recovered).toBe(false);
    expect(r.items[0]?.html).toContain('<p>Mixed <b>bold</b> and <i>italic</i> text, then &amp; more.</p>');
    expect(r.items[0]?.html).toContain('<a name="anchor"></a>Anchor above');
  });

  it('reads a page and an article source, whose adapters load on their first use', async () => {
    const page = await ingest(
      fetched('page', [
        doc('https://site.example.test/news/', '<article><h2><a href="/a">First story</a></h2></article>'),
      ]),
      ctx,
    );
    expect(page.items[0]).toMatchObject({ title: 'First story', link: 'https://site.example.test/a' });
    const article = await ingest(
      fetched('article', [
        doc(
          'https://site.example.test/a',
          '<html><head><title>Solo</title></head><body><p>Body text.</p></body></html>',
        ),
      ]),
      ctx,
    );
    expect(article.items[0]?.title).toBe('Solo');
  });
});
