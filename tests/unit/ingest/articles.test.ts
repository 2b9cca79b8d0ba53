// Article files (.html, .md, .txt): one RawItem per file, golden JSON beside each fixture plus the
// rule it is there for; and the real sample text as it was received.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../src/ingest/index.js';
import { normalize } from '../../../src/normalize/index.js';
import type { Ingested, RawItem } from '../../../src/types.js';
import { fixturePath, listFixtures, readFixture, sharedSample } from '../../helpers/fixtures.js';
import { ctx, doc, fetched } from './build.js';

const MTIME = new Date('2026-01-03T04:05:06Z');

function fileDoc(path: string, text: string) {
  return doc(pathToFileURL(path).href, text, { contentType: 'application/octet-stream', modifiedAt: MTIME });
}

async function runFixture(name: string): Promise<Ingested> {
  return ingest(
    fetched('article', [fileDoc(fixturePath(`articles/${name}`), readFixture(`articles/${name}`))]),
    ctx,
  );
}

function only(r: Ingested): RawItem {
  expect(r.items).toHaveLength(1);
  const item = r.items[0];
  if (!item) throw new Error('no item');
  return item;
}

const RULES: Record<string, (r: Ingested) => void> = {
  'news-jsonld-nav-aside.html': (r) => {
    const item = only(r);
    expect(item).toMatchObject({
      title: 'Harbour bridge reopens after two years of repairs',
      link: 'https://coastal.example.com/news/bridge-reopens',
      guid: 'https://coastal.example.com/news/bridge-reopens',
      // JSON-LD (inside @graph) wins over the meta tag.
      published: '2026-01-06T05:30:00+11:00',
      updated: '2026-01-06T09:00:00+11:00',
      authors: ['Mia Chen', 'Tom Reid'],
      // The file names its web address (canonical), so its relative URLs resolve there.
      image: 'https://coastal.example.com/img/bridge.jpg',
      publisher: 'Coastal Times',
      categories: ['transport', 'bridges', 'harbour'],
    });
    // The body is the <article>: no nav, no aside, no footer; the extractor drops its script and
    // the headline (it is the item's title).
    expect(item.html).toContain('reopened on Tuesday');
    expect(item.html).not.toMatch(/<script|<h1/);
    expect(item.html).not.toMatch(/Most read|Sport|© Coastal/);
    expect(r.meta.format).toBe('article-html');
  },
  'no-article-element.html': (r) => {
    const item = only(r);
    // <title> minus the " - River Watch" suffix, since that is og:site_name.
    expect(item.title).toBe('Why the river floods every spring');
    expect(item.html).toContain('retention basins');
    expect(item.html).not.toMatch(/All stories|Levees/);
    expect(item).toMatchObject({ published: '2025-04-02', authors: ['Lena Brook'] });
    // No canonical link: the file itself.
    expect(item.link).toMatch(/^file:.*no-article-element\.html$/);
  },
  'front-matter.md': (r) => {
    const item = only(r);
    expect(item).toMatchObject({
      title: 'Release notes: version 2.0',
      published: '2026-01-02T15:00:00+01:00',
      authors: ['Kim Lee', 'Sam Ode'],
      categories: ['release', 'changelog'],
      summary: 'What changed in 2.0.',
      image: '/img/v2.png',
      link: 'https://docs.example.io/releases/2.0',
    });
    // The title came from front matter, so the body's heading stays.
    expect(item.html).toContain('<h1>This heading stays in the body</h1>');
    expect(item.html).toContain('<strong>faster</strong>');
    expect(item.html).toContain('<span class="raw">raw HTML</span>');
    expect(r.meta.format).toBe('article-markdown');
  },
  'no-front-matter.md': (r) => {
    const item = only(r);
    expect(item.title).toBe('Weekly notes');
    expect(item.html).not.toContain('Weekly notes');
    expect(item.html).toContain('<h2>Details</h2>');
    // No date in the file: its modification time.
    expect(item.published).toBe(MTIME.toISOString());
  },
  'plain-article.txt': (r) => {
    const item = only(r);
    expect(item.title).toBe('Council approves new library budget');
    expect(item.publisher).toBe('The Town Crier');
    expect(item.html).toContain(
      '<p>The city council voted on Monday to approve a new budget for the central library, ending months of debate.</p>',
    );
    expect(item.html).toContain('<h2>Opening hours</h2>');
    expect(item.html).toContain('<h2>Funding questions</h2>');
    expect(item.html).toContain('weekdays &amp; stay open');
    // A quotation ending in punctuation inside quotes is a paragraph, not a heading.
    expect(item.html).toContain('<p>"We listened to readers," said the chief librarian.</p>');
    expect(item.html).not.toMatch(/Originally published|Share this|Advertisement/);
    expect(item.published).toBe(MTIME.toISOString());
  },
};

