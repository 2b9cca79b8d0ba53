// Bytes → text. An ordered list of small recognizers, each answering "which encoding?" or "no idea":
// BOM, HTTP charset, XML prolog, HTML <meta>, "is it valid UTF-8?", then windows-1252 (the web's default
// for legacy text). Decoding itself goes through iconv-lite, because Node 20's TextDecoder maps 0x96 in
// windows-1252 to U+0096 instead of an en dash.
//
// The rule for lying declarations (documented here because it departs from a strict browser):
//   1. A BOM is never questioned.
//   2. A declared charset (HTTP, prolog, meta) is used, except in two cases the bytes can prove:
//      a. The body is valid UTF-8 and contains multi-byte sequences, but the declaration names another
//         charset. Legacy text with bytes above 0x7F almost never forms valid UTF-8 (each lead byte needs
//         exactly the right number of 0x80-0xBF bytes after it), while UTF-8 served as "iso-8859-1" is
//         the most common charset mistake on the web. So valid multi-byte UTF-8 beats any label.
//      b. Decoding with the declared charset produces U+FFFD for more than MAX_DAMAGE_RATIO of its
//         non-ASCII characters: the label does not fit the bytes (a windows-1252 body served as
//         "utf-8", say). We move on to the next recognizer, so the end result has no U+FFFD.
//   3. A declared charset that mostly fits (a feed whose summaries were cut in the middle of a
//      character) is kept with its few U+FFFD rather than swapped for windows-1252: that would turn
//      every other non-ASCII character of the document into mojibake.
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import iconv from 'iconv-lite';
import type { EncodedDocument, Fetched, FetchedDocument } from '../types.js';
import { encodingForLabel, ICONV_CODEC, UTF16 } from './charsets.js';
import { decompress, isGzipped } from './decompress.js';
import { DEFAULT_LIMITS } from './limits.js';

/** Browsers look for <meta charset> in the first 1024 bytes; generators put it later, so we read 4 KB. */
export const SNIFF_BYTES = 4096;
/** Above this share of U+FFFD among non-ASCII characters, a declared charset is judged wrong. */
export const MAX_DAMAGE_RATIO = 0.05;

export type RecognizerName =
  | 'bom'
  | 'http-charset'
  | 'xml-prolog'
  | 'html-meta'
  | 'valid-utf-8'
  | 'declared-damaged'
  | 'fallback';

export interface Decoded {
  readonly text: string;
  /** Canonical WHATWG name of the encoding used: `utf-8`, `windows-1252`, `shift_jis`, ... */
  readonly charset: string;
  /** Which recognizer decided: for diagnostics and tests. */
  readonly decidedBy: RecognizerName;
}

interface Input {
  readonly bytes: Uint8Array;
  readonly contentType: string | undefined;
  /** The first SNIFF_BYTES read as latin1: ASCII-level markup is readable whatever the charset. */
  readonly head: string;
}

interface Recognizer {
  readonly name: RecognizerName;
  /** `declared`: a label someone wrote, checked against the bytes; `evidence`: taken as is. */
  readonly trust: 'declared' | 'evidence';
  readonly find: (input: Input) => { encoding: string; skip?: number } | undefined;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function bom({ bytes }: Input): { encoding: string; skip: number } | undefined {
  if (startsWith(bytes, UTF8_BOM)) return { encoding: 'utf-8', skip: 3 };
  if (startsWith(bytes, [0xff, 0xfe])) return { encoding: 'utf-16le', skip: 2 };
  if (startsWith(bytes, [0xfe, 0xff])) return { encoding: 'utf-16be', skip: 2 };
  return undefined;
}

/** The `charset` parameter of a Content-Type header value. */
export function charsetParam(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  for (const part of contentType.split(';').slice(1)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === 'charset') return part.slice(eq + 1).trim();
  }
  return undefined;
}

function httpCharset(input: Input): { encoding: string } | undefined {
  const label = charsetParam(input.contentType);
  const encoding = label === undefined ? undefined : encodingForLabel(label);
  if (!encoding) return undefined;
  // "charset=utf-16" on a body without a BOM: real UTF-16 markup is full of NUL bytes; without any,
  // the label is a server default, not the truth.
  if (UTF16.has(encoding) && !input.bytes.subarray(0, 1024).includes(0)) return undefined;
  return { encoding };
}

