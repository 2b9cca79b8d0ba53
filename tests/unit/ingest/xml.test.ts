// The XML machinery below the fixtures: entity safety, format detection, and the promise that the
// lenient reader gives the same fields as the strict one.
import { describe, expect, it } from 'vitest';
import { FeedloomError } from '../../../src/errors.js';
import { detectFeed } from '../../../src/ingest/feed/detect.js';
import { readLenient, repairXml } from '../../../src/ingest/feed/lenient.js';
import { mapFeedTree } from '../../../src/ingest/feed/map.js';
import { readStrict } from '../../../src/ingest/feed/rss-parser.js';
import { stripDoctype } from '../../../src/ingest/feed/safety.js';
import { findXmlProblem, outsideProtected } from '../../../src/ingest/feed/wellformed.js';
import { ingest } from '../../../src/ingest/index.js';
import { listFixtures, readFixture } from '../../helpers/fixtures.js';
import { ctx, doc, fetched } from './build.js';

const URL = 'https://x.example/feed';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof FeedloomError ? e.code : 'NOT_FEEDLOOM';
  }
}

describe('entity safety', () => {
  it('refuses a 5 MB DOCTYPE of nested entities before any parser runs', async () => {
    // Each level references the previous ten times: expanded, this would be astronomically large.
    const levels = ['<!ENTITY e0 "ha">'];
    for (let i = 1, size = 0; size < 5_000_000; i++) {
      const line = `<!ENTITY e${i} "${`&e${i - 1};`.repeat(10)}">`;
      levels.push(line);
      size += line.length + 1;
    }
    const text = `<?xml version="1.0"?>\n<!DOCTYPE rss [\n${levels.join('\n')}\n]>\n<rss version="2.0"><channel><title>&e${levels.length - 1};</title></channel></rss>`;
    expect(text.length).toBeGreaterThan(5_000_000);
    const before = process.memoryUsage().heapUsed;
    const attempt = ingest(fetched('feed', [doc(URL, text)]), ctx);
    await expect(attempt).rejects.toMatchObject({ code: 'PARSE_ENTITIES' });
    await expect(attempt).rejects.toThrow(`declares ${levels.length} entities`);
    // Nothing was expanded: the heap grew by far less than a single expansion level would need.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200_000_000);
  });

  it('refuses the billion laughs fixture with PARSE_ENTITIES', async () => {
    const attempt = ingest(fetched('feed', [doc(URL, readFixture('feeds/billion-laughs.xml'))]), ctx);
    await expect(attempt).rejects.toBeInstanceOf(FeedloomError);
    await expect(attempt).rejects.toMatchObject({ code: 'PARSE_ENTITIES' });
  });

  it('removes a plain DOCTYPE and keeps line numbers', () => {
    const text = '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//x//EN"\n "http://x/rss.dtd">\n<rss/>';
    expect(stripDoctype(text, URL)).toBe('<?xml version="1.0"?>\n\n\n<rss/>');
  });

  it('removes a DOCTYPE whose internal subset declares no entities', () => {
    expect(stripDoctype('<!DOCTYPE rss [ <!ELEMENT rss ANY> ]><rss/>', URL)).toBe('<rss/>');
  });

  it('never resolves an undeclared entity reference: it stays text', async () => {
    const text =
      '<rss version="2.0"><channel><title>t</title><item><title>a &lol9; b</title></item></channel></rss>';
    const r = await ingest(fetched('feed', [doc(URL, text)]), ctx);
    expect(r.items[0]?.title).toBe('a &lol9; b');
    expect(r.recovered).toBe(true);
  });
});

