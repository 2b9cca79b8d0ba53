// The browser view of the feeds: feed.xml and atom.xml point at feed.xsl, and applying it (xsltproc,
// the libxslt that Chromium also uses) gives a page with the feed's title, the subscribe box and every
// entry, hostile strings shown as text. xsltproc skips when missing unless FEEDLOOM_REQUIRE_TOOLS=1.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { renderOutput, writeFiles } from '../../../src/emit/index.js';
import { renderXsl, STYLESHEET_PI, withStylesheet, XSL_FILE } from '../../../src/emit/xsl.js';
import { tempDir } from '../../helpers/tmp.js';
import { HOSTILE, makeContext, makeEntry, makeOutput, parseXml, SITE } from './make-entry.js';
import { cleaned, render } from './render.js';
import { findTool, need, run } from './tools.js';

const xsltproc = () => findTool('xsltproc', ['xsltproc'], ['--version']);

const entries = [
  makeEntry({
    entryId: 'e-1',
    item: {
      title: `Markup ${HOSTILE.markup}`,
      summary: `Summary ${HOSTILE.markup} ${HOSTILE.literalAmp}`,
      link: 'https://wire.example.com/1?a=1&b=2',
      published: new Date('2026-01-05T10:00:00Z'),
    },
  }),
  makeEntry({
    entryId: 'e-2',
    item: {
      title: `${HOSTILE.rtl} ${HOSTILE.emoji}`,
      summary: 'Plain words.',
      link: 'https://wire.example.com/2',
      published: new Date('2026-01-04T08:30:00Z'),
    },
  }),
];

describe('the stylesheet reference', () => {
  it('comes right after the XML declaration in feed.xml and atom.xml', () => {
    const { rss, atom } = render(entries);
    for (const xml of [rss, atom]) {
      const lines = xml.split('\n');
      expect(lines[0]).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>$/);
      expect(lines[1]).toBe('<?xml-stylesheet type="text/xsl" href="feed.xsl"?>');
    }
  });

  it.each([
    ['<?xml version="1.0"?><rss/>', `<?xml version="1.0"?>\n${STYLESHEET_PI}<rss/>`],
    ['<rss/>', `${STYLESHEET_PI}\n<rss/>`],
  ])('withStylesheet(%j)', (input, expected) => {
    expect(withStylesheet(input)).toBe(expected);
  });

  it('is written beside the XML feeds of every output, and not for a JSON-only one', () => {
    const paths = (formats: ('rss' | 'atom' | 'json')[], prefix: string) =>
      renderOutput(entries, makeContext({ prefix, output: makeOutput({ name: 'x', formats }) })).map(
        (f) => f.path,
      );
    expect(paths(['rss', 'atom', 'json'], '')).toContain(XSL_FILE);
    expect(paths(['atom'], 'asia/')).toContain(`asia/${XSL_FILE}`);
    expect(paths(['json'], 'asia/')).not.toContain(`asia/${XSL_FILE}`);
  });
});

describe('the stylesheet', () => {
  it('is well-formed XML with no script and no unescaped output', async () => {
    const xsl = renderXsl();
    await expect(parseXml(xsl)).resolves.toBeTruthy();
    expect(xsl).not.toMatch(/disable-output-escaping|<script|javascript:|document\(|xsl:import|xsl:include/i);
  });
});

/** Writes the output and applies the stylesheet the way a browser would: through the feed's own PI. */
async function transform(file: string, ctx = makeContext()): Promise<cheerio.CheerioAPI> {
  const dir = await tempDir();
  await writeFiles(dir, renderOutput(entries, ctx));
  // No stylesheet argument: xsltproc follows the <?xml-stylesheet?> PI, so the href is tested too.
  const r = run(need(xsltproc()), ['--nonet', '--nowrite', join(dir, file)]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(await readFile(join(dir, XSL_FILE), 'utf8')).toBe(renderXsl());
  return cheerio.load(r.stdout);
}

describe.skipIf(xsltproc().skip)('xsltproc', () => {
  it.each(['feed.xml', 'atom.xml'])(
    'renders %s as a page with the title, subscribe box and entries',
    async (file) => {
      const $ = await transform(file);
      expect($('html').attr('lang')).toBe('en');
      expect($('h1').text()).toBe(SITE.title);
      expect($('header .muted').text()).toBe(SITE.description);
      const box = $('.subscribe');
      expect(box.text()).toContain('This is a web feed');
      expect(box.text()).toContain('Copy its URL into your feed reader to subscribe');
      expect(box.find('input').attr('value')).toBe(`${SITE.feedBase}${file}`);
      expect(box.find('a').attr('href')).toBe(SITE.url);
      const articles = $('main article').toArray();
      expect(articles.map((a) => $(a).find('h2').text().trim())).toEqual(
        entries.map((e) => cleaned(e.item.title)),
      );
      expect(articles.map((a) => $(a).find('h2 a').attr('href'))).toEqual(entries.map((e) => e.item.link));
      // The summary comes back as the text it was: markup shown, never run; entities decoded once.
      expect($(articles[0]).find('p:not(.meta)').text()).toBe(entries[0]?.item.summary);
      expect($('script')).toHaveLength(0);
      expect($(articles[1]).find('.meta').text()).toMatch(
        file === 'atom.xml' ? /^2026-01-04 08:30 UTC$/ : /4 Jan 2026/,
      );
    },
  );

  it('falls back to "the address bar" when the feed does not know its own URL', async () => {
    const { feedBase: _, ...site } = SITE;
    const $ = await transform('feed.xml', makeContext({ site }));
    expect($('.subscribe input')).toHaveLength(0);
    expect($('.subscribe').text()).toContain("address of this page, in your browser's address bar");
  });

  it('says so when the feed has no entries', async () => {
    const dir = await tempDir();
    await writeFiles(dir, renderOutput([], makeContext()));
    const r = run(need(xsltproc()), ['--nonet', '--nowrite', join(dir, 'atom.xml')]);
    expect(r.status, r.stderr).toBe(0);
    expect(cheerio.load(r.stdout)('main').text()).toContain('Nothing here yet.');
  });
});