describe('article fixtures', () => {
  it.each(listFixtures('articles'))('%s', async (name) => {
    const result = await runFixture(name);
    // The file URL depends on where the repository lives: keep the golden file portable.
    const portable = JSON.stringify(result, null, 2).replaceAll(
      pathToFileURL(fixturePath('')).href,
      'file:///FIXTURES',
    );
    await expect(portable).toMatchFileSnapshot(`../../fixtures/articles/${name}.expected.json`);
    const rule = RULES[name];
    expect(rule, `fixture ${name} needs a rule in RULES`).toBeDefined();
    rule?.(result);
  });
});

describe('the real sample article-as-received.txt', () => {
  const path = sharedSample('article-as-received.txt');
  const text = readFileSync(path, 'utf8');

  it('gives title, subheadings and publisher, and drops the tail', async () => {
    const item = only(await ingest(fetched('article', [fileDoc(path, text)]), ctx));
    expect(item.title).toBe('After North Korea Walks Away From Talks, Experts See Familiar Tactic');
    const headings = [...(item.html ?? '').matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual([
      "'Good discussions'",
      'February talks broke down',
      'Negotiations likely to continue',
      'Fourth Trump-Kim meeting',
    ]);
    expect(item.publisher).toBe('Voice of America');
    expect(item.html).not.toContain('You may also like');
    expect(item.html).not.toContain('Source: Voice of America');
    expect(
      item.html?.trimEnd().endsWith("<p>At this point, it's not clear when that engagement will occur.</p>"),
    ).toBe(true);
    expect(item.published).toBe(MTIME.toISOString());
  });

  it('keeps every U+FFFD exactly as received', async () => {
    const count = (s: string) => [...s].filter((c) => c === '\uFFFD').length;
    expect(count(text)).toBeGreaterThan(0);
    const item = only(await ingest(fetched('article', [fileDoc(path, text)]), ctx));
    expect(count(item.html ?? '')).toBe(count(text));
    expect(item.html).toContain('8\uFFFD hour discussion');
  });
});

describe('choosing the reader', () => {
  it.each([
    ['a remote URL without extension is HTML', 'https://news.example/story/42', 'text/html', 'article-html'],
    [
      'a remote text/markdown is Markdown',
      'https://x.example/notes',
      'text/markdown; charset=utf-8',
      'article-markdown',
    ],
    [
      'a remote .md served as an HTML page is HTML',
      'https://code.example/a/README.md',
      'text/html',
      'article-html',
    ],
    [
      'a remote .md served as text/plain is Markdown',
      'https://raw.example/a/README.md',
      'text/plain',
      'article-markdown',
    ],
    ['a remote text/plain without extension is text', 'https://x.example/note', 'text/plain', 'article-text'],
    ['a local .htm is HTML', 'file:///tmp/a.htm', 'application/octet-stream', 'article-html'],
    [
      'a local .markdown is Markdown',
      'file:///tmp/a.markdown',
      'application/octet-stream',
      'article-markdown',
    ],
  ])('%s', async (_name, url, contentType, format) => {
    const r = await ingest(fetched('article', [doc(url, '# T\n\nbody\n', { contentType })]), ctx);
    expect(r.meta.format).toBe(format);
  });
});

describe('an article folder', () => {
  it('ingests every document and reports a broken one as a warning', async () => {
    const docs = [
      fileDoc('/a/one.md', '# One\n\nbody'),
      fileDoc('/a/two.txt', 'Two\n\nbody'),
      fileDoc('/a/three.md', '---\ntitle: [unclosed\n---\n\nbody'),
    ];
    const r = await ingest(fetched('article', docs), ctx);
    expect(r.items.map((i) => i.title)).toEqual(['One', 'Two', 'three']);
    expect(r.warnings.map((w) => w.code)).toEqual(['ARTICLE_FRONT_MATTER']);
    expect(r.meta.format).toBe('article-markdown+article-text');
  });

  it('keeps the first maxItems items in document order, with a warning', async () => {
    const docs = ['a', 'b', 'c', 'd'].map((n) => fileDoc(`/f/${n}.md`, `# ${n}\n`));
    const r = await ingest(fetched('article', docs, { maxItems: 2 }), ctx);
    expect(r.items.map((i) => i.title)).toEqual(['a', 'b']);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'MAX_ITEMS' })]);
  });
});

