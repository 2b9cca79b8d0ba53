// First pass over a page: remove what is never the article (scripts, navigation, share bars, ads,
// comments, newsletter and cookie boxes) so that the scorer only weighs what a reader might read.
// One walk over the tree; removed subtrees are not visited.
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { hintVerdict } from './hints.js';

/** Never content: code, embeds, form controls. Removed without a second look. */
export const ALWAYS_REMOVE: ReadonlySet<string> = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'link',
  'meta',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'canvas',
  'button',
  'input',
  'select',
  'textarea',
  'option',
  'dialog',
]);

/** HTML landmarks of page furniture. A whole page wrapped in one (an ASP.NET <form>) is kept. */
export const FURNITURE_TAGS: ReadonlySet<string> = new Set([
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'menu',
]);

/** ARIA roles of page furniture (WAI-ARIA landmark and widget roles). */
export const FURNITURE_ROLES: ReadonlySet<string> = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'search',
  'dialog',
  'alertdialog',
  'menu',
  'menubar',
  'toolbar',
  'tablist',
]);

/** Whole-block texts that label an ad slot or a jump link rather than say anything. */
export const FURNITURE_TEXT =
  /^(?:advertisement|advertisements|ad|ads|sponsored(?: content)?|anzeige|werbung|publicité|annonce|広告|pr|scroll to continue(?: with content)?|story continues below(?: advertisement)?|continue reading below|skip to (?:main )?content|share this (?:article|story|post)|print this (?:article|page))$/i;
/** Longest block that FURNITURE_TEXT is tried on. */
const FURNITURE_TEXT_MAX = 60;

/** Elements that mark where the publisher says the article is; a box holding one is not removed. */
export const CONTENT_LANDMARKS = 'article, main, [role="main"], [itemprop="articleBody"]';

/**
 * A block holding at least this share of the page's paragraph text is a page wrapper (an ASP.NET
 * <form>, a <div class="has-sidebar">), not furniture, whatever its name. A sidebar that merely
 * outweighs a short story stays below it.
 */
export const KEEP_SHARE = 0.9;

const HIDDEN_STYLE = /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)/i;

/**
 * Removes page furniture from the document in place, starting at `root` (usually <body>).
 *
 * @example
 * const $ = cheerio.load(html);
 * cleanPage($, $('body').get(0));
 */
export function cleanPage($: CheerioAPI, root: Element): void {
  const landmarks = new Set(
    $(CONTENT_LANDMARKS)
      .get()
      .filter((el) => hintVerdict(el) === 'content' || hintVerdict(el) === 'neutral'),
  );
  const totalParagraphs = paragraphTextLength($, root);
  // Does this block hold the story? Then it stays even if its name or tag says furniture. A name
  // that says "comments" outright only yields to a landmark: long comment threads outweigh posts.
  const holdsStory = (el: Element, strong: boolean): boolean => {
    for (const l of landmarks) if (l === el || contains(el, l)) return true;
    return !strong && totalParagraphs > 0 && paragraphTextLength($, el) >= totalParagraphs * KEEP_SHARE;
  };

  const visit = (parent: Element): void => {
    for (const node of [...parent.children]) {
      if (!isElement(node)) continue;
      if (shouldRemove($, node, holdsStory)) $(node).remove();
      else visit(node);
    }
  };
  visit(root);
}

function shouldRemove(
  $: CheerioAPI,
  el: Element,
  holdsStory: (el: Element, strong: boolean) => boolean,
): boolean {
  const tag = el.name.toLowerCase();
  if (ALWAYS_REMOVE.has(tag)) return true;
  if (tag === 'img') return isPixel(el);
  if (tag === 'body' || tag === 'html' || tag === 'head') return false;
  const role = (el.attribs['role'] ?? '').trim().toLowerCase();
  const hidden =
    el.attribs['hidden'] !== undefined ||
    el.attribs['aria-hidden'] === 'true' ||
    HIDDEN_STYLE.test(el.attribs['style'] ?? '');
  const verdict = hintVerdict(el);
  if (verdict === 'strong-furniture') return !holdsStory(el, true);
  if (FURNITURE_TAGS.has(tag) || FURNITURE_ROLES.has(role) || hidden || verdict === 'furniture') {
    return !holdsStory(el, false);
  }
  const text = shortText(el, FURNITURE_TEXT_MAX);
  return text !== undefined && FURNITURE_TEXT.test(text.trim()) && $(el).find('img').length === 0;
}

/** The text of an element when it has at most `max` characters; undefined (early) otherwise. */
function shortText(el: Element, max: number): string | undefined {
  let out = '';
  const walk = (n: AnyNode): boolean => {
    if (n.type === 'text') {
      out += n.data;
      return out.trim().length <= max;
    }
    if (!isElement(n)) return true;
    for (const c of n.children) if (!walk(c)) return false;
    return true;
  };
  return walk(el) ? out : undefined;
}

/** A 1x1 (or 0x0) image is there to be requested (a tracking pixel), not to be seen. */
function isPixel(el: Element): boolean {
  const dim = (name: string): number | undefined => {
    const v = el.attribs[name];
    if (v === undefined) return undefined;
    const n = Number.parseInt(v, 10);
    return Number.isNaN(n) ? undefined : n;
  };
  const w = dim('width');
  const h = dim('height');
  return (w !== undefined && w <= 1) || (h !== undefined && h <= 1);
}

/** Length of the text in <p> and <pre> elements under `el` (the "story text" measure). */
export function paragraphTextLength($: CheerioAPI, el: Element): number {
  let n = 0;
  $(el)
    .find('p, pre')
    .each((_, p) => {
      n += $(p).text().trim().length;
    });
  return n;
}

export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** True when `node` sits somewhere inside `ancestor`. */
export function contains(ancestor: Element, node: AnyNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
}
