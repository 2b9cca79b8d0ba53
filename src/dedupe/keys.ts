// Exact-duplicate keys. A story seen twice is the same story when its canonical link or its normalized
// text matches one already seen; a later issue adds near-duplicate fingerprints beside these.
import type { Item } from '../types.js';
import { hasWords } from '../util/text.js';
import { storyLinkKey } from '../util/url.js';

/** Too little text to tell stories apart ("Live updates", a bare headline): no content match. */
export const MIN_WORDS_FOR_CONTENT_MATCH = 20;

/**
 * The item's link as a dedupe key (util/url storyLinkKey: one story's address in its several
 * spellings gives one key), or undefined when it cannot identify a story: a site's home page.
 */
export function linkKey(item: Item): string | undefined {
  return storyLinkKey(item.link);
}

/** The normalized-text fingerprint as a key, when the text is long enough to be distinctive. */
export function contentKey(item: Item): string | undefined {
  return hasWords(item.summary, MIN_WORDS_FOR_CONTENT_MATCH) ? item.fingerprint : undefined;
}
