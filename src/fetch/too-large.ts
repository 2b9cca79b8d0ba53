// The error for a body past one of the size limits, raised while reading (maxBytes) or while
// decompressing (maxDecompressedBytes).
import { FeedloomError } from '../errors.js';

/** FETCH_TOO_LARGE naming the URL, the limit and how to raise it. */
export function tooLarge(
  url: string,
  limit: number,
  what: 'maxBytes' | 'maxDecompressedBytes',
): FeedloomError {
  const mb = (limit / (1024 * 1024)).toFixed(limit % (1024 * 1024) === 0 ? 0 : 2);
  const noun = what === 'maxBytes' ? 'response body' : 'decompressed response body';
  return new FeedloomError(
    'FETCH_TOO_LARGE',
    `fetch: GET ${url}: ${noun} is larger than ${mb} MB (${limit} bytes, ${what}); ` +
      `raise "${what}" on this source (or in "defaults") if the document is really that big`,
  );
}
