// Lists of links: a "Related posts" list under its label, and content that is nothing but links to
// other pages (Google News, Hacker News), which makes no summary.
import type { AnyNode, Element } from 'domhandler';
import { collapseWhitespace } from '../util/text.js';
import { BLANK, isBlankText, isElement, textOf } from './dom.js';

export const LABEL_TAGS: ReadonlySet<string> = new Set(['p', 'h2', 'h3', 'h4', 'h5', 'h6']);
export const LABEL_MAX = 40;

/** A list of items that are each one link and nothing else. */
export function isLinkList(list: Element): boolean {
  const items = list.children.filter((c) => !(c.type === 'text' && BLANK.test(c.data)));
  return (
    items.length > 0 &&
    items.every((li) => {
      if (!isElement(li) || li.name !== 'li') return false;
      const kids = li.children.filter((c) => !(c.type === 'text' && BLANK.test(c.data)));
      return kids.length === 1 && isElement(kids[0] as AnyNode) && (kids[0] as Element).name === 'a';
    })
  );
}

/** Text a link may have beside it and still be a line of a listing: a label, not a sentence. */
const LISTING_LABEL_MAX = 60;

/** One link with words, then at most a short label and no other link, image or block. */
function isListingLine(nodes: readonly AnyNode[]): boolean {
  const [link, ...rest] = nodes.filter((n) => !isBlankText(n));
  if (!link || !isElement(link) || link.name !== 'a' || BLANK.test(textOf(link.children))) return false;
  const inert = (n: AnyNode): boolean =>
    n.type === 'text' || (isElement(n) && n.name !== 'a' && n.name !== 'img' && n.children.every(inert));
  return rest.every(inert) && collapseWhitespace(textOf(rest)).length <= LISTING_LABEL_MAX;
}

/** The cleaned fragment is a listing: one listing line, in a paragraph or not, or a list of them. */
export function isListing(kids: readonly AnyNode[]): boolean {
  const top = kids.filter((n) => !isBlankText(n));
  const only = top.length === 1 ? top[0] : undefined;
  if (only && isElement(only) && (only.name === 'ul' || only.name === 'ol')) {
    const items = only.children.filter((n) => !isBlankText(n));
    return (
      items.length > 0 && items.every((li) => isElement(li) && li.name === 'li' && isListingLine(li.children))
    );
  }
  if (only && isElement(only) && only.name === 'p') return isListingLine(only.children);
  return isListingLine(top);
}
