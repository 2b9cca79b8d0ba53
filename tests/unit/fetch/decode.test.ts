import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { encodingForLabel } from '../../../src/fetch/charsets.js';
import { decodeBody, RECOGNIZERS, SNIFF_BYTES } from '../../../src/fetch/decode.js';

const W1252 = '“Curly” and ‘single’ – en — em ½ € café';
const enc = (s: string, charset: string): Buffer => iconv.encode(s, charset);
const ascii = (s: string): Buffer => Buffer.from(s, 'latin1');
const cat = (...parts: Buffer[]): Buffer => Buffer.concat(parts);

describe('decodeBody: recognizers in order', () => {
  it('asks exactly BOM, HTTP charset, XML prolog, HTML meta, valid UTF-8, then windows-1252', () => {
    expect(RECOGNIZERS.map((r) => r.name)).toEqual([
      'bom',
      'http-charset',
      'xml-prolog',
      'html-meta',
      'valid-utf-8',
      'fallback',
    ]);
  });

  it.each([
    {
      name: 'UTF-8 BOM beats an HTTP charset, and is stripped',
      bytes: cat(Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('café — ok', 'utf8')),
      contentType: 'text/xml; charset=windows-1252',
      text: 'café — ok',
      charset: 'utf-8',
      by: 'bom',
    },
    {
      name: 'UTF-16LE BOM',
      bytes: cat(Buffer.from([0xff, 0xfe]), enc('<rss>日本 😀</rss>', 'utf-16le')),
      contentType: undefined,
      text: '<rss>日本 😀</rss>',
      charset: 'utf-16le',
      by: 'bom',
    },
    {
      name: 'UTF-16BE BOM',
      bytes: cat(Buffer.from([0xfe, 0xff]), enc('<rss>Grüße</rss>', 'utf-16be')),
      contentType: undefined,
      text: '<rss>Grüße</rss>',
      charset: 'utf-16be',
      by: 'bom',
    },
    {
      name: 'HTTP charset iso-8859-1 means windows-1252 (curly quotes survive)',
      bytes: enc(W1252, 'windows-1252'),
      contentType: 'application/rss+xml; charset=ISO-8859-1',
      text: W1252,
      charset: 'windows-1252',
      by: 'http-charset',
    },
    {
      name: 'HTTP charset quoted and upper case',
      bytes: enc('Zażółć gęślą', 'iso-8859-2'),
      contentType: 'text/xml; charset="ISO-8859-2"',
      text: 'Zażółć gęślą',
      charset: 'iso-8859-2',
      by: 'http-charset',
    },
    {
      name: 'HTTP charset beats the XML prolog',
      bytes: cat(
        ascii('<?xml version="1.0" encoding="iso-8859-2"?><a>'),
        enc('Привет', 'koi8-r'),
        ascii('</a>'),
      ),
      contentType: 'text/xml; charset=koi8-r',
      text: '<?xml version="1.0" encoding="iso-8859-2"?><a>Привет</a>',
      charset: 'koi8-r',
      by: 'http-charset',
    },
    {
      name: 'unknown HTTP label falls through to the XML prolog',
      bytes: cat(
        ascii("<?xml version='1.0' encoding='Shift_JIS'?><a>"),
        enc('日本語', 'shift_jis'),
        ascii('</a>'),
      ),
      contentType: 'text/xml; charset=x-no-such-charset',
      text: "<?xml version='1.0' encoding='Shift_JIS'?><a>日本語</a>",
      charset: 'shift_jis',
      by: 'xml-prolog',
    },
    {
      name: 'XML prolog saying UTF-16 in ASCII bytes is read as UTF-8',
      bytes: Buffer.from('<?xml version="1.0" encoding="UTF-16"?><a>é</a>', 'utf8'),
      contentType: undefined,
      text: '<?xml version="1.0" encoding="UTF-16"?><a>é</a>',
      charset: 'utf-8',
      by: 'xml-prolog',
    },
    {
      name: 'UTF-16LE without BOM is recognised by the zero bytes of "<?"',
      bytes: enc('<?xml version="1.0"?><a>Ωμέγα</a>', 'utf-16le'),
      contentType: undefined,
      text: '<?xml version="1.0"?><a>Ωμέγα</a>',
      charset: 'utf-16le',
      by: 'xml-prolog',
    },
    {
      name: '<meta charset>',
      bytes: cat(
        ascii('<html><head><meta charset="windows-1251"><title>'),
        enc('Новости «дня»', 'windows-1251'),
      ),
      contentType: 'text/html',
      text: '<html><head><meta charset="windows-1251"><title>Новости «дня»',
      charset: 'windows-1251',
      by: 'html-meta',
    },
    {
      name: '<meta http-equiv content-type> with single quotes and odd case',
      bytes: cat(
        ascii("<HTML><HEAD><META HTTP-EQUIV='content-type' CONTENT='text/html; CHARSET=iso-8859-7'>"),
        enc('Καλημέρα', 'iso-8859-7'),
      ),
      contentType: 'text/html',
      text: "<HTML><HEAD><META HTTP-EQUIV='content-type' CONTENT='text/html; CHARSET=iso-8859-7'>Καλημέρα",
      charset: 'iso-8859-7',
      by: 'html-meta',
    },
    {
      name: 'a <meta> inside a comment is ignored',
      bytes: cat(ascii('<html><!-- <meta charset="koi8-r"> --><p>'), enc(W1252, 'windows-1252')),
      contentType: 'text/html',
      text: `<html><!-- <meta charset="koi8-r"> --><p>${W1252}`,
      charset: 'windows-1252',
      by: 'fallback',
    },
    {
      name: 'valid UTF-8, nothing declared',
      bytes: Buffer.from('<p>naïve — 日本 😀</p>', 'utf8'),
      contentType: 'text/html',
      text: '<p>naïve — 日本 😀</p>',
      charset: 'utf-8',
      by: 'valid-utf-8',
    },
    {
      name: 'invalid UTF-8, nothing declared: windows-1252, 0x96 is an en dash (not U+0096)',
      bytes: Buffer.from([0x31, 0x96, 0x32, 0x20, 0x93, 0x61, 0x94]),
      contentType: undefined,
      text: '1–2 “a”',
      charset: 'windows-1252',
      by: 'fallback',
    },
    {
      name: 'the five bytes windows-1252 leaves undefined become C1 controls, never U+FFFD',
      bytes: Buffer.from([0x81, 0x8d, 0x8f, 0x90, 0x9d, 0xe9]),
      contentType: 'text/plain; charset=windows-1252',
      text: '\u0081\u008d\u008f\u0090\u009dé',
      charset: 'windows-1252',
      by: 'http-charset',
    },
    {
      name: 'empty body',
      bytes: Buffer.alloc(0),
      contentType: undefined,
      text: '',
      charset: 'utf-8',
      by: 'valid-utf-8',
    },
  ])('$name', ({ bytes, contentType, text, charset, by }) => {
    const got = decodeBody(bytes, contentType);
    expect(got.text).toBe(text);
    expect(got.charset).toBe(charset);
    expect(got.decidedBy).toBe(by);
  });

  it('looks for <meta> only in the first bytes, as browsers do', () => {
    const filler = `<!DOCTYPE html><html><head>${' '.repeat(SNIFF_BYTES)}`;
    const bytes = cat(ascii(`${filler}<meta charset="koi8-r">`), enc(W1252, 'windows-1252'));
    expect(decodeBody(bytes, 'text/html').charset).toBe('windows-1252');
  });
});

