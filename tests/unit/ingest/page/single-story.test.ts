// looksLikeStory: the hint preview gives for a page without a listing ("add it as an article source").
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { looksLikeStory } from '../../../../src/ingest/page/index.js';

const page = (head: string, body: string) =>
  cheerio.load(`<!doctype html><html><head><title>t</title>${head}</head><body>${body}</body></html>`);
const ld = (o: unknown) => `<script type="application/ld+json">${JSON.stringify(o)}</script>`;

describe('looksLikeStory', () => {
  it.each([
    ['og:type article', page('<meta property="og:type" content="article">', '<h1>Bridge</h1>')],
    ['JSON-LD NewsArticle', page(ld({ '@type': 'NewsArticle', headline: 'Bridge' }), '<h1>Bridge</h1>')],
    [
      'JSON-LD BlogPosting in @graph, with a schema.org URL type',
      page(
        ld({ '@graph': [{ '@type': 'WebPage' }, { '@type': 'https://schema.org/BlogPosting' }] }),
        '<p>x</p>',
      ),
    ],
    ['itemprop articleBody', page('', '<div itemprop="articleBody"><p>Text.</p></div>')],
    [
      'one <article> of several paragraphs',
      page('', '<article><h1>B</h1><p>1</p><p>2</p><p>3</p></article>'),
    ],
    [
      'an <article> with an unlinked <h1> and paragraphs among teaser <article>s',
      page(
        '',
        '<article><h3><a href="/a">Teaser one</a></h3></article><article><h1>B</h1><p>1</p><p>2</p><p>3</p></article><article><h3><a href="/b">Teaser two</a></h3></article>',
      ),
    ],
  ])('%s', (_name, $) => {
    expect(looksLikeStory($)).toBe(true);
  });

  it.each([
    [
      'an about page',
      page('<meta property="og:type" content="website">', '<h1>About</h1><p>We are small.</p>'),
    ],
    ['a short <article> card', page('', '<article><h2>Card</h2><p>Teaser.</p></article>')],
    [
      'a blog front page of whole posts, each headed by its link',
      page(
        '',
        '<article><h1><a href="/a">Post A</a></h1><p>1</p><p>2</p><p>3</p></article><article><h1><a href="/b">Post B</a></h1><p>1</p><p>2</p><p>3</p></article>',
      ),
    ],
    ['JSON-LD of an organisation', page(ld({ '@type': 'Organization', name: 'Gazette' }), '<p>x</p>')],
  ])('not %s', (_name, $) => {
    expect(looksLikeStory($)).toBe(false);
  });
});