describe('detectFeed', () => {
  it.each([
    ['RSS 2.0', '<rss version="2.0"><channel/></rss>', 'rss2'],
    ['RSS without version', '<rss><channel/></rss>', 'rss2'],
    ['RSS 0.91', '<rss version="0.91"><channel/></rss>', 'rss091'],
    ['RSS 0.92', "<rss version='0.92'><channel/></rss>", 'rss092'],
    [
      'RSS 1.0',
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"/>',
      'rss1',
    ],
    ['Atom 1.0', '<feed xmlns="http://www.w3.org/2005/Atom"/>', 'atom10'],
    ['Atom 1.0 prefixed', '<a:feed xmlns:a="http://www.w3.org/2005/Atom"/>', 'atom10'],
    ['Atom 0.3', '<feed version="0.3" xmlns="http://purl.org/atom/ns#"/>', 'atom03'],
    [
      'BOM, declaration, comment, PI, DOCTYPE first',
      '\uFEFF<?xml version="1.0"?>\n<!-- c -->\n<?xml-stylesheet href="s.xsl"?>\n<!DOCTYPE rss>\n<rss version="2.0"/>',
      'rss2',
    ],
    ['JSON Feed 1.1', '  {"version": "https://jsonfeed.org/version/1.1", "items": []}', 'jsonfeed11'],
    ['JSON Feed 1.0', '{"version": "https://jsonfeed.org/version/1", "items": []}', 'jsonfeed10'],
  ])('%s', (_name, text, format) => {
    expect(detectFeed(text, URL).format).toBe(format);
  });

  it.each([
    ['HTML page', '<!DOCTYPE html><html><body>hi</body></html>', 'PARSE_UNKNOWN_FORMAT', 'an HTML page'],
    [
      'other XML',
      '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
      'PARSE_UNKNOWN_FORMAT',
      'root is <svg>',
    ],
    ['feed in no namespace', '<feed><entry/></feed>', 'PARSE_UNKNOWN_FORMAT', 'not the Atom'],
    ['JSON that is not a feed', '{"name": "x"}', 'PARSE_UNKNOWN_FORMAT', 'not a JSON Feed'],
    ['invalid JSON', '{"version": ', 'PARSE_FEED', 'invalid JSON'],
    ['empty', '  \n ', 'PARSE_UNKNOWN_FORMAT', 'the document is empty (nothing but whitespace), not a feed'],
    ['plain text', 'Hello, world', 'PARSE_UNKNOWN_FORMAT', 'neither XML nor JSON'],
  ])('%s is refused with a message saying what it is', (_name, text, code, message) => {
    expect(codeOf(() => detectFeed(text, URL))).toBe(code);
    expect(() => detectFeed(text, URL)).toThrow(message);
  });
});

