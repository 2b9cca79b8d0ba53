import { describe, expect, it } from 'vitest';
import {
  authorName,
  fingerprintOf,
  fingerprintText,
  looksLikeHtml,
  plainText,
  summaryFromText,
  TITLE_MAX,
  textToHtml,
  titleFromText,
  UNTITLED,
  uniqueText,
} from '../../../src/normalize/text.js';
import { hashOf } from '../../../src/util/hash.js';

describe('plainText', () => {
  it.each<[string, string, boolean, string]>([
    ['entities decoded', 'Tom &amp; Jerry', false, 'Tom & Jerry'],
    ['double-encoded decoded once', 'AT&amp;amp;T', false, 'AT&amp;T'],
    ['numeric references', '&#8220;Quoted&#x201D;', false, '\u201CQuoted\u201D'],
    ['less-than that is not a tag kept', 'a < b and x<3', false, 'a < b and x<3'],
    ['tags stripped when flagged as HTML', '<em>Big</em> news', true, 'Big news'],
    ['tags stripped when they look like tags', 'The <b>bold</b> move', false, 'The bold move'],
    ['blocks separate words', '<p>a</p><p>b</p>', true, 'a b'],
    ['script content never shows', 'Hi<script>alert(1)</script>', true, 'Hi'],
    ['whitespace, newlines and NBSP collapsed', '  a\n\n\tb\u00A0\u00A0c  ', false, 'a b c'],
    ['XML-illegal characters removed', 'a\u0001b\u0000c\u000Bd&#1;e', false, 'abcde'],
    ['U+FFFD kept', 'caf\uFFFD', false, 'caf\uFFFD'],
    ['CDATA-escaped HTML in a flagged title', '&lt;b&gt;x&lt;/b&gt;', true, '<b>x</b>'],
    ['generics are words, not tags', 'List<String> vs List<Object>', false, 'List<String> vs List<Object>'],
    ['a one-letter type parameter too', 'Vec<T> and Box<dyn Error>', false, 'Vec<T> and Box<dyn Error>'],
    [
      'an HTML tag still is one, in any case',
      'The <STRONG>big</STRONG> <span class="x">one</span>',
      false,
      'The big one',
    ],
  ])('%s', (_name, input, isHtml, expected) => {
    expect(plainText(input, isHtml)).toBe(expected);
  });

  it('is empty for nothing', () => {
    expect(plainText(undefined)).toBe('');
    expect(plainText('   ')).toBe('');
  });

  it.each([
    ['<b>x</b>', true],
    ['<a href="x">y</a>', true],
    ['line<br/>break', true],
    ['<!-- c -->', true],
    ['a < b', false],
    ['x<3', false],
    ['<<<', false],
  ])('looksLikeHtml(%j) = %s', (input, expected) => {
    expect(looksLikeHtml(input)).toBe(expected);
  });
});

describe('textToHtml', () => {
  it('splits on blank lines and escapes', () => {
    expect(textToHtml('One & <two>\nstill one\n\n \nThree\r\n\r\nFour')).toBe(
      '<p>One &amp; &lt;two&gt;<br>\nstill one</p>\n<p>Three</p>\n<p>Four</p>',
    );
  });

  it('keeps the lines of a list and lets hard-wrapped prose flow', () => {
    expect(textToHtml('Timestamps:\n0:00 Intro\n5:30 Steaming the ribs')).toBe(
      '<p>Timestamps:<br>\n0:00 Intro<br>\n5:30 Steaming the ribs</p>',
    );
    const wrapped =
      'The council voted on Tuesday to add protected bike lanes on Main\nStreet, after a debate that ran past midnight and drew a crowd\nof about two hundred.';
    expect(textToHtml(wrapped)).toBe(`<p>${wrapped}</p>`);
  });

  it('keeps long lines apart when one ends in an address or the next starts a list item', () => {
    // YouTube's shape: long link lines one under the other, then chapters after a long line.
    expect(
      textToHtml(
        'Subscribe to the channel for more videos: https://www.youtube.example/c/cooks\n' +
          'Get the full recipe with every step on our site: https://cooks.example/ribs\n' +
          'In this episode we smoke ribs for six hours and taste them.\n' +
          '0:00 Intro\n' +
          'Tools we used in this video, all of them tested for months:\n' +
          '- a smoker\n' +
          '1. Prep',
      ),
    ).toBe(
      '<p>Subscribe to the channel for more videos: <a href="https://www.youtube.example/c/cooks">https://www.youtube.example/c/cooks</a><br>\n' +
        'Get the full recipe with every step on our site: <a href="https://cooks.example/ribs">https://cooks.example/ribs</a><br>\n' +
        'In this episode we smoke ribs for six hours and taste them.<br>\n' +
        '0:00 Intro<br>\n' +
        'Tools we used in this video, all of them tested for months:<br>\n' +
        '- a smoker<br>\n' +
        '1. Prep</p>',
    );
  });

  it('makes bare URLs links, leaving closing punctuation outside', () => {
    expect(textToHtml('Support us: https://x.example/a?b=1&c=2. Or (see http://y.example/).')).toBe(
      '<p>Support us: <a href="https://x.example/a?b=1&amp;c=2">https://x.example/a?b=1&amp;c=2</a>. ' +
        'Or (see <a href="http://y.example/">http://y.example/</a>).</p>',
    );
    expect(textToHtml('https://en.example/wiki/Foo_(bar), next')).toBe(
      '<p><a href="https://en.example/wiki/Foo_(bar)">https://en.example/wiki/Foo_(bar)</a>, next</p>',
    );
    expect(textToHtml('not a link: javascript:alert(1) <b>')).toBe(
      '<p>not a link: javascript:alert(1) &lt;b&gt;</p>',
    );
  });

  it('gives nothing for blank text', () => {
    expect(textToHtml('\n\n  \n')).toBe('');
  });
});

