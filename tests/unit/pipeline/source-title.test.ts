// A source's name reaches the store (and every output that names the source) as plain text, the way
// its items' titles do: an Atom title of type html is markup, an RSS title may carry NBSP runs.
import { describe, expect, it } from 'vitest';
import { ingest } from '../../../src/ingest/index.js';
import { sourceTitle } from '../../../src/normalize/index.js';
import { readIngested } from '../../../src/pipeline/content.js';
import { ctx, doc, fetched, NOW } from '../ingest/build.js';

const atom = (title: string) =>
  `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">${title}<id>urn:f</id>` +
  '<updated>2026-01-10T00:00:00Z</updated><entry><title>E</title><id>urn:e</id>' +
  '<link href="https://blog.example/e"/><updated>2026-01-10T00:00:00Z</updated></entry></feed>';
const rss = (title: string) =>
  `<rss version="2.0"><channel><title>${title}</title><link>https://blog.example/</link>` +
  '<item><title>I</title><link>https://blog.example/i</link></item></channel></rss>';

async function metaOf(url: string, text: string) {
  const ingested = await ingest(fetched('feed', [doc(url, text)]), ctx);
  return { raw: ingested.meta, read: readIngested(ingested, new Set(), NOW).meta };
}

describe("a source's title", () => {
  it('is plain text when an Atom feed gives it as HTML', async () => {
    const { raw, read } = await metaOf(
      'https://blog.example/atom',
      atom('<title type="html">Blog &amp;lt;3 &lt;em&gt;daily&lt;/em&gt;</title>'),
    );
    expect(raw).toMatchObject({ title: 'Blog &lt;3 <em>daily</em>', titleIsHtml: true });
    expect(read.title).toBe('Blog <3 daily');
  });

  it('keeps "<" that an Atom text title means literally', async () => {
    const { raw, read } = await metaOf(
      'https://blog.example/atom',
      atom('<title type="text">x &lt; y</title>'),
    );
    // Declared text is carried escaped, as HTML, so nothing downstream sniffs it for tags.
    expect(raw).toMatchObject({ title: 'x &lt; y', titleIsHtml: true });
    expect(read.title).toBe('x < y');
  });

  it('has NBSP runs collapsed and entities of an RSS channel title resolved, as item titles do', async () => {
    const { read } = await metaOf('https://blog.example/rss', rss('News &#160;&#160; &amp;amp; Views'));
    expect(read.title).toBe('News & Views');
  });

  it('is left out when nothing readable is left', () => {
    expect(sourceTitle({ title: ' &nbsp; ', format: 'rss2' })).toBeUndefined();
    expect(sourceTitle({ format: 'rss2' })).toBeUndefined();
  });
});