describe('findXmlProblem', () => {
  it.each([
    ['well-formed', '<rss><t>a &amp; b &#233; &#xE9;</t></rss>', undefined],
    ['entities inside CDATA are fine', '<rss><t><![CDATA[&eacute; & x]]></t></rss>', undefined],
    ['HTML entity', '<rss><t>&eacute;</t></rss>', 'entity &eacute;'],
    ['bare ampersand', '<rss><t>a & b</t></rss>', 'bare "&"'],
    ['garbage after the root', '<rss></rss><script/>', 'content after the root'],
    ['comment after the root is allowed', '<rss></rss>\n<!-- c -->\n', undefined],
  ])('%s', (_name, text, problem) => {
    const found = findXmlProblem(text);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe('repairXml', () => {
  it('turns HTML entities numeric and escapes bare ampersands, outside CDATA only', () => {
    const { text, fixes } = repairXml(
      '<t>R&D &eacute;t&eacute; &amp; &#38;</t><c><![CDATA[&eacute; & x]]></c>',
    );
    expect(text).toBe('<t>R&amp;D &#233;t&#233; &amp; &#38;</t><c><![CDATA[&eacute; & x]]></c>');
    expect(fixes).toEqual(expect.arrayContaining(['bare & escaped', 'HTML entities made numeric']));
  });
});

describe('the lenient reader gives the same fields as the strict one', () => {
  const xmlFixtures = listFixtures('feeds').filter((name) => {
    if (!name.endsWith('.xml')) return false;
    try {
      const text = stripDoctype(readFixture(`feeds/${name}`), URL);
      return findXmlProblem(text) === undefined;
    } catch {
      return false;
    }
  });

  it.each(xmlFixtures)('%s', async (name) => {
    const text = stripDoctype(readFixture(`feeds/${name}`), URL);
    const detected = detectFeed(text, URL);
    if (detected.dialect === 'json') throw new Error('not XML');
    const mapCtx = { sourceId: 's', url: URL, format: detected.format };
    let strict: unknown;
    try {
      strict = mapFeedTree(await readStrict(text, detected), mapCtx);
    } catch {
      return; // rss-parser's own limits (an Atom date it cannot read): covered by its fixture
    }
    const tree = readLenient(repairXml(text).text, detected);
    expect(tree).toBeDefined();
    if (tree) expect(mapFeedTree(tree, mapCtx)).toEqual(strict);
  });
});

describe('hostile shapes stay linear', () => {
  it('reads a feed with 200 000 unterminated CDATA openings and comments', async () => {
    const junk = '<![CDATA[x <!-- y '.repeat(200_000);
    const text = `<rss version="2.0"><channel><title>t</title><item><title>ok</title><description>${junk}</description></item></channel></rss>`;
    const r = await ingest(fetched('feed', [doc(URL, text)]), ctx);
    expect(r.recovered).toBe(true);
    expect(r.items[0]?.title).toBe('ok');
  });
});

describe('outsideProtected', () => {
  it('splits around CDATA and comments, leaving unterminated ones outside', () => {
    const chunks: string[] = [];
    outsideProtected('a<![CDATA[b]]>c<!--d-->e<![CDATA[f', (chunk) => chunks.push(chunk));
    expect(chunks).toEqual(['a', 'c', 'e<![CDATA[f']);
  });
});

describe('lenient reading of unclosed elements', () => {
  it('keeps inline markup inside a title but frees the item elements it swallowed', async () => {
    const text =
      '<rss version="2.0"><channel><title>t</title>' +
      '<item><title>Big <b>news</b> today<link>https://x.example/1</link><pubDate>Mon, 05 Jan 2026 10:00:00 GMT</pubDate></item>' +
      '<item><title>Bare & second</title><link>https://x.example/2</link></item></channel></rss>';
    const r = await ingest(fetched('feed', [doc(URL, text)]), ctx);
    expect(r.recovered).toBe(true);
    expect(r.items.map((i) => [i.title, i.link])).toEqual([
      ['Big news today', 'https://x.example/1'],
      ['Bare & second', 'https://x.example/2'],
    ]);
    expect(r.items[0]?.published).toBe('Mon, 05 Jan 2026 10:00:00 GMT');
  });
});

describe('Atom text constructs', () => {
  it('read a declared-text title and summary as the words they are, "<" and all', async () => {
    const { normalize } = await import('../../../src/normalize/index.js');
    const text = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Types &lt;3</title>
      <entry><id>urn:x:1</id><title>Generics in Java: List&lt;String&gt; vs List&lt;Object&gt;</title>
        <updated>2026-12-01T10:00:00Z</updated>
        <summary>Why List&lt;String&gt; is not a List&lt;Object&gt;, and when to use &lt;? extends T&gt;.</summary></entry>
      <entry><id>urn:x:3</id><title>My ISP is injecting ads &amp;amp; popups</title><updated>2026-12-01T10:00:00Z</updated>
        <summary>R&amp;D &amp;amp; more</summary></entry>
      <entry><id>urn:x:2</id><title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; brave</title><updated>2026-12-01T10:00:00Z</updated>
        <summary type="html">&lt;p&gt;One &lt;em&gt;two&lt;/em&gt;&lt;/p&gt;</summary></entry></feed>`;
    const { items, meta } = await ingest(fetched('feed', [doc(URL, text)]), ctx);
    const now = () => new Date('2026-12-02T00:00:00Z');
    const [plain, twice, html] = items.map((raw) => normalize(raw, { now }));
    expect(plain?.title).toBe('Generics in Java: List<String> vs List<Object>');
    expect(plain?.summary).toBe('Why List<String> is not a List<Object>, and when to use <? extends T>.');
    expect(plain?.contentHtml).toContain('List&lt;String&gt; is not a List&lt;Object&gt;');
    // Escaped twice, as Reddit does: entities are decoded once, as for every title.
    expect(twice?.title).toBe('My ISP is injecting ads & popups');
    expect(twice?.summary).toBe('R&D & more');
    expect(html?.title).toBe('Bold & brave');
    expect(html?.summary).toBe('One two');
    expect(meta.title).toBe('Types &lt;3');
    expect(meta.titleIsHtml).toBe(true);
  });
});
