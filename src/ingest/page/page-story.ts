// The page's own story as an element: what tells an article page from a listing when both show
// <article> elements (the story, and teasers of other stories around it).
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';

/** How much text one <article> must hold to be a story on its own, not a card. */
export const STORY_MIN_PARAGRAPHS = 3;

/**
 * True for an element that holds a story of its own: several paragraphs under an <h1> that links
 * nowhere. A listing's cards link their headings to the story; the page's own story does not.
 *
 * @example
 * $('article').toArray().some((el) => isPageStory($, el)) // an article page, however many teasers
 */
export function isPageStory($: CheerioAPI, el: Element): boolean {
  const $el = $(el);
  const h1 = $el.find('h1').first();
  if (h1.length === 0 || h1.find('a[href]').length > 0 || h1.closest('a[href]').length > 0) return false;
  return $el.find('p').length >= STORY_MIN_PARAGRAPHS;
}
