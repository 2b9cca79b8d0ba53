// Whether a page is one story rather than a listing of them. Only a hint: `preview` offers an
// `article` source for such a page instead of selectors that would never find a list.
import type { CheerioAPI } from 'cheerio';
import { ARTICLE_TYPES } from './listing.js';
import { isPageStory, STORY_MIN_PARAGRAPHS } from './page-story.js';

/**
 * True when the page says it is an article (Open Graph `og:type`, a JSON-LD story type, an
 * `articleBody`), holds one `<article>` with several paragraphs, or an `<article>` that is the page's
 * own story among teasers (see isPageStory).
 *
 * @example
 * if (!detectListings($, url).length && looksLikeStory($)) suggest({ kind: 'article', url });
 */
export function looksLikeStory($: CheerioAPI): boolean {
  if (($('meta[property="og:type" i]').attr('content') ?? '').trim().toLowerCase() === 'article') return true;
  if ($('[itemprop~="articleBody"]').length > 0) return true;
  for (const el of $('script[type="application/ld+json" i]').toArray()) {
    // A listing's items would have been found already: any story type here is the page itself.
    for (const m of $(el)
      .text()
      .matchAll(/"@type"\s*:\s*"([^"]+)"/g)) {
      if (ARTICLE_TYPES.has((m[1] ?? '').replace(/^.*[/#:]/, ''))) return true;
    }
  }
  const articles = $('article');
  if (articles.length === 1 && articles.find('p').length >= STORY_MIN_PARAGRAPHS) return true;
  // Among teaser <article>s, the one that is the page's story.
  return articles.toArray().some((el) => isPageStory($, el));
}
