// The element names read from RSS, RDF and Atom documents, as data. Both readers use this one table:
// rss-parser asks xml2js for exactly these elements, and the lenient cheerio reader walks the same
// names, so a recovered item carries the same fields as a strictly parsed one.

/** Item-level elements per dialect, in order of preference where a field has several. */
export const ITEM_ELEMENTS = {
  rss: {
    guid: ['guid'],
    // FeedBurner rewrote every link to a feedproxy.google.com redirect (since shut down) and kept the
    // publisher's own URL in origLink: that is the story's page, and what other outlets link to.
    link: ['feedburner:origLink', 'link'],
    title: ['title', 'dc:title'],
    // content:encoded is the full text; description then serves as the summary.
    content: ['content:encoded', 'xhtml:body'],
    description: ['description'],
    published: ['pubDate', 'dc:date'],
    updated: ['dc:modified', 'atom:updated'],
    authors: ['author', 'dc:creator'],
    // A podcast's episodes name their host here, and often only here.
    authorsFallback: ['itunes:author'],
    categories: ['category', 'dc:subject'],
    enclosures: ['enclosure'],
    media: ['media:content', 'media:thumbnail', 'media:group', 'itunes:image'],
    // The body of last resort, for items with neither content nor description: Media RSS (also read
    // inside media:group, as YouTube and podcast hosts write it) and the iTunes podcast notes.
    mediaDescription: ['media:description', 'itunes:summary'],
    source: ['source'],
  },
  atom: {
    guid: ['id'],
    link: ['link'],
    origLink: ['feedburner:origLink'],
    title: ['title'],
    content: ['content'],
    description: ['summary'],
    // Atom 0.3 dates: issued (required), created, modified.
    published: ['published', 'issued', 'created'],
    updated: ['updated', 'modified'],
    authors: ['author'],
    authorsFallback: [],
    categories: ['category', 'dc:subject'],
    enclosures: [],
    media: ['media:content', 'media:thumbnail', 'media:group'],
    mediaDescription: ['media:description'],
    source: [],
  },
} as const satisfies Record<'rss' | 'atom', Record<string, readonly string[]>>;

/** Feed-level (RSS channel, Atom feed) elements. */
export const FEED_ELEMENTS = {
  title: ['title'],
  link: ['link'],
  // Atom 0.3 calls the subtitle `tagline`.
  description: ['description', 'subtitle', 'tagline'],
  authors: ['author'],
  // A podcast channel's host: the author of episodes that name none.
  showAuthor: ['itunes:author'],
  ttl: ['ttl'],
  updatePeriod: ['sy:updatePeriod'],
  updateFrequency: ['sy:updateFrequency'],
} as const;

/** Every item element name of both dialects, for rss-parser's customFields. */
export const ALL_ITEM_ELEMENTS: readonly string[] = [
  ...new Set(Object.values(ITEM_ELEMENTS).flatMap((d) => Object.values(d).flat())),
];
export const ALL_FEED_ELEMENTS: readonly string[] = [...new Set(Object.values(FEED_ELEMENTS).flat())];

/** RSS 1.0 syndication module periods (sy:updatePeriod), in minutes. */
export const UPDATE_PERIOD_MINUTES: Readonly<Record<string, number>> = {
  hourly: 60,
  daily: 60 * 24,
  weekly: 60 * 24 * 7,
  monthly: 60 * 24 * 30,
  yearly: 60 * 24 * 365,
};
