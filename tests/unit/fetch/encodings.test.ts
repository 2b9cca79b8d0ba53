// The legacy-encoded fixtures of tests/fixtures/encodings (made by generate.mjs there), fetched over
// HTTP as a source would be, with the server's headers from the `.headers.json` sidecars.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBody } from '../../../src/fetch/decode.js';
import {
  createHttpClient,
  type FetchContext,
  fetchSource,
  type HttpClient,
} from '../../../src/fetch/index.js';
import { fixturePath, listFixtures, readFixtureBytes } from '../../helpers/fixtures.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { NOW, sourceAt, TEST_SETTINGS } from './support.js';

const W1252 = '“Curly” and ‘single’ quotes – en dash — em dash, ½ price, 5 € in a café';

const CASES: { file: string; by: string; charset: string; expected: string; contentType: string }[] = [
  {
    file: 'rss-windows-1252-no-prolog.xml',
    by: 'fallback',
    charset: 'windows-1252',
    expected: W1252,
    contentType: 'application/xml',
  },
  {
    file: 'rss-shift_jis-prolog.xml',
    by: 'xml-prolog',
    charset: 'shift_jis',
    expected: '東京「ニュース」速報①、ｶﾀｶﾅもあります',
    contentType: 'application/xml',
  },
  {
    file: 'rss-gb18030-http.xml',
    by: 'http-charset',
    charset: 'gb18030',
    expected: '中文新闻：北京欢迎你𠮷，价格€5',
    contentType: 'application/rss+xml; charset=GB18030',
  },
  {
    file: 'rss-koi8-r-http.xml',
    by: 'http-charset',
    charset: 'koi8-r',
    expected: 'Новости дня: Привет, мир! Ёлка и ёжик',
    contentType: 'application/rss+xml; charset="KOI8-R"',
  },
  {
    file: 'rss-iso-8859-2-http.xml',
    by: 'http-charset',
    charset: 'iso-8859-2',
    expected: 'Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy',
    contentType: 'text/xml;charset=iso-8859-2',
  },
  {
    file: 'rss-utf-16le-bom.xml',
    by: 'bom',
    charset: 'utf-16le',
    expected: 'Grüße — 日本語 😀 “quoted”',
    contentType: 'application/xml',
  },
  {
    file: 'rss-utf-16be-bom.xml',
    by: 'bom',
    charset: 'utf-16be',
    expected: 'Grüße — 日本語 😀 “quoted”',
    contentType: 'application/xml',
  },
  {
    file: 'rss-utf-8-served-as-iso-8859-1.xml',
    by: 'valid-utf-8',
    charset: 'utf-8',
    expected: W1252,
    contentType: 'application/rss+xml; charset=ISO-8859-1',
  },
  {
    file: 'rss-windows-1252-served-as-utf-8.xml',
    by: 'fallback',
    charset: 'windows-1252',
    expected: W1252,
    contentType: 'application/rss+xml; charset=utf-8',
  },
  {
    file: 'page-windows-1252-meta-http-equiv.html',
    by: 'html-meta',
    charset: 'windows-1252',
    expected: W1252,
    contentType: 'text/html',
  },
];

let server: TestServer;
let client: HttpClient;
let ctx: FetchContext;

beforeAll(async () => {
  server = await startServer(fixturePath('encodings'));
  client = createHttpClient(TEST_SETTINGS);
  ctx = { now: () => NOW, client };
});
afterAll(async () => {
  await client.close();
  await server.close();
});

describe('encoded fixtures over HTTP', () => {
  it('covers every fixture file of the folder', () => {
    const files = listFixtures('encodings').filter((f) => !f.endsWith('.mjs'));
    expect(CASES.map((c) => c.file).sort()).toEqual(files);
  });

  it.each(CASES)('$file → $charset', async ({ file, charset, expected, contentType }) => {
    const got = await fetchSource(sourceAt({ url: server.at(file) }), {}, ctx);
    expect(got.status).toBe('ok');
    if (got.status !== 'ok') return;
    const doc = got.documents[0];
    expect(doc?.charset).toBe(charset);
    expect(doc?.contentType).toBe(contentType);
    const text = doc?.text ?? '';
    expect(text).not.toContain('\uFFFD');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.startsWith('<')).toBe(true);
    // Title and description both carry the sample; each character must come back exactly.
    expect(text.split(expected).length - 1).toBeGreaterThanOrEqual(2);
  });

  it.each(CASES)('$file is decided by $by', ({ file, by, contentType }) => {
    expect(decodeBody(readFixtureBytes(`encodings/${file}`), contentType).decidedBy).toBe(by);
  });

  it('windows-1252 feed: each tricky character individually', async () => {
    const got = await fetchSource(sourceAt({ url: server.at('rss-windows-1252-no-prolog.xml') }), {}, ctx);
    const text = got.status === 'ok' ? (got.documents[0]?.text ?? '') : '';
    for (const ch of ['“', '”', '‘', '’', '–', '—', '½', '€', 'é']) expect(text).toContain(ch);
    // The Node 20 TextDecoder trap: these C1 controls appear when 0x80-0x9F are read as ISO-8859-1.
    expect(text).not.toMatch(/[\u0080-\u009f]/);
  });
});
