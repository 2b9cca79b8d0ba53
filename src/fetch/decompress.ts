// Content codings (gzip, deflate, br) come off after the body is read, in one call each, where the
// body is decoded: in a worker of the content pool when there is one. Streaming zlib on the main
// thread cost a cold medium run about a second (stream plumbing per chunk, on the busier thread).
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync, constants as zlib } from 'node:zlib';
import { FeedloomError } from '../errors.js';
import { tooLarge } from './too-large.js';

/** The codings we ask for (Accept-Encoding) and can take off. */
export function isSupportedCoding(coding: string): boolean {
  return coding === 'gzip' || coding === 'x-gzip' || coding === 'deflate' || coding === 'br';
}

/**
 * Takes the codings off, last applied first, never producing more than `maxBytes`. A truncated
 * stream gives what it holds, as browsers do; a document the coding was never applied to is kept as
 * it is (browsers fail there, but the feed is right in front of us); anything else that does not
 * inflate fails with FETCH_NETWORK.
 *
 * @example
 * const bytes = decompress(body, ['gzip'], url, limits.maxDecompressedBytes);
 */
export function decompress(
  body: Uint8Array,
  codings: readonly string[],
  url: string,
  maxBytes: number,
): Uint8Array {
  let bytes = body;
  for (const coding of [...codings].reverse()) {
    // One byte over the limit is enough to know the body is too large.
    const options = { maxOutputLength: maxBytes + 1 };
    try {
      bytes = inflate(bytes, coding, options);
    } catch (e) {
      if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw tooLarge(url, maxBytes, 'maxDecompressedBytes');
      }
      // A server that labels the body with a coding it never applied (PHP's output compression
      // switched off behind a fixed header, a proxy that decompressed and kept the header): the
      // coding did not come off, and the bytes are already a document.
      if (looksPlain(bytes)) continue;
      throw new FeedloomError(
        'FETCH_NETWORK',
        `fetch: GET ${url}: the ${codings.join(', ')} body could not be decompressed (${(e as Error).message})`,
        { cause: e },
      );
    }
    if (bytes.length > maxBytes) throw tooLarge(url, maxBytes, 'maxDecompressedBytes');
  }
  return bytes;
}

/**
 * Whether a body still starts with gzip's magic number and method (1f 8b 08) after its declared
 * codings came off: a gzip file served as it is (`application/gzip`, a `feed.xml.gz`), or a body
 * compressed twice. No text a feed or page can be starts with these bytes, so the sniff is safe.
 */
export function isGzipped(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;
}

function inflate(bytes: Uint8Array, coding: string, options: { maxOutputLength: number }): Buffer {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(bytes, { ...options, finishFlush: zlib.Z_SYNC_FLUSH });
    case 'deflate':
      // "deflate" should be zlib-wrapped (RFC 1950), but some servers send raw deflate (RFC 1951). The
      // first two bytes tell: a zlib header has compression method 8 and is a multiple of 31 as a
      // 16-bit number.
      return zlibWrapped(bytes)
        ? inflateSync(bytes, { ...options, finishFlush: zlib.Z_SYNC_FLUSH })
        : inflateRawSync(bytes, { ...options, finishFlush: zlib.Z_SYNC_FLUSH });
    case 'br':
      return brotliDecompressSync(bytes, { ...options, finishFlush: zlib.BROTLI_OPERATION_FLUSH });
    default:
      throw new Error(`unsupported content coding '${coding}'`);
  }
}

/**
 * Whether bytes read as the start of a document as they are: markup or JSON after an optional BOM and
 * whitespace. A compressed stream that failed to inflate is not that; garbage is not either, and fails.
 */
function looksPlain(bytes: Uint8Array): boolean {
  // A UTF-16 BOM: the text is there, in two bytes per character.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return true;
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const end = Math.min(bytes.length, i + 1024);
  while (i < end && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  const first = bytes[i];
  return first === 0x3c || first === 0x7b || first === 0x5b; // < { [
}

function zlibWrapped(bytes: Uint8Array): boolean {
  const b0 = bytes[0] ?? 0;
  const b1 = bytes[1] ?? 0;
  return (b0 & 0x0f) === 8 && ((b0 << 8) | b1) % 31 === 0;
}
