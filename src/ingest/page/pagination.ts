// The next page of a listing when the page does not say `rel="next"`: the pagination most CMSs print
// (WordPress's `next page-numbers`, "Older posts" in a posts-navigation box, a pager's "»"). Only
// inside a box named for paging, so a slideshow's or a single post's "Next" is never followed.
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { collapseWhitespace } from '../../util/text.js';

/** Class, id or aria-label words of a pagination box. */
const PAGING_BOX =
  /(?:^|[\s_-])(?:pagination|paginate|paging|pager|page-numbers|nav-links|pagenavi|posts-navigation|load-more)(?:$|[\s_-])/i;
/** What the link to the next (older) page says, or its class (`next`, WP-PageNavi's `nextpostslink`). */
const NEXT_TEXT =
  /^(?:next|next page|older|older (?:posts|entries|articles|stories)|more (?:posts|stories|articles)|load more|weiter|nächste(?: seite)?|ältere beiträge|suivant|page suivante|siguiente|successivo|volgende|[»›→]|next\s*[»›→]|older\s*[»›→])$/i;
const NEXT_CLASS = /(?:^|[\s_-])(?:next|nextpostslink|older)(?:$|[\s_-])/i;
/** Boxes looked into; a page has one or two (above and below the list). */
const MAX_BOXES = 4;

/**
 * The href of the next-page link in the page's pagination box, as written; undefined when none.
 *
 * @example
 * paginationNext($) // '/category/news/page/2/' for WordPress's <a class="next page-numbers">
 */
export function paginationNext($: CheerioAPI): string | undefined {
  const boxes = $('nav, div, ul, ol, p, section')
    .toArray()
    .filter((el) => PAGING_BOX.test(label(el as Element)))
    .slice(0, MAX_BOXES);
  for (const box of boxes) {
    for (const a of $(box).find('a[href]').toArray() as Element[]) {
      const href = a.attribs['href']?.trim();
      if (!href || href.startsWith('#') || /^javascript:/i.test(href)) continue;
      const text = collapseWhitespace(`${$(a).text()}`).replace(/^[«‹←]\s*/, '');
      const aria = collapseWhitespace(a.attribs['aria-label'] ?? a.attribs['title'] ?? '');
      if (NEXT_CLASS.test(a.attribs['class'] ?? '') || NEXT_TEXT.test(text) || NEXT_TEXT.test(aria))
        return href;
    }
  }
  return undefined;
}

function label(el: Element): string {
  return `${el.attribs['class'] ?? ''} ${el.attribs['id'] ?? ''} ${el.attribs['aria-label'] ?? ''}`;
}
