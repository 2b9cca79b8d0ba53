// Dates written in the page's markup when no meta tag or JSON-LD gives them: microdata on any
// element, <time pubdate>, and hAtom's abbr.published (Blogger, older WordPress themes).
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../../src/ingest/article/extract/index.js';

const STORY =
  '<p>The first paragraph of the story is long enough to count as a real paragraph of text, with several clauses, commas, and words.</p><p>The second paragraph of the story is long enough to count, with several clauses, commas, and words.</p>';

describe('dates in the markup', () => {
  it.each([
    [
      'Blogger: itemprop=datePublished on an <abbr title>',
      '<div class="post hentry"><h3 class="post-title">Boat</h3><div class="post-header"><abbr class="published" itemprop="datePublished" title="2026-12-03T09:14:00Z">9:14 AM</abbr></div><div class="post-body">{STORY}</div></div>',
      { published: '2026-12-03T09:14:00Z' },
    ],
    [
      'hAtom without microdata: abbr.published and abbr.updated',
      '<div class="hentry"><abbr class="published" title="2026-12-01T08:00:00+01:00">1 Dec</abbr><abbr class="updated" title="2026-12-02T08:00:00+01:00">2 Dec</abbr><div class="entry-content">{STORY}</div></div>',
      { published: '2026-12-01T08:00:00+01:00', modified: '2026-12-02T08:00:00+01:00' },
    ],
    [
      'microdata on <span content> elements',
      '<article itemscope itemtype="https://schema.org/BlogPosting"><span itemprop="datePublished" content="2026-11-30">30 Nov</span><span itemprop="dateModified" content="2026-12-01">1 Dec</span>{STORY}</article>',
      { published: '2026-11-30', modified: '2026-12-01' },
    ],
    [
      'microdata on <time> still wins over a later plain <time>',
      '<article><time datetime="2020-01-01">old</time><time itemprop="datePublished" datetime="2026-12-02">2 Dec</time>{STORY}</article>',
      { published: '2026-12-02' },
    ],
  ])('%s', (_name, body, expected) => {
    const html = `<!doctype html><html><head><title>Boat</title></head><body>${body.replace('{STORY}', STORY)}</body></html>`;
    expect(extractArticle(html, 'https://blog.example/2026/12/boat.html')).toMatchObject(expected);
  });
});
