// Page furniture: the parts of a page around its content (navigation, sidebars, footers) and the boxes
// of other stories it shows beside it ("More from …", "Related", "Most read"). Link cards there look
// like a listing, but they are not the page's: detection never takes them.
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { collapseWhitespace } from '../../util/text.js';

/** Furniture by tag, ARIA role, or a class/id word. */
const FURNITURE_TAGS = new Set(['nav', 'aside', 'menu', 'form', 'select', 'dialog', 'template', 'noscript']);
const FURNITURE_ROLES = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'menu',
  'menubar',
  'search',
]);
const FURNITURE_WORDS =
  /(?:^|[\s_-])(?:nav|navbar|navigation|menu|menubar|footer|breadcrumbs?|pagination|pager|sidebar|widget|share|sharing|social|cookie|consent|related|popular|trending|most-read|read-next|more-from|recommended|recommendations|recirc|recirculation|tagcloud|comments?|newsletter|subscribe|skip)(?:$|[\s_-])/i;

const FEED_ROOT = /(?:^|\s)h-?feed(?:\s|$)/;

/**
 * What a box of other stories is headed, whole (after a trailing colon or arrow is dropped): "More
 * from The Gazette", "Related stories", "Recommended for you", "Read next". Anchored, so a headline
 * that starts the same way ("Trending: markets fall") is no label.
 */
const RECIRCULATION_LABEL = new RegExp(
  `^(?:${[
    // Not "More news" or "More in Sport": on a front page those head the listing itself.
    String.raw`more (?:from\b.{0,60}|like this)`,
    'related(?: (?:stories|articles|posts|content|reading|news|links|coverage|topics))?',
    'recommended(?: (?:for you|stories|articles|reading|posts))?',
    '(?:most )?popular(?: (?:now|stories|articles|posts|this week|today|on .{1,40}))?',
    'most (?:read|viewed|shared|commented)(?: (?:stories|articles|now|this week|today))?',
    'trending(?: (?:now|stories|articles|today|topics|on .{1,40}))?',
    '(?:what to )?read next|up next|next up|also read|read also|further reading',
    'you (?:may|might) (?:also )?(?:like|enjoy|be interested in)',
  ].join('|')})$`,
  'i',
);
/** A box label is short; a longer text before the items is an intro, not a heading. */
const LABEL_MAX_CHARS = 80;
const HEADING_TAG = /^h[2-6]$/;
const HEADING_CLASS = /(?:^|[\s_-])(?:title|heading|header|hd|label)(?:$|[\s_-])/i;

/**
 * True inside navigation, menus, sidebars, page headers and footers, "related" and "share" boxes,
 * and boxes headed as other stories ("More from …", "Related", "Recommended", "Popular",
 * "Trending", "Read next"). A <header> or <footer> inside an <article> or <main> is part of the
 * story and does not count.
 *
 * @example
 * const cards = $('.card').toArray().filter((el) => !isFurniture($, el));
 */
export function isFurniture($: CheerioAPI, el: Element | null | undefined): boolean {
  for (let n: Element | null = el ?? null; n && n.type === 'tag'; n = n.parent as Element | null) {
    const tag = n.tagName.toLowerCase();
    if (tag === 'body' || tag === 'html') return false;
    // The page says this is its feed of posts (microformats hfeed, h-feed): what is around it, such
    // as Blogger's "widget" that holds every part of its pages, does not make it furniture.
    if (FEED_ROOT.test(n.attribs['class'] ?? '')) return false;
    if (FURNITURE_TAGS.has(tag)) return true;
    if ((tag === 'header' || tag === 'footer') && $(n).closest('article, main, [role="main"]').length === 0)
      return true;
    const role = (n.attribs['role'] ?? '').toLowerCase();
    if (FURNITURE_ROLES.has(role)) return true;
    if (FURNITURE_WORDS.test(`${n.attribs['class'] ?? ''} ${n.attribs['id'] ?? ''}`)) return true;
    if (isRecirculationLabel(n.attribs['aria-label'])) return true;
    if (isRecirculationLabel(boxLabel($, n))) return true;
  }
  return false;
}

/**
 * The label a part of a page is headed with: the nearest earlier sibling of another kind, when that
 * is a heading (`<h2>Related</h2><ul>…`, `<h2>Read next</h2><div class="teaser">…`) or a short
 * header around one (`<div class="box-title"><h3>…</h3></div>`). Siblings of the same kind are
 * passed over: they are the cards before, and their headings are their titles. Only h2–h6: an <h1>
 * names the page itself, and a page called "Trending" lists its stories.
 */
function boxLabel($: CheerioAPI, el: Element): string | undefined {
  const kind = `${el.tagName} ${el.attribs['class'] ?? ''}`;
  let prev = el.prev;
  while (
    prev &&
    (prev.type !== 'tag' ||
      `${(prev as Element).tagName} ${(prev as Element).attribs['class'] ?? ''}` === kind)
  )
    prev = prev.prev;
  if (!prev) return undefined;
  const s = prev as Element;
  const kids = s.children.filter((c): c is Element => c.type === 'tag');
  const headed =
    HEADING_TAG.test(s.tagName.toLowerCase()) ||
    (s.attribs['role'] ?? '').toLowerCase() === 'heading' ||
    HEADING_CLASS.test(s.attribs['class'] ?? '') ||
    (kids.length <= 2 && kids.some((k) => HEADING_TAG.test(k.tagName.toLowerCase())));
  if (!headed) return undefined;
  const text = collapseWhitespace($(s).text());
  return text.length <= LABEL_MAX_CHARS ? text : undefined;
}

function isRecirculationLabel(label: string | undefined): boolean {
  if (!label) return false;
  return RECIRCULATION_LABEL.test(label.trim().replace(/\s*[:»›→>…]+$/u, ''));
}