describe('decodeBody: declarations that lie (the documented rule)', () => {
  it('header says ISO-8859-1 but the body is valid multi-byte UTF-8: UTF-8 wins', () => {
    const got = decodeBody(Buffer.from(W1252, 'utf8'), 'text/xml; charset=iso-8859-1');
    expect(got).toEqual({ text: W1252, charset: 'utf-8', decidedBy: 'valid-utf-8' });
  });

  it('header says ISO-8859-1 and the body really is windows-1252: the label is honoured', () => {
    const got = decodeBody(enc(W1252, 'windows-1252'), 'text/xml; charset=iso-8859-1');
    expect(got).toEqual({ text: W1252, charset: 'windows-1252', decidedBy: 'http-charset' });
  });

  it('header says ISO-8859-1 and the body is pure ASCII: the label is honoured', () => {
    expect(decodeBody(ascii('<rss/>'), 'text/xml; charset=iso-8859-1').charset).toBe('windows-1252');
  });

  it('header says UTF-8 but the body is windows-1252: no U+FFFD, windows-1252 used', () => {
    const got = decodeBody(enc(W1252, 'windows-1252'), 'text/xml; charset=utf-8');
    expect(got.text).toBe(W1252);
    expect(got.charset).toBe('windows-1252');
    expect(got.text).not.toContain('\uFFFD');
  });

  it('header says UTF-8, a meta says koi8-r, bytes are koi8-r: the next declaration that fits wins', () => {
    const bytes = cat(ascii('<meta charset="koi8-r"><p>'), enc('Привет, мир! Ёлка', 'koi8-r'));
    const got = decodeBody(bytes, 'text/html; charset=utf-8');
    expect(got).toMatchObject({ text: '<meta charset="koi8-r"><p>Привет, мир! Ёлка', charset: 'koi8-r' });
  });

  it('UTF-8 with one character cut in half stays UTF-8: one U+FFFD, not a page of mojibake', () => {
    const good = 'Ünïcödé ñéws — “quoted” ✓ '.repeat(10);
    const cut = Buffer.from('日', 'utf8').subarray(0, 2);
    const got = decodeBody(cat(Buffer.from(good, 'utf8'), cut, ascii('</p>')), 'text/html; charset=utf-8');
    expect(got.charset).toBe('utf-8');
    expect(got.decidedBy).toBe('declared-damaged');
    expect(got.text).toBe(`${good}\uFFFD</p>`);
  });

  it('header says utf-16 but the body has no zero bytes: the label is ignored', () => {
    const got = decodeBody(Buffer.from('<rss>é</rss>', 'utf8'), 'text/xml; charset=utf-16');
    expect(got).toMatchObject({ text: '<rss>é</rss>', charset: 'utf-8' });
  });
});

