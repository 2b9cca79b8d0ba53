// Authors are people: "By" goes, profile URLs go, and the publication's own name is not an author,
// whichever of JSON-LD, meta tags or a byline names them.
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../../src/ingest/article/extract/index.js';

const URL = 'https://metrotimes.example/2026/12/mayor';
const BODY =
  '<article><p>The mayor resigned on Thursday morning after an investigation found he had claimed more than 20,000 in expenses.</p><p>In a short statement outside the town hall, he said he had made honest mistakes, and would repay the money.</p></article>';
const ld = (o: unknown) => `<script type="application/ld+json">${JSON.stringify(o)}</script>`;

describe('author names', () => {
  it.each([
    [
      'JSON-LD strings: "By Jane Smith" and a profile URL',
      ld({ '@type': 'NewsArticle', author: ['By Jane Smith', 'https://metrotimes.example/staff/tom-reid'] }),
      ['Jane Smith'],
    ],
    [
      'JSON-LD Person named "By JOHN DOE", and one by @id',
      ld({
        '@graph': [
          { '@type': 'NewsArticle', author: [{ '@id': '#p1' }, { '@type': 'Person', name: 'By JOHN DOE' }] },
          { '@type': 'Person', '@id': '#p1', name: 'Jane Roe' },
        ],
      }),
      ['Jane Roe', 'JOHN DOE'],
    ],
    [
      'JSON-LD author that is the publisher',
      `${ld({
        '@type': 'NewsArticle',
        author: [
          { '@type': 'Person', name: 'Jane Smith' },
          { '@type': 'Organization', name: 'Metro Times' },
        ],
        publisher: { '@type': 'Organization', name: 'Metro Times' },
      })}`,
      ['Jane Smith'],
    ],
    [
      'meta author "Name, Site" with og:site_name',
      '<meta property="og:site_name" content="Metro Times"><meta name="author" content="Jane Smith, Metro Times">',
      ['Jane Smith'],
    ],
    [
      'meta author "Name, Site" where only <title> names the site',
      '<title>Metro Times | Mayor resigns over expenses row</title><meta name="author" content="Jane Smith, Metro Times">',
      ['Jane Smith'],
    ],
    [
      'meta author with two people stays two',
      '<title>Mayor resigns | Metro Times</title><meta name="author" content="Jane Smith, Tom Reid">',
      ['Jane Smith', 'Tom Reid'],
    ],
    [
      'meta author "By ..." is cleaned as JSON-LD is',
      '<meta name="author" content="By Kim Lee">',
      ['Kim Lee'],
    ],
  ])('%s', (_name, head, authors) => {
    const html = `<!doctype html><html><head>${head}</head><body>${BODY}</body></html>`;
    expect(extractArticle(html, URL).authors).toEqual(authors);
  });
});
