// The sanitizer's policy as data. Reviews diff these tables, not sanitize.ts.
// Anything not named here is unwrapped (element dropped, text kept) or, for attributes, removed.

/** Allowed elements and the attributes each may keep (besides GLOBAL_ATTRIBUTES). */
export const ALLOWED_TAGS: Readonly<Record<string, readonly string[]>> = {
  p: [],
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  a: ['href', 'title'],
  img: ['src', 'srcset', 'sizes', 'alt', 'title', 'width', 'height'],
  figure: [],
  figcaption: [],
  ul: [],
  ol: ['start', 'reversed'],
  li: [],
  blockquote: ['cite'],
  pre: [],
  code: [],
  em: [],
  strong: [],
  b: [],
  i: [],
  u: [],
  s: [],
  sub: [],
  sup: [],
  small: [],
  mark: [],
  q: ['cite'],
  cite: [],
  abbr: ['title'],
  time: ['datetime'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  dl: [],
  dt: [],
  dd: [],
  hr: [],
  br: [],
  table: [],
  thead: [],
  tbody: [],
  tfoot: [],
  tr: [],
  th: ['colspan', 'rowspan', 'scope'],
  td: ['colspan', 'rowspan'],
  caption: [],
  // Podcasts and video posts embed media; without these only the "your browser cannot play" text would remain.
  video: ['src', 'poster', 'width', 'height', 'controls'],
  audio: ['src', 'controls'],
  // Only the src/type form (inside audio/video); a <source> without src (the srcset form of <picture>) is dropped.
  source: ['src', 'type'],
};

/** Harmless on any allowed element; `dir` keeps right-to-left text readable. */
export const GLOBAL_ATTRIBUTES: readonly string[] = ['dir', 'lang'];

/** The item title is the page's h1, so content headings start one level down. */
export const RENAMED_TAGS: Readonly<Record<string, string>> = { h1: 'h2' };

/** Removed together with everything inside them: active content, forms, metadata, plugin and frame fallbacks. */
export const DROPPED_TAGS: ReadonlySet<string> = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'embed',
  'form',
  'input',
  'button',
  'select',
  'textarea',
  'option',
  'meta',
  'base',
  'link',
  'noscript',
  'svg',
  'math',
  'template',
  'frame',
  'frameset',
  'applet',
  'head',
  'title',
  'noembed', // raw-text fallback for plugins: the serializer would not escape it
  'noframes', // same, for frames
  'param',
  'track', // subtitle files are not worth another URL to police
  'dialog',
  // Obsolete raw-text elements: browsers show their markup literally, which is never what a reader wants.
  'xmp',
  'plaintext',
]);

/**
 * Unwrapped (children kept, element dropped). Every unknown element is unwrapped too; this list only
 * documents the common ones. `picture` always carries an <img> fallback, which every reader shows;
 * its srcset-only <source> children are dropped, so there are fewer URLs to police for no visible loss.
 */
export const UNWRAPPED_TAGS: ReadonlySet<string> = new Set([
  'span',
  'div',
  'picture',
  'section',
  'article',
  'header',
  'footer',
  'main',
  'aside',
  'nav',
  'font',
  'center',
  'big',
]);

/** Elements without meaningful content once empty (no text, no media) are removed. */
export const DROP_WHEN_EMPTY: ReadonlySet<string> = new Set([
  'p',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'a',
  'em',
  'strong',
  'b',
  'i',
  'u',
  's',
  'sub',
  'sup',
  'small',
  'mark',
  'q',
  'cite',
  'blockquote',
  'figure',
  'figcaption',
  'pre',
  'code',
  'ul',
  'ol',
  'dl',
  'caption',
]);

/** Elements that end a run of words: their text is separated by a space when flattened to plain text. */
export const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'br',
  'caption',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'figcaption',
  'figure',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'td',
  'th',
  'tr',
  'ul',
]);

export type UrlPolicy = 'link' | 'image' | 'media';

/** Which attributes hold URLs and which schemes they accept. Others (javascript:, vbscript:, file:, ...) go. */
export const URL_ATTRIBUTES: Readonly<Record<string, UrlPolicy>> = {
  href: 'link',
  src: 'media',
  cite: 'media',
  poster: 'media',
};

export const ALLOWED_SCHEMES: Readonly<Record<UrlPolicy, readonly string[]>> = {
  link: ['http', 'https', 'mailto'],
  image: ['http', 'https', 'data'],
  media: ['http', 'https'],
};

/** The only data: URLs kept, and only in img src: raster images that cannot carry script (SVG can). */
export const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpeg|webp)[;,]/;

/** Attribute values that must match a shape; anything else is removed. */
export const ATTRIBUTE_SHAPES: Readonly<Record<string, RegExp>> = {
  width: /^\d{1,5}%?$/,
  height: /^\d{1,5}%?$/,
  colspan: /^\d{1,3}$/,
  rowspan: /^\d{1,3}$/,
  start: /^-?\d{1,9}$/,
  dir: /^(?:ltr|rtl|auto)$/i,
  lang: /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i,
  scope: /^(?:row|col|rowgroup|colgroup)$/i,
  type: /^[a-z]+\/[a-z0-9.+-]+(?:;.*)?$/i,
};

