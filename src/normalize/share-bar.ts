// Share bars: the buttons plugins and themes put under every post ("Share: Facebook X Email"), which a
// feed reader's own sharing makes noise. Recognised by where their links go, not by class names, which
// every plugin spells its own way.
import type { AnyNode } from 'domhandler';
import { SHARE_BAR_MAX_TEXT, SHARE_ENDPOINTS } from './allowlist.js';

/**
 * Whether `href` (absolute) shares a page: a share endpoint of a social network, or a mail with a
 * subject or body and no recipient ("Email this").
 *
 * @example
 * isShareLink('https://twitter.com/intent/tweet?url=https%3A%2F%2Fx.example%2Fa') // true
 * isShareLink('https://twitter.com/someone/status/1') // false: a tweet the article cites
 */
export function isShareLink(href: string | undefined): boolean {
  if (!href) return false;
  if (/^mailto:\?(?:[^#]*&)?(?:subject|body)=/i.test(href)) return true;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  const host = url.hostname.toLowerCase();
  const path = url.pathname.toLowerCase();
  return SHARE_ENDPOINTS.some(
    ([h, prefix]) => (host === h || host.endsWith(`.${h}`)) && path.startsWith(prefix),
  );
}

/**
 * Whether a block is a share bar: short (at most SHARE_BAR_MAX_TEXT characters of text), with at
 * least one link, every one of them a share link. `textLength` is the block's text length, known to
 * the caller; the links are looked for only when it is short.
 */
export function isShareBar(textLength: number, kids: () => readonly AnyNode[]): boolean {
  if (textLength > SHARE_BAR_MAX_TEXT) return false;
  let shares = 0;
  const allShare = (nodes: readonly AnyNode[]): boolean => {
    for (const node of nodes) {
      if (node.type !== 'tag') continue;
      if (node.name === 'a') {
        if (!isShareLink(node.attribs['href'])) return false;
        shares++;
      } else if (!allShare(node.children)) return false;
    }
    return true;
  };
  return allShare(kids()) && shares > 0;
}
