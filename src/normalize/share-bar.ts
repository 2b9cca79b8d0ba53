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
  return href !== undefined && (SHARE_LINK.test(href) || MAIL_SHARE.test(href));
}

const escaped = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/**
 * SHARE_ENDPOINTS as one pattern: the host or a subdomain of it, any port, then the path prefix.
 * One test per link, not a URL parse: every link of every short block is asked.
 */
const SHARE_LINK = new RegExp(
  `^https?://(?:[^/?#@]*\\.)?(?:${SHARE_ENDPOINTS.map(([host, path]) => `${escaped(host)}(?::\\d+)?${escaped(path)}`).join('|')})`,
  'i',
);
const MAIL_SHARE = /^mailto:\?(?:[^#]*&)?(?:subject|body)=/i;

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
