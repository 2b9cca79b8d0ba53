// Reddit's feeds end every post's content with "submitted by /u/name [link] [comments]": a byline the
// item has already (its author) and two links, one of them to the item itself. Removed in the parsed
// tree before the sanitizer's walk, so it leaves neither markup nor text, and only in Reddit's exact
// shape: the words, a link to a Reddit user page, then "[link]" and "[comments]" links ending the block.
// A link post's "[link]" is the one way to the article the post is about: it stays, as "Link: <url>".
import type { AnyNode, Element, ParentNode } from 'domhandler';
import { Element as DomElement, Text as DomText } from 'domhandler';
import { isBlankText as isBlank, isElement, textOf } from './dom.js';
import { stripTracking } from './urls.js';

/** Cheap test on the raw HTML: only content holding these words is searched. */
export const REDDIT_FOOTER_WORDS = 'submitted by';

const SUBMITTED_BY = /submitted by\s*$/;
const USER_PAGE = /^https?:\/\/(?:[\w-]+\.)*reddit\.com\/(?:user|u)\/[\w-]+\/?$/i;
const USER_NAME = /^\/?u\/[\w-]+$/;

function isTag(node: AnyNode | undefined): node is Element {
  return node !== undefined && isElement(node);
}

/** The link whose text is `label`: `node` itself, or the only content of `node`, a <span>. */
function labelledLink(node: AnyNode | undefined, label: string): Element | undefined {
  if (!isTag(node)) return undefined;
  if (node.name === 'span') {
    const kids = node.children.filter((k) => !isBlank(k));
    return kids.length === 1 ? labelledLink(kids[0], label) : undefined;
  }
  return node.name === 'a' && textOf(node.children).trim() === label ? node : undefined;
}

interface Footer {
  /** Index of its "submitted by" text node. */
  readonly at: number;
  /** The "[link]" target when it is not the comments page: a link post's article. */
  readonly article?: string | undefined;
}

/** Reddit's footer ending `kids`, if it does. */
function findFooter(kids: readonly AnyNode[]): Footer | undefined {
  for (let i = 0; i < kids.length; i++) {
    const node = kids[i] as AnyNode;
    if (node.type !== 'text' || !SUBMITTED_BY.test(node.data)) continue;
    const rest = kids.slice(i + 1).filter((k) => !isBlank(k));
    const [user, ...links] = rest;
    if (!isTag(user) || user.name !== 'a') continue;
    if (!USER_PAGE.test(user.attribs['href'] ?? '') || !USER_NAME.test(textOf(user.children).trim()))
      continue;
    const after = isTag(links[0]) && links[0].name === 'br' ? links.slice(1) : links;
    if (after.length !== 2) continue;
    const link = labelledLink(after[0], '[link]');
    const comments = labelledLink(after[1], '[comments]');
    if (!link || !comments) continue;
    const article = link.attribs['href']?.trim();
    return { at: i, article: article && article !== comments.attribs['href']?.trim() ? article : undefined };
  }
  return undefined;
}

function relink(parent: ParentNode, kids: AnyNode[]): void {
  parent.children = kids;
  kids.forEach((kid, i) => {
    kid.parent = parent;
    kid.prev = kids[i - 1] ?? null;
    kid.next = kids[i + 1] ?? null;
  });
}

/**
 * Removes Reddit's "submitted by /u/name [link] [comments]" footer wherever it ends a block of
 * `root`, leaving what came before it.
 *
 * @example
 * // <div class="md"><p>Question?</p></div> submitted by <a href="https://www.reddit.com/user/x">/u/x</a>
 * // <br><span><a href="…">[link]</a></span> <span><a href="…">[comments]</a></span>
 * // becomes: <div class="md"><p>Question?</p></div>, with <p>Link: <a>…</a></p> after it when "[link]"
 * // goes elsewhere than "[comments]"
 */
export function removeRedditFooter(root: ParentNode): void {
  const stack: ParentNode[] = [root];
  for (let parent = stack.pop(); parent; parent = stack.pop()) {
    const footer = findFooter(parent.children);
    if (footer) {
      const words = parent.children[footer.at];
      if (words?.type === 'text') words.data = words.data.replace(SUBMITTED_BY, '');
      for (const gone of parent.children.slice(footer.at + 1)) gone.parent = null;
      const kept = parent.children.slice(0, footer.at + 1);
      if (footer.article) {
        // The text is the address as the href will be once cleaned: no utm_source=reddit on show.
        const a = new DomElement('a', { href: footer.article }, [new DomText(stripTracking(footer.article))]);
        kept.push(new DomElement('p', {}, [new DomText('Link: '), a]));
      }
      relink(parent, kept);
    }
    for (const child of parent.children) if (isTag(child)) stack.push(child);
  }
}
