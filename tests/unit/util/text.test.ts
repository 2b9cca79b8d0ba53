import { describe, expect, it } from 'vitest';
import { collapseWhitespace, isWhitespace, stripXmlIllegal } from '../../../src/util/text.js';

// The fast paths (a regex test before any work) must pass through exactly the strings the full
// paths would leave alone. Random strings over the characters each rule is about, checked against
// the rules written out one character at a time.

const POOL = [
  'a',
  'Z',
  '9',
  ' ',
  ' ',
  '  ',
  '\t',
  '\n',
  '\r',
  '\u000b',
  '\u000c',
  '\u0000',
  '\u0001',
  '\u001f',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u200a',
  '\u200b',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
  '\ufffd',
  '\ufffe',
  '\uffff',
  '\ud83d\ude00',
  '\ud83d',
  '\ude00',
  'é',
  '東',
];

function randomStrings(count: number): string[] {
  let seed = 12345;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 8;
  };
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    let s = '';
    const n = next() % 9;
    for (let i = 0; i < n; i++) s += POOL[next() % POOL.length];
    out.push(s);
  }
  return out;
}

/** XML 1.0 §2.2, one code point at a time: tab, newline, CR, and #x20 up, minus U+FFFE/U+FFFF and lone surrogates. */
function xmlLegalOnly(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    const legal =
      c === 0x9 ||
      c === 0xa ||
      c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) ||
      c >= 0x10000;
    if (legal) out += ch;
  }
  return out;
}

describe('stripXmlIllegal', () => {
  it('removes exactly the characters XML 1.0 forbids', () => {
    for (const s of randomStrings(5000)) expect(stripXmlIllegal(s), JSON.stringify(s)).toBe(xmlLegalOnly(s));
  });

  it('returns clean text as it is', () => {
    const s = 'Plain text, “quotes” and 😀 emoji.';
    expect(stripXmlIllegal(s)).toBe(s);
  });
});

describe('collapseWhitespace', () => {
  it('gives what replacing every whitespace run by one space and trimming gives', () => {
    for (const s of randomStrings(5000))
      expect(collapseWhitespace(s), JSON.stringify(s)).toBe(s.replace(/[\s\u00A0]+/g, ' ').trim());
  });
});

describe('isWhitespace', () => {
  it('agrees with \\s for every UTF-16 code unit', () => {
    for (let c = 0; c < 0x10000; c++) {
      expect(isWhitespace(c), `U+${c.toString(16)}`).toBe(/\s/.test(String.fromCharCode(c)));
    }
  });
});
