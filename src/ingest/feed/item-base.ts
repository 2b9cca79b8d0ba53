// The base URL of an item's HTML in the feed formats that do not say what it is.

/**
 * RSS and JSON Feed have no rule for relative URLs in an item's HTML (Atom has xml:base). Unless an
 * xml:base says otherwise, they were written for the item's own page, as a static site generator
 * writes "photo.jpg" beside a post: the item's link is their base when it is an absolute http(s) URL
 * on the feed's host (a link blog's item may point at another site, whose root is not the blog's), or
 * any such URL when the feed is a local file. Root-relative URLs resolve the same against either.
 *
 * @example
 * itemPageBase('https://x.example/posts/a/', 'https://x.example/feed.xml') // 'https://x.example/posts/a/'
 * itemPageBase('https://other.example/a', 'https://x.example/feed.xml') // undefined: the feed is the base
 */
export function itemPageBase(link: string | undefined, documentUrl: string): string | undefined {
  if (!link || !/^https?:\/\//i.test(link)) return undefined;
  try {
    const page = new URL(link);
    const doc = new URL(documentUrl);
    return doc.protocol === 'file:' || doc.host === page.host ? page.href : undefined;
  } catch {
    return undefined;
  }
}
