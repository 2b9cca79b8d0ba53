// The article's title: which <h1> is the headline, and the site's name kept out of it.
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../../src/ingest/article/extract/index.js';

const URL = 'https://harbourdiaries.example/2026/12/02/boat/';
const STORY =
  '<p>The hull had three soft planks near the stern, which I cut out and replaced with new larch over the weekend.</p><p>The caulking took longer than the planking: cotton first, then oakum, then a seam compound.</p>';

function page(head: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
}

describe('the headline among several <h1>s', () => {
  it.each([
    [
      'Twenty Eleven: the site title is an <h1> linking home, the headline is in <article>',
      '<title>Repairing the old boat | Harbour Diaries</title>',
      `<div id="page"><header id="branding" role="banner"><hgroup><h1 id="site-title"><span><a href="http://harbourdiaries.example/" rel="home">Harbour Diaries</a></span></h1></hgroup></header>
       <div id="main"><article class="post hentry"><header class="entry-header"><h1 class="entry-title">Repairing the old boat</h1></header><div class="entry-content">${STORY}</div></article></div></div>`,
      'Repairing the old boat',
    ],
    [
      'a bare <h1> that only links to "/" is the logo; the story has no landmark but <title> names it',
      '<title>Harbour Diaries - Repairing the old boat</title>',
      `<div class="top"><h1><a href="/">Harbour Diaries</a></h1></div><div class="col"><h1>Repairing the old boat</h1>${STORY}</div>`,
      'Repairing the old boat',
    ],
    [
      'a logo <h1> by its class, without a home link',
      '<title>Boats</title>',
      `<div class="site-logo"><h1>Harbour Diaries</h1></div><div class="col"><h1>Repairing the old boat</h1>${STORY}</div>`,
      'Repairing the old boat',
    ],
    [
      'a headline that links to its own permalink is still the headline',
      '<title>Boats</title>',
      `<div class="col"><h1><a href="/2026/12/02/boat/">Repairing the old boat</a></h1>${STORY}</div>`,
      'Repairing the old boat',
    ],
  ])('%s', (_name, head, body, title) => {
    expect(extractArticle(page(head, body), URL).title).toBe(title);
  });
});

describe("the site's name kept out of the title", () => {
  const ld = (o: unknown) => `<script type="application/ld+json">${JSON.stringify(o)}</script>`;
  const body = `<article>${STORY}</article>`;
  it.each([
    [
      'og:title with og:site_name as suffix',
      '<meta property="og:title" content="Harbour Bridge Reopens After Two-Year Repair - Coastal Notes"><meta property="og:site_name" content="Coastal Notes">',
      'Harbour Bridge Reopens After Two-Year Repair',
    ],
    [
      'og:title with the JSON-LD publisher as prefix',
      `<meta property="og:title" content="Metro Times | Mayor resigns over expenses row">${ld({ '@type': 'NewsArticle', publisher: { '@type': 'Organization', name: 'Metro Times' } })}`,
      'Mayor resigns over expenses row',
    ],
    [
      'twitter:title with the JSON-LD WebSite name (@graph)',
      `<meta name="twitter:title" content="Mayor resigns over expenses row · Metro Times">${ld({ '@graph': [{ '@type': 'WebSite', name: 'Metro Times' }, { '@type': 'Article' }] })}`,
      'Mayor resigns over expenses row',
    ],
    [
      "og:title with the site name that <title> shows beside the page's <h1>",
      '<title>Mayor resigns over expenses row | Metro Times</title><meta property="og:title" content="Mayor resigns over expenses row | Metro Times">',
      'Mayor resigns over expenses row',
    ],
    [
      "og:title with a <title> suffix that spells the host's name",
      '<title>Other words | Harbour Diaries</title><meta property="og:title" content="Repairing the old boat – Harbour Diaries">',
      'Repairing the old boat',
    ],
    [
      'a title whose last part is not a known site name stays whole',
      '<meta property="og:title" content="Budget 2026: what changes - and what does not"><meta property="og:site_name" content="Coastal Notes">',
      'Budget 2026: what changes - and what does not',
    ],
  ])('%s', (_name, head, title) => {
    // The fourth scenario tells the site's name by the <h1> that <title> repeats.
    const h1 = '<h1>Mayor resigns over expenses row</h1>';
    expect(extractArticle(page(head, `${h1}${body}`), URL).title).toBe(title);
  });

  it('prefers JSON-LD headline to twitter:title and dc.title (og:title still comes first)', () => {
    const head = `<meta name="twitter:title" content="Card"><meta name="dc.title" content="DC">${ld({ '@type': 'NewsArticle', headline: 'Headline' })}`;
    expect(extractArticle(page(head, body), URL).title).toBe('Headline');
    expect(extractArticle(page(`<meta property="og:title" content="OG">${head}`, body), URL).title).toBe(
      'OG',
    );
  });
});
