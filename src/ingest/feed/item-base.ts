// The base URL of an item's HTML in the feed formats that do not say what it is.
import { hostOf, isHttpUrl, resolveUrl } from '../../util/url.js';

/**
 * RSS and JSON Feed have no rule for relative URLs in an item's HTML (Atom has xml:base). Unless an
 * xml:base says otherwise, they were written for the item's own page, as a static site generator
 * writes "photo.jpg" beside a post: the item's link is their base when it is an absolute http(s) URL
 * on the site's host, that is the feed's own host or the host of the home page the feed names (a feed
 * served from a feed host or CDN, such as feeds.example.com for www.example.com, or FeedBurner). A
 * link elsewhere (a link blog pointing at another site, whose root is not the blog's) is no base. When
 * the feed is a local file, any http(s) link is. Root-relative URLs resolve the same against either.
 *
 * @example
 * itemPageBase('https://x.example/posts/a/', 'https://x.example/feed.xml') // 'https://x.example/posts/a/'
 * itemPageBase('https://www.x.example/a', 'https://feeds.x.example/rss', 'https://www.x.example/') // 'https://www.x.example/a'
 * itemPageBase('https://other.example/a', 'https://x.example/feed.xml') // undefined: the feed is the base
 */
export function itemPageBase(
  link: string | undefined,
  documentUrl: string,
  homePage?: string,
): string | undefined {
  if (!link || !/^https?:\/\//i.test(link)) return undefined;
  try {
    const page = new URL(link);
    const doc = new URL(documentUrl);
    if (doc.protocol === 'file:' || doc.host === page.host) return page.href;
    const home = resolveUrl(homePage, documentUrl);
    return home && isHttpUrl(home) && hostOf(home) === page.host ? page.href : undefined;
  } catch {
    return undefined;
  }
}
