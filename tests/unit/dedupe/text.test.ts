// The one-pass HTML scanner of text.ts against the regex passes it replaced (kept here as the
// oracle): the same paragraphs for the labeled corpus and for markup that real feeds carry.
import { describe, expect, it } from 'vitest';
import { bodyText, htmlParagraphs, NAMED_ENTITIES, stripBoilerplate } from '../../../src/dedupe/text.js';
import { READ_MORE_TAILS } from '../../../src/util/text.js';
import { readFixture } from '../../helpers/fixtures.js';

const NON_PROSE = /<(script|style|noscript|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const BLOCK_TAG =
  /<\/?(?:p|div|br|hr|li|ul|ol|h[1-6]|blockquote|pre|table|tr|td|th|section|article|header|footer|aside|figure|figcaption|dl|dt|dd)\b[^>]*>/gi;
const ANY_TAG = /<[^>]*>/g;
const ENTITY = /&(#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]{1,8});/gi;

function oracleParagraphs(html: string): string[] {
  const text = html.replace(NON_PROSE, ' ').replace(BLOCK_TAG, '\n').replace(ANY_TAG, '');
  const decoded = text.replace(ENTITY, (_m, body: string) => {
    if (body.startsWith('#')) {
      const code = /^#x/i.test(body)
        ? Number.parseInt(body.slice(2), 16)
        : Number.parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? ' ';
  });
  return decoded
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

const corpus = JSON.parse(readFixture('dedupe/corpus.json')) as { contentHtml: string; summary: string }[];

describe('htmlParagraphs', () => {
  it('gives the paragraphs the regex passes gave, for every corpus item', () => {
    for (const c of corpus) {
      expect(htmlParagraphs(c.contentHtml)).toEqual(oracleParagraphs(c.contentHtml));
      expect(htmlParagraphs(c.summary)).toEqual(oracleParagraphs(c.summary));
    }
  });

  it.each([
    ['inline tags join, block tags split', '<p>One <b>W</b>ord</p><p>Two<br/>Three</p><h2>Four</h2>'],
    ['case and attributes', '<P CLASS="x">Up</P><DIV id=a>Down</DIV><H3>Head</H3><pre>code</pre>'],
    ['look-alike tag names', '<p_x>a</p_x><pre>b</pre><phrase>c</phrase><tdx>d</tdx><br>e'],
    [
      'entities',
      '<p>A&amp;B &lt;p&gt; &#8217; &#x2014; &HELLIP; &nbsp;x &bogus; &abcdefghijk; &#0; &; &#x; &am</p>',
    ],
    ['encoded newline', '<p>one&#10;two</p>'],
    ['source newlines', '<p>line one\nline two\r\n  </p>\n\n<p>three</p>'],
    [
      'non-prose elements',
      'a<script type="x">var b = "<p>";</script>c<STYLE>p{}</style >d<noscript>e</noscript>',
    ],
    ['unclosed non-prose', 'a<script>b<p>c'],
    ['a < that opens no tag', '<p>3 < 5 and 7 > 6</p><p>x < y'],
    ['nothing but text', 'plain text &amp; more'],
    ['empty blocks', '<p></p><p>  </p><div><p>x</p></div>'],
  ])('%s', (_name, html) => {
    expect(htmlParagraphs(html)).toEqual(oracleParagraphs(html));
  });
});

describe('boilerplate tails', () => {
  const oracle = (p: string): string => READ_MORE_TAILS.reduce((s, re) => s.replace(re, ''), p);
  it.each([
    'The talks collapsed on Tuesday. Read more »',
    'The talks collapsed on Tuesday… Continue reading →',
    'The talks collapsed on Tuesday [&hellip;]',
    'The talks collapsed on Tuesday [...]  ',
    'The talks collapsed on Tuesday. Read the full story',
    `${'A long paragraph of prose. '.repeat(20)}Read more…`,
    `${'A long paragraph of prose. '.repeat(20)}and nothing else`,
    'Read more',
  ])('%s', (p) => {
    const got = stripBoilerplate(['First paragraph.', p]);
    const want = ['First paragraph.', oracle(p)].filter(Boolean);
    expect(got).toEqual(want);
  });

  it('bodyText joins the stripped paragraphs', () => {
    expect(
      bodyText({ contentHtml: '<p>WASHINGTON (Reuters) — One.</p><p>Two. Read more »</p>', summary: '' }),
    ).toBe('One.\nTwo.');
  });
});