describe('titles and summaries from text', () => {
  it('cuts a derived title at a word, near 80 characters', () => {
    const text = 'word '.repeat(40).trim();
    const title = titleFromText(text);
    expect(title.length).toBeLessThanOrEqual(TITLE_MAX);
    expect(title.endsWith('word…')).toBe(true);
  });

  it('takes the first sentence when it fits and says enough', () => {
    expect(titleFromText('Just finished the new #rust book. Highly recommend chapter 7 on lifetimes!')).toBe(
      'Just finished the new #rust book.',
    );
    // Too short to stand alone, or no sentence end in reach: the start, cut at a word.
    expect(
      titleFromText('Wow. What a game that was, from the first minute to the last whistle tonight.'),
    ).toBe('Wow. What a game that was, from the first minute to the last whistle tonight.');
    expect(
      titleFromText('Version 2.5 is out: faster builds and a new plugin API for everyone. Details inside.'),
    ).toBe('Version 2.5 is out: faster builds and a new plugin API for everyone.');
    expect(titleFromText('Good morning 🌅')).toBe('Good morning 🌅');
    // Abbreviations and initials do not end a sentence.
    expect(titleFromText('The meeting with Dr. Smith and the U.S. Senate ran long. Then we left.')).toBe(
      'The meeting with Dr. Smith and the U.S. Senate ran long.',
    );
    expect(titleFromText('A speech by John F. Kennedy was read aloud. It moved everyone.')).toBe(
      'A speech by John F. Kennedy was read aloud.',
    );
  });

  it.each([
    [
      'in the middle of an address',
      'A plain text post. Second paragraph with a link https://example.org/a?utm_source=x. line two',
      'A plain text post. Second paragraph with a link…',
    ],
    [
      'after a whole address, before more words',
      'Moving the cluster, my notes: https://ex.org/notes/2026/cluster-move-writeup, with thanks to everyone',
      'Moving the cluster, my notes…',
    ],
    [
      'in an address in parentheses',
      'Tools for docs people read (www.example.org/blog/2026/12/tools-for-documentation-people-read)',
      'Tools for docs people read…',
    ],
  ])('does not end a derived title %s: the address goes', (_name, text, title) => {
    expect(titleFromText(text)).toBe(title);
  });

  it('keeps an address that is the only thing to cut, and one the title holds whole', () => {
    const url = `https://example.org/${'a'.repeat(120)}`;
    expect(titleFromText(url)).toBe(`${url.slice(0, TITLE_MAX - 1)}…`);
    expect(titleFromText('New post: https://example.org/a')).toBe('New post: https://example.org/a');
  });

  it('falls back to (untitled)', () => {
    expect(titleFromText('')).toBe(UNTITLED);
  });

  it('cuts a summary near 300 characters at a word', () => {
    const summary = summaryFromText('lorem ipsum '.repeat(60));
    expect(summary.length).toBeLessThanOrEqual(300);
    expect(summary).toMatch(/(?:lorem|ipsum)…$/);
  });

  it.each([
    ['a "Read more" tail', 'Talks broke down on Tuesday. Read more »', 'Talks broke down on Tuesday.'],
    ['a "Continue reading" tail', 'Talks broke down… Continue reading →', 'Talks broke down…'],
    [
      'a WordPress "[…]" excerpt tail',
      'Talks broke down on Tuesday [&hellip;]',
      'Talks broke down on Tuesday…',
    ],
    ['a "[...]" tail', 'Talks broke down [...]', 'Talks broke down…'],
    ['no tail', 'Talks broke down; read more tomorrow.', 'Talks broke down; read more tomorrow.'],
    ['nothing but the tail', 'Read more', ''],
  ])('leaves %s out of a summary', (_name, text, summary) => {
    expect(summaryFromText(text)).toBe(summary);
  });
});