/** A label read from ASCII-compatible bytes cannot honestly say UTF-16 (WHATWG: take it as UTF-8). */
function asciiLevel(label: string | undefined): { encoding: string } | undefined {
  const encoding = label === undefined ? undefined : encodingForLabel(label);
  if (!encoding) return undefined;
  return { encoding: UTF16.has(encoding) ? 'utf-8' : encoding };
}

const XML_DECLARATION = /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([^"'<>]*)\1/;

function xmlProlog(input: Input): { encoding: string } | undefined {
  // XML 1.0 Appendix F: "<?" in UTF-16 without a BOM shows itself by its zero bytes.
  if (startsWith(input.bytes, [0x3c, 0x00, 0x3f, 0x00])) return { encoding: 'utf-16le' };
  if (startsWith(input.bytes, [0x00, 0x3c, 0x00, 0x3f])) return { encoding: 'utf-16be' };
  return asciiLevel(XML_DECLARATION.exec(input.head)?.[2]);
}

const META_TAG = /<meta\b([^>]*)>/gi;
const ATTRIBUTE = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;
const CHARSET_IN_CONTENT = /charset\s*=\s*["']?([^\s;"']+)/i;

function htmlMeta(input: Input): { encoding: string } | undefined {
  // Commented-out markup is not markup (WHATWG prescan skips comments too).
  const head = input.head.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  for (const tag of head.matchAll(META_TAG)) {
    const attrs = new Map<string, string>();
    for (const a of (tag[1] ?? '').matchAll(ATTRIBUTE)) {
      const name = (a[1] ?? '').toLowerCase();
      if (!attrs.has(name)) attrs.set(name, a[2] ?? a[3] ?? a[4] ?? '');
    }
    const charset = attrs.get('charset');
    if (charset !== undefined) {
      const found = asciiLevel(charset);
      if (found) return found;
      continue;
    }
    if (attrs.get('http-equiv')?.trim().toLowerCase() === 'content-type') {
      const found = asciiLevel(CHARSET_IN_CONTENT.exec(attrs.get('content') ?? '')?.[1]);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The text when the bytes are valid UTF-8, else undefined. Checked by buffer.isUtf8 and decoded by
 * Buffer (both SIMD in Node): a fatal TextDecoder went through ICU at about 45 MB/s, a sixth of a cold
 * run's main-thread time. A BOM stays in the text; every caller strips it.
 */
function validUtf8(bytes: Uint8Array): string | undefined {
  if (!isUtf8(bytes)) return undefined;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** The recognizers, in the order they are asked. */
export const RECOGNIZERS: readonly Recognizer[] = [
  { name: 'bom', trust: 'evidence', find: bom },
  { name: 'http-charset', trust: 'declared', find: httpCharset },
  { name: 'xml-prolog', trust: 'declared', find: xmlProlog },
  { name: 'html-meta', trust: 'declared', find: htmlMeta },
  {
    name: 'valid-utf-8',
    trust: 'evidence',
    find: (i) => (validUtf8(i.bytes) === undefined ? undefined : { encoding: 'utf-8' }),
  },
  // windows-1252 maps every byte to a character, so it is the one answer that never fails.
  { name: 'fallback', trust: 'evidence', find: () => ({ encoding: 'windows-1252' }) },
];

// WHATWG's windows-1252 maps the five bytes Microsoft left undefined to the C1 controls; iconv-lite
// yields U+FFFD. Byte i is character i in a single-byte charset, so we put the byte value back.
function decodeWindows1252(bytes: Uint8Array): string {
  const text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'windows-1252');
  if (!text.includes('\uFFFD')) return text;
  return text.replace(/\uFFFD/g, (_m, offset: number) => String.fromCharCode(bytes[offset] ?? 0xfffd));
}

let iso2022jp: TextDecoder | null | undefined;

/** Decodes with one encoding; undefined when this runtime cannot decode it. */
function decodeAs(encoding: string, bytes: Uint8Array): string | undefined {
  if (encoding === 'utf-8') return validUtf8(bytes) ?? new TextDecoder('utf-8').decode(bytes);
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  if (encoding === 'iso-2022-jp') {
    // iconv-lite has no ISO-2022-JP; ICU's decoder is right for it (the Node 20 bug is in the
    // single-byte tables). A small-ICU build lacks it: then the label counts as unknown.
    if (iso2022jp === undefined) {
      try {
        iso2022jp = new TextDecoder('iso-2022-jp');
      } catch {
        iso2022jp = null;
      }
    }
    return iso2022jp?.decode(bytes);
  }
  const codec = ICONV_CODEC[encoding] ?? encoding;
  if (!iconv.encodingExists(codec)) return undefined;
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), codec, {
    stripBOM: false,
  });
}

function damage(text: string): { replaced: number; nonAscii: number } {
  let replaced = 0;
  let nonAscii = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) nonAscii++;
    if (c === 0xfffd) replaced++;
  }
  return { replaced, nonAscii };
}

const stripBom = (s: string): string => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

/**
 * Decodes a document body, choosing the charset as described at the top of this file.
 *
 * @example
 * decodeBody(bytes, 'application/rss+xml; charset=ISO-8859-1');
 * // → { text: '…', charset: 'windows-1252', decidedBy: 'http-charset' }
 */
export function decodeBody(bytes: Uint8Array, contentType?: string): Decoded {
  const input: Input = {
    bytes,
    contentType,
    head: Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, SNIFF_BYTES)).toString(
      'latin1',
    ),
  };
  let utf8: string | undefined | null = null; // null: not checked yet
  const asUtf8 = (): string | undefined => {
    if (utf8 === null) utf8 = validUtf8(bytes);
    return utf8;
  };
  const multiByte = (): boolean => asUtf8() !== undefined && bytes.some((b) => b > 0x7f);
  let damaged: Decoded | undefined;

  for (const r of RECOGNIZERS) {
    const found = r.find(input);
    if (!found) continue;
    const { encoding } = found;
    if (r.trust === 'evidence') {
      if (r.name === 'fallback' && damaged) return damaged;
      const text = decodeAs(encoding, found.skip ? bytes.subarray(found.skip) : bytes);
      if (text !== undefined) return { text: stripBom(text), charset: encoding, decidedBy: r.name };
      continue;
    }
    if (encoding === 'utf-8' && asUtf8() !== undefined) {
      return { text: stripBom(asUtf8() ?? ''), charset: encoding, decidedBy: r.name };
    }
    // Rule 2a: valid multi-byte UTF-8 outranks a label naming anything else.
    if (encoding !== 'utf-8' && multiByte()) {
      return { text: stripBom(asUtf8() ?? ''), charset: 'utf-8', decidedBy: 'valid-utf-8' };
    }
    const text = decodeAs(encoding, bytes);
    if (text === undefined) continue;
    const { replaced, nonAscii } = damage(text);
    if (replaced === 0) return { text: stripBom(text), charset: encoding, decidedBy: r.name };
    // Rules 2b and 3: keep the first label that mostly fits, in case nothing fits cleanly.
    if (!damaged && replaced <= nonAscii * MAX_DAMAGE_RATIO) {
      damaged = { text: stripBom(text), charset: encoding, decidedBy: 'declared-damaged' };
    }
  }
  // Unreachable: the fallback always answers. Kept for the type checker.
  return damaged ?? { text: decodeWindows1252(bytes), charset: 'windows-1252', decidedBy: 'fallback' };
}

