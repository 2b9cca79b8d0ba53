// What the class and id names of real sites say about a block. Publishers name their furniture
// plainly ("share-bar", "related-stories", "newsletter-signup", "post-comments"), so the words of a
// class attribute are strong evidence. Matching is by whole words: "ad" must not match "header" or
// "read", and camelCase counts as separate words ("adSlot" is "ad slot").
import type { Element } from 'domhandler';

/**
 * Furniture whatever else the name says: "article-share" is a share bar, not the article.
 * Multi-word hints match consecutive words ("most-read" matches class="widget most-read-list").
 */
export const STRONG_NEGATIVE_HINTS: readonly string[] = [
  'ad',
  'ads',
  'adslot',
  'adunit',
  'adsbygoogle',
  'advert',
  'adverts',
  'advertisement',
  'advertising',
  'dfp',
  'sponsor',
  'sponsored',
  'promo',
  'promotion',
  'outbrain',
  'taboola',
  'share',
  'shares',
  'sharing',
  'sharebar',
  'social',
  'related',
  'recommended',
  'recirc',
  'recirculation',
  'more-stories',
  'most-read',
  'mostread',
  'most-popular',
  'popular',
  'trending',
  'read-next',
  'also-read',
  'comment',
  'comments',
  'commentlist',
  'disqus',
  'respond',
  'newsletter',
  'subscribe',
  'subscription',
  'signup',
  'sign-up',
  'cookie',
  'cookies',
  'consent',
  'gdpr',
  'modal',
  'popup',
  'breadcrumb',
  'breadcrumbs',
  'byline',
  'meta',
  'author-bio',
  'author-box',
  'author-info',
  'about-author',
  'skip-link',
  'sr-only',
  'visually-hidden',
  'screen-reader-text',
];

/** Furniture unless the name also says content: "site-header" goes, "entry-header" may hold the story. */
export const WEAK_NEGATIVE_HINTS: readonly string[] = [
  'nav',
  'navbar',
  'navigation',
  'menu',
  'submenu',
  'subnav',
  'sidebar',
  'rail',
  'widget',
  'widgets',
  'masthead',
  'header',
  'footer',
  'banner',
  'toolbar',
  'tools',
  'tags',
  'tag-list',
  'topics',
  'pagination',
  'pager',
  'print',
  'hidden',
  'login',
  'search',
  'secondary',
  'utility',
  'dropdown',
  'author',
  'bio',
  'contact',
  'shopping',
];

/** Words that mark the article itself; they also cancel a weak negative in the same name. */
export const POSITIVE_HINTS: readonly string[] = [
  'article',
  'articlebody',
  'article-body',
  'body',
  'content',
  'entry',
  'hentry',
  'h-entry',
  'main',
  'post',
  'story',
  'text',
  'blog',
  'prose',
  'rich-text',
  'permalink',
];

/** The words of an element's class and id: lower case, camelCase and punctuation split. */
export function hintWords(el: Element): string {
  const raw = `${el.attribs['id'] ?? ''} ${el.attribs['class'] ?? ''}`;
  if (raw.trim() === '') return '';
  const words = raw
    .replace(/([a-z])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  // Delimited on both sides so that whole-word tests are a plain `includes`.
  return words.length > 0 ? `-${words.join('-')}-` : '';
}

function hasAny(words: string, hints: readonly string[]): boolean {
  if (words === '') return false;
  return hints.some((h) => words.includes(`-${h}-`));
}

/** `strong-furniture`: named furniture outright; `furniture`: a weak name with no content word. */
export type HintVerdict = 'strong-furniture' | 'furniture' | 'content' | 'neutral';

/** What the class and id say about an element. */
export function hintVerdict(el: Element): HintVerdict {
  const words = hintWords(el);
  if (words === '') return 'neutral';
  if (hasAny(words, STRONG_NEGATIVE_HINTS)) return 'strong-furniture';
  const positive = hasAny(words, POSITIVE_HINTS);
  if (!positive && hasAny(words, WEAK_NEGATIVE_HINTS)) return 'furniture';
  return positive ? 'content' : 'neutral';
}

/** Readability's class weight: +25 for a content name, -25 for a furniture name. */
export function classWeight(el: Element): number {
  const verdict = hintVerdict(el);
  return verdict === 'content' ? 25 : verdict === 'neutral' ? 0 : -25;
}