describe('authors and tags', () => {
  it.each([
    ['RSS form', 'jo@news.example (Jo Doe)', 'Jo Doe'],
    ['mailbox form', 'Jo Doe <jo@news.example>', 'Jo Doe'],
    ['quoted mailbox form', '"Doe, Jo" <jo@news.example>', 'Doe, Jo'],
    ['bare address stays', 'jo@news.example', 'jo@news.example'],
    ['entities and spaces', '  Jos&eacute;\n Doe ', 'José Doe'],
    ['quoted name in the RSS form (Flickr)', 'nobody@flickr.com ("jdoe")', 'jdoe'],
    ['a byline', 'By Carla Ruiz and Dan Wu', 'Carla Ruiz and Dan Wu'],
    ['a byline with a colon, any case', 'BY: JOHN DOE', 'JOHN DOE'],
    ['a name that starts with "By"', 'Byron Kay', 'Byron Kay'],
    ['a profile page is no name', 'https://metrotimes.example/staff/tom-reid', ''],
  ])('authorName: %s', (_name, input, expected) => {
    expect(authorName(input)).toBe(expected);
  });

  it('dedupes case-insensitively, keeping the first spelling, dropping blanks', () => {
    expect(uniqueText(['Go', 'go', '', 'Rust', 'GO'])).toEqual(['Go', 'Rust']);
  });
});

describe('fingerprintOf', () => {
  it('is the hash of fingerprintText, on every path', () => {
    const alphabet = ['a', 'Z', '7', ' ', '  ', ',', '-', '\u00a0', '“', '—', '…', 'é', 'ﬁ', '東', '\n', '.'];
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const samples = ['', ' ', '—', 'A', ' Leading and trailing. ', 'x'.repeat(40_000)];
    for (let k = 0; k < 500; k++) {
      let s = '';
      for (let len = next() % 60; len > 0; len--) s += alphabet[next() % alphabet.length];
      samples.push(s);
    }
    for (const s of samples) expect(fingerprintOf(s), JSON.stringify(s)).toBe(hashOf([fingerprintText(s)]));
  });

  it('tells different words apart and ignores how they are spelled out', () => {
    expect(fingerprintOf('Talks broke down.')).toBe(fingerprintOf('talks — broke  down'));
    expect(fingerprintOf('Talks broke down.')).not.toBe(fingerprintOf('Talks broke up.'));
  });
});

describe('fingerprintText', () => {
  it('ignores case, punctuation, spacing and compatibility forms', () => {
    expect(fingerprintText('Hello,  World! — ﬁne')).toBe(fingerprintText('hello world fine'));
  });

  it('keeps letters of every script', () => {
    expect(fingerprintText('Привет, мир! 東京')).toBe('привет мир 東京');
  });

  it('reads typographic punctuation on the fast path exactly as NFKC and Unicode classes would', () => {
    // The reference: the full path, forced by a letter outside the fast path's set.
    const full = (s: string) => fingerprintText(`${s} é`).replace(/ é$/, '');
    const punctuation = [0xa0, 0xab, 0xbb];
    for (let c = 0x2010; c <= 0x205f; c++) punctuation.push(c);
    for (const c of punctuation) {
      const s = `Don${String.fromCharCode(c)}t stop ${String.fromCharCode(c)}Now${String.fromCharCode(c)} 42`;
      expect(fingerprintText(s), `U+${c.toString(16)}`).toBe(full(s));
    }
    expect(fingerprintText('“Quoted” — said… it’s ½')).toBe('quoted said it s 1 2');
  });
});