/**
 * A fetched document with its text: an encoded one decompressed and decoded, a decoded one (local
 * files) as it is. Throws FeedloomError when the body cannot be decompressed within its limit.
 *
 * @example
 * const docs = fetched.documents.map(decodeDocument);
 */
export function decodeDocument(doc: FetchedDocument | EncodedDocument): FetchedDocument {
  if (!('body' in doc)) return doc;
  const { body, contentEncodings, maxDecompressedBytes, ...rest } = doc;
  const maxBytes = maxDecompressedBytes ?? DEFAULT_LIMITS.maxDecompressedBytes;
  let bytes = contentEncodings?.length ? decompress(body, contentEncodings, doc.url, maxBytes) : body;
  // Gzip no header announced (or announced once, applied twice): readers get the text all the same.
  if (isGzipped(bytes)) bytes = decompress(bytes, ['gzip'], doc.url, maxBytes);
  const decoded = decodeBody(bytes, doc.contentType);
  return { ...rest, charset: decoded.charset, text: decoded.text };
}

/** A fetched source with every document decoded (see decodeDocument). */
export function decodeFetched(
  fetched: Extract<Fetched<FetchedDocument | EncodedDocument>, { status: 'ok' }>,
): Extract<Fetched, { status: 'ok' }> {
  return { ...fetched, documents: fetched.documents.map(decodeDocument) };
}
