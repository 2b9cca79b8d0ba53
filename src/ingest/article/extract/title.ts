// Which heading is the story's headline. Many themes (WordPress's Twenty Eleven among them) set the
// site's name in an <h1> above the story, so the first <h1> of a page is often the logo.
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { resolveUrl } from '../../../util/url.js';
import { CONTENT_LANDMARKS } from './clean.js';
import { hintWords } from './hints.js';

/** Class and id words of a heading that holds the site's name rather than a story's. */
export const SITE_NAME_HINTS: readonly string[] = [
  'site-title',
  'site-name',
  'site-logo',
  'logo',
  'brand',
  'branding',
  'blog-title',
];

/**
 * The story's headline among the page's <h1>s: one inside the article or main content first, then
 * one that `<title>` repeats, then any. A heading that names the site (a link to the home page, a
 * `site-title` class, inside the banner) is never the headline.
 *
 * @example
 * headlineHeading($, 'https://blog.example/2026/boat', 'Repairing the old boat | Harbour Diaries');
 * // 'Repairing the old boat', not the 'Harbour Diaries' logo above it
 */
export function headlineHeading(
  $: CheerioAPI,
  pageUrl: string,
  pageTitle: string | undefined,
): string | undefined {
  const headings = $('h1')
    .get()
    .filter((h) => headingText($, h) !== '' && !namesSite($, h, pageUrl));
  const title = pageTitle?.toLowerCase() ?? '';
  const chosen =
    headings.find((h) => $(h).closest(CONTENT_LANDMARKS).length > 0) ??
    headings.find((h) => title !== '' && title.includes(headingText($, h).toLowerCase())) ??
    headings[0];
  return chosen ? headingText($, chosen) : undefined;
}

function isTag(n: AnyNode | null): n is Element {
  return n?.type === 'tag';
}

function headingText($: CheerioAPI, h: Element): string {
  return $(h).text().replace(/\s+/g, ' ').trim();
}

/** True for a site's name set as a heading: the banner's, a logo's, or only a link to the home page. */
function namesSite($: CheerioAPI, h: Element, pageUrl: string): boolean {
  if ($(h).closest(CONTENT_LANDMARKS).length > 0) return false;
  for (let el: Element | null = h; el && el.name !== 'body'; el = isTag(el.parent) ? el.parent : null) {
    const words = hintWords(el);
    if (SITE_NAME_HINTS.some((w) => words.includes(`-${w}-`))) return true;
  }
  if ($(h).closest('[role="banner"]').length > 0) return true;
  const links = $(h).find('a[href]');
  if (links.length !== 1 || links.text().replace(/\s+/g, ' ').trim() !== headingText($, h)) return false;
  if (/(?:^|\s)home(?:\s|$)/i.test(links.attr('rel') ?? '')) return true;
  const target = resolveUrl(links.attr('href'), pageUrl);
  if (!target) return false;
  const u = new URL(target);
  return u.pathname === '/' && u.search === '';
}