describe('decodeBody: legacy charsets decode right', () => {
  const cases: [label: string, charset: string, text: string][] = [
    ['Shift_JIS', 'shift_jis', '東京「ニュース」速報①ｶﾀｶﾅ'],
    ['sjis', 'shift_jis', '日本語のテキスト'],
    ['EUC-JP', 'euc-jp', '日本語のテキストです'],
    ['GB2312', 'gbk', '中文新闻，北京'],
    ['GBK', 'gbk', '中文新闻，北京'],
    ['GB18030', 'gb18030', '中文𠮷，价格'],
    ['Big5', 'big5', '繁體中文新聞'],
    ['EUC-KR', 'euc-kr', '한국어 뉴스입니다'],
    ['KOI8-R', 'koi8-r', 'Новости дня: Ёлка'],
    ['KOI8-U', 'koi8-u', 'Привіт, ґанок, їжак, єнот'],
    ['ISO-8859-2', 'iso-8859-2', 'Zażółć gęślą jaźń, Příliš žluťoučký kůň'],
    ['ISO-8859-3', 'iso-8859-3', 'Ħ ħ Ġ ġ Ċ ċ Ż ż'],
    ['ISO-8859-4', 'iso-8859-4', 'Ā ē ī ŗ ū ķ'],
    ['ISO-8859-5', 'iso-8859-5', 'Привет, мир'],
    ['ISO-8859-6', 'iso-8859-6', 'مرحبا بالعالم'],
    ['ISO-8859-7', 'iso-8859-7', 'Καλημέρα κόσμε'],
    ['ISO-8859-8', 'iso-8859-8', 'שלום עולם'],
    ['ISO-8859-9', 'windows-1254', 'İstanbul ğüşöç'],
    ['ISO-8859-10', 'iso-8859-10', 'Ŋ ŧ ð Ā'],
    ['ISO-8859-13', 'iso-8859-13', 'Ą č ę ū „x”'],
    ['ISO-8859-14', 'iso-8859-14', 'Ŵ ŷ Ḃ ḃ'],
    ['ISO-8859-15', 'iso-8859-15', '€ œ Š ž Ÿ'],
    ['ISO-8859-16', 'iso-8859-16', 'Ș ș Ț ț €'],
    ['windows-1250', 'windows-1250', 'Zażółć „cytat” – ok'],
    ['windows-1251', 'windows-1251', 'Привет «мир» — ок'],
    ['windows-1252', 'windows-1252', W1252],
    ['windows-1253', 'windows-1253', 'Καλημέρα – «κόσμε»'],
    ['windows-1254', 'windows-1254', 'İstanbul – ğüş'],
    ['windows-1255', 'windows-1255', 'שלום – עולם'],
    ['windows-1256', 'windows-1256', 'مرحبا – بالعالم'],
    ['windows-1257', 'windows-1257', 'Ą č ę – „x”'],
    ['windows-1258', 'windows-1258', 'Đơn ư – “x”'],
    ['TIS-620', 'windows-874', 'สวัสดีครับ'],
    ['IBM866', 'ibm866', 'Привет, мир'],
    ['macintosh', 'macintosh', 'café ‡ ƒ'],
  ];

  it.each(cases)('%s → %s', (label, charset, text) => {
    const codec = charset === 'gbk' ? 'gb18030' : charset === 'big5' ? 'big5hkscs' : charset;
    const bytes = enc(`<p>${text}</p>`, codec === 'euc-kr' ? 'cp949' : codec);
    const got = decodeBody(bytes, `text/html; charset=${label}`);
    expect(got.text).toBe(`<p>${text}</p>`);
    expect(got.charset).toBe(charset);
    expect(got.text).not.toContain('\uFFFD');
  });

  it('ISO-2022-JP (7-bit, escape sequences)', () => {
    // ESC $ B (JIS X 0208) "あい" ESC ( B (ASCII)
    const bytes = Buffer.from('1b244224222424' + '1b2842' + '21', 'hex');
    expect(decodeBody(bytes, 'text/plain; charset=iso-2022-jp')).toMatchObject({
      text: 'あい!',
      charset: 'iso-2022-jp',
    });
  });
});

describe('encodingForLabel', () => {
  it.each([
    ['latin1', 'windows-1252'],
    ['US-ASCII', 'windows-1252'],
    ['ascii', 'windows-1252'],
    [' ISO-8859-1 ', 'windows-1252'],
    ['"utf-8"', 'utf-8'],
    ['UTF8', 'utf-8'],
    ['x-sjis', 'shift_jis'],
    ['ks_c_5601-1987', 'euc-kr'],
    ['gb2312', 'gbk'],
  ])('%s → %s', (label, name) => {
    expect(encodingForLabel(label)).toBe(name);
  });

  it.each(['base64', 'hex', 'binary', 'x-user-defined', 'iso-2022-kr', 'nonsense'])(
    '%s is unknown',
    (label) => {
      expect(encodingForLabel(label)).toBeUndefined();
    },
  );
});