describe('.txt subheadings typed directly above their paragraph', () => {
  const ingestText = async (text: string) =>
    only(await ingest(fetched('article', [fileDoc('/tmp/x.txt', text)]), ctx)).html ?? '';

  it('splits a short unpunctuated first line off as a heading', async () => {
    const html = await ingestText(
      'Title\n\nFirst paragraph ends here.\n\nSeason tickets\nHolders of season tickets will get two days added to their passes.\n\nLast paragraph.',
    );
    expect(html).toContain(
      '<h2>Season tickets</h2>\n<p>Holders of season tickets will get two days added to their passes.</p>',
    );
  });

  it('leaves a hard-wrapped paragraph whole', async () => {
    const html = await ingestText(
      'Title\n\nThe council met on Tuesday evening and voted on the\nnew budget for the harbour district after a long debate\nabout the cost of the sea wall.\n\nEnd.',
    );
    expect(html).toContain(
      '<p>The council met on Tuesday evening and voted on the new budget for the harbour district after a long debate about the cost of the sea wall.</p>',
    );
    expect(html).not.toContain('<h2>');
  });
});

describe('a page rendered by JavaScript', () => {
  const shell = (app: string) =>
    `<!DOCTYPE html><html lang="en"><head><title>Quantum chip breaks record | TechPulse</title><meta property="og:title" content="Quantum chip breaks record"/><meta property="og:site_name" content="TechPulse"/></head><body>${app}</body></html>`;
  const read = (html: string) =>
    ingest(
      fetched('article', [
        doc('https://techpulse.example/news/quantum-chip', html, { contentType: 'text/html' }),
      ]),
      ctx,
    );

  it.each([
    [
      'Next.js: skeleton divs, the story only in __NEXT_DATA__',
      '<div id="__next"><main><div class="Skeleton_skeleton__z"></div><div class="Skeleton_skeleton__z"></div></main></div><script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"article":{"body":"<p>Researchers said on Wednesday that their chip ran for an hour.</p>"}}}}</script>',
      'Next.js',
    ],
    ['an empty React root showing "Loading…"', '<div id="root"></div><p>Loading…</p>', 'single-page app'],
    ['an empty body, no framework named', '', 'JavaScript'],
  ])('%s: keeps the metadata item and warns', async (_name, app, says) => {
    const r = await read(shell(app));
    expect(only(r)).toMatchObject({ title: 'Quantum chip breaks record', publisher: 'TechPulse' });
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: 'ARTICLE_NO_TEXT', message: expect.stringContaining(says) }),
    ]);
  });

  it('gives no warning for a short story on a page that scripts also use', async () => {
    const r = await read(
      shell(
        '<div id="__next"><article><p>Researchers said on Wednesday that their 1,000-qubit chip ran for a full hour without a single logical error.</p></article></div>',
      ),
    );
    expect(r.warnings).toEqual([]);
  });
});

describe('a local file that names its web address', () => {
  const publish = async (path: string, text: string) => {
    const item = only(await ingest(fetched('article', [fileDoc(path, text)]), ctx));
    return { raw: item, item: normalize(item, ctx) };
  };

  it('.md with front matter link: relative images and links resolve against it', async () => {
    const { raw, item } = await publish(
      '/notes/budget.md',
      '---\ntitle: Budget\nlink: https://localnews.example/2026/12/02/budget/\nimage: /images/council.jpg\n---\n\n![Chamber](/images/chamber.jpg)\n\nRead the [full budget](../docs/budget.pdf).\n',
    );
    expect(raw.baseUrl).toBe('https://localnews.example/2026/12/02/budget/');
    expect(item.contentHtml).toContain('src="https://localnews.example/images/chamber.jpg"');
    expect(item.contentHtml).toContain('href="https://localnews.example/2026/12/02/docs/budget.pdf"');
    expect(item.image).toBe('https://localnews.example/images/council.jpg');
  });

  it('.html with <link rel="canonical">: relative images and links resolve against it', async () => {
    const { item } = await publish(
      '/notes/walk.html',
      `<!doctype html><html><head><title>Harbour walk guide</title><link rel="canonical" href="https://coastalnotes.example/guides/harbour-walk/"></head><body><article><h1>Harbour walk guide</h1>
      <p>Start at the lighthouse and follow the quay west for about two kilometres, past the fish market and the old customs house.</p>
      <p><img src="img/map.png" alt="Map of the walk"></p>
      <p>From the terminal, take the <a href="../ferry/">ferry</a> across to the island, where the path climbs to the old fort.</p></article></body></html>`,
    );
    expect(item.contentHtml).toContain('src="https://coastalnotes.example/guides/harbour-walk/img/map.png"');
    expect(item.contentHtml).toContain('href="https://coastalnotes.example/guides/ferry/"');
  });

  it('.md with a relative permalink stays relative to the file', async () => {
    const { raw } = await publish('/notes/x.md', '---\ntitle: X\npermalink: /2026/x/\n---\n\nbody\n');
    expect(raw.baseUrl).toMatch(/^file:.*x\.md$/);
  });
});