/** Lazy-loading scripts keep the real image here and a placeholder in src; scraped pages need them. */
export const LAZY_SRC_ATTRIBUTES: readonly string[] = ['data-src', 'data-lazy-src', 'data-original'];
export const LAZY_SRCSET_ATTRIBUTES: readonly string[] = ['data-srcset', 'data-lazy-srcset'];

/** Tracking pixels and beacons, matched against the absolute image URL. */
export const TRACKING_IMAGES: readonly { readonly pattern: RegExp; readonly reason: string }[] = [
  {
    pattern: /^https?:\/\/feeds\.feedburner\.com\/~(?:r|ff)\//i,
    reason: 'FeedBurner item and flare beacons',
  },
  { pattern: /^https?:\/\/feedproxy\.google\.com\/~r\//i, reason: 'FeedBurner proxy beacon' },
  { pattern: /^https?:\/\/(?:[\w-]+\.)*doubleclick\.net\//i, reason: 'ad impression pixels' },
  { pattern: /^https?:\/\/stats\.wordpress\.com\/b\.gif/i, reason: 'WordPress.com stats beacon' },
  { pattern: /^https?:\/\/pixel\.wp\.com\//i, reason: 'WordPress.com / Jetpack stats beacon' },
  { pattern: /^https?:\/\/(?:www\.)?google-analytics\.com\//i, reason: 'Google Analytics collect' },
  { pattern: /^https?:\/\/medium\.com\/_\/stat/i, reason: 'Medium read beacon' },
  { pattern: /^https?:\/\/[^/]*feedsportal\.com\//i, reason: 'Feedsportal (defunct) beacons' },
  { pattern: /^https?:\/\/[^/]*pheedo\.com\//i, reason: 'Pheedo ad beacons' },
  {
    pattern: /^https?:\/\/[^?#]*\/(?:pixel|beacon|tracking-pixel)(?:\.(?:gif|png))?(?:[?#]|$)/i,
    reason: 'generic pixel paths',
  },
  { pattern: /^https?:\/\/[^?#]*\/track\/open\b/i, reason: 'newsletter/feed open trackers' },
];

/**
 * Emoji drawn as pictures, known by class: WordPress ("wp-smiley", and "emoji" from its twemoji
 * script), Discourse and most twemoji setups ("emoji"). Their alt text is the emoji or its
 * ":shortcode:", which is what the reader shows instead: a 72-pixel picture without the 1em height
 * of the site's stylesheet would stand in the text at full size, and become the item's image.
 */
export const EMOJI_IMAGE_CLASSES: ReadonlySet<string> = new Set([
  'wp-smiley',
  'emoji',
  'emojione',
  'twemoji',
]);
/** The same by address, for copies that lost the class. */
export const EMOJI_IMAGE_SOURCES: readonly RegExp[] = [
  /^https?:\/\/s\.w\.org\/images\/core\/emoji\//i,
  /^https?:\/\/(?:[\w-]+\.)*twemoji\.maxcdn\.com\//i,
  /^https?:\/\/cdn\.jsdelivr\.net\/gh\/(?:twitter|jdecked)\/twemoji@/i,
  /^https?:\/\/emoji\.discourse-cdn\.com\//i,
];

/** Boilerplate blocks feed generators append to content; removed with their content. Conservative on purpose. */
export const BOILERPLATE: readonly {
  readonly name: string;
  readonly tags: readonly string[];
  readonly className?: string;
  /** Matched against the block's whole text (whitespace collapsed); only blocks under 800 characters. */
  readonly text?: RegExp;
  /** A word `text` cannot match without (any case): blocks without it are not collapsed and tested. */
  readonly needle?: string;
  /** Links the block must hold as direct children, so body prose of the same words is left alone. */
  readonly minLinks?: number;
}[] = [
  // Yoast SEO's RSS footer: "The post <a>X</a> appeared first on <a>Y</a>."
  {
    name: 'wordpress-appeared-first',
    tags: ['p', 'div'],
    text: /^the post .{1,400} (?:appeared first|first appeared) on .{1,200}$/is,
    needle: 'appeared',
    minLinks: 2,
  },
  // Medium's footer on every syndicated story.
  {
    name: 'medium-originally-published',
    tags: ['p', 'div'],
    text: /^.{1,400} was originally published in .{1,200} on medium, where people are continuing the conversation/is,
    needle: 'originally published',
    minLinks: 1,
  },
  // FeedBurner "flare" share buttons.
  { name: 'feedburner-flare', tags: ['div', 'p'], className: 'feedflare' },
  // Jetpack share button bars that some WordPress themes leave in the feed.
  { name: 'jetpack-share', tags: ['div'], className: 'sharedaddy' },
  // YARPP's related-posts box ("Related posts:" and a list of links), appended to every post's feed content.
  { name: 'yarpp-related', tags: ['div'], className: 'yarpp-related' },
  // Newsletter platforms (Substack and its like) put their calls to action in every post's feed
  // content: a subscribe box, and paragraphs that are one button. Only a paragraph that is nothing
  // but the button's words around a link goes; prose that mentions sharing stays.
  { name: 'newsletter-subscribe-box', tags: ['div'], className: 'subscription-widget-wrap' },
  { name: 'newsletter-subscribe-box-editor', tags: ['div'], className: 'subscription-widget-wrap-editor' },
  {
    name: 'button-subscribe',
    tags: ['p'],
    text: /^(?:subscribe(?: now| for free)?|give a gift subscription)$/i,
    needle: 'subscri',
    minLinks: 1,
  },
  { name: 'button-share', tags: ['p'], text: /^share(?: this post)?$/i, needle: 'share', minLinks: 1 },
  { name: 'button-comment', tags: ['p'], text: /^leave a comment$/i, needle: 'comment', minLinks: 1 },
  { name: 'button-upgrade', tags: ['p'], text: /^upgrade to paid$/i, needle: 'upgrade', minLinks: 1 },
];

/**
 * A "Related posts:" label (a paragraph or heading of only these words) directly followed by a list
 * whose every item is one link: what related-post plugins write when their box has no class we know
 * (classes stripped on the way into the feed, or a plugin of its own). Both go; a list after any other
 * words stays.
 */
export const RELATED_LABEL = /^(?:related|similar) (?:posts|articles|stories|reading)\s*[:.]?$/i;

/**
 * Classes of text meant for screen readers only, hidden on screen by the site's stylesheet, which a
 * feed reader does not have: WordPress's "Continue reading<span class="screen-reader-text"> Title</span>"
 * would read as visible words. Removed with their content, on any element.
 */
export const SCREEN_READER_CLASSES: ReadonlySet<string> = new Set([
  'screen-reader-text', // WordPress core and themes
  'sr-only', // Bootstrap 3-4, Tailwind
  'visually-hidden', // Bootstrap 5, GOV.UK and others
  'visuallyhidden', // HTML5 Boilerplate
  'a11y-hidden',
  'assistive-text', // older WordPress themes (Twenty Eleven)
  'element-invisible', // Drupal 7
]);

/**
 * Share endpoints, as host (any subdomain) and path prefix: a link to one of them shares the page it
 * sits on. A short block whose every link is one (a plugin's "Share: Facebook Twitter Email" bar, a
 * "Click to tweet" box) is boilerplate whatever its class name; AddToAny, Social Warfare, Shareaholic
 * and theme-made bars all link here.
 */
export const SHARE_ENDPOINTS: readonly (readonly [host: string, pathPrefix: string])[] = [
  ['facebook.com', '/sharer'],
  ['facebook.com', '/share.php'],
  ['facebook.com', '/dialog/share'],
  ['facebook.com', '/dialog/feed'],
  ['twitter.com', '/intent/tweet'],
  ['twitter.com', '/share'],
  // The old share URL (twitter.com/home?status=...), still in Slashdot's and other old feeds.
  ['twitter.com', '/home'],
  ['x.com', '/intent/tweet'],
  ['x.com', '/intent/post'],
  ['x.com', '/share'],
  ['linkedin.com', '/sharearticle'],
  ['linkedin.com', '/sharing/share-offsite'],
  ['linkedin.com', '/cws/share'],
  ['reddit.com', '/submit'],
  ['pinterest.com', '/pin/create'],
  ['api.whatsapp.com', '/send'],
  ['web.whatsapp.com', '/send'],
  ['t.me', '/share'],
  ['telegram.me', '/share'],
  ['news.ycombinator.com', '/submitlink'],
  ['getpocket.com', '/save'],
  ['getpocket.com', '/edit'],
  ['tumblr.com', '/share'],
  ['tumblr.com', '/widgets/share'],
  ['vk.com', '/share.php'],
  ['bsky.app', '/intent/compose'],
  ['threads.net', '/intent/post'],
  ['addtoany.com', '/add_to'],
  ['addtoany.com', '/share'],
  ['buffer.com', '/add'],
  ['flipboard.com', '/bookmarklet'],
  ['xing.com', '/spi/shares'],
];
/** Text a share bar holds at most (its labels: "Share this: Facebook X LinkedIn Email Print"). */
export const SHARE_BAR_MAX_TEXT = 200;

/** Deeper elements are dropped: real content is never that deep, and serializers recurse. */
export const MAX_DEPTH = 256;
/** Estimated unclosed-tag nesting above which the content is treated as text: the HTML parser slows down quadratically. */
export const MAX_NESTING_ESTIMATE = 2000;
