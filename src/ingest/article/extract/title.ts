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

/** "Story | Site", "Site - Story": a title and a site's name joined by one of these. */
const SEPARATED = {
  suffix: /^(.*\S)\s+[|\-–—:·»]\s+(.+)$/,
  prefix: /^(.+?)\s+[|\-–—:·»]\s+(\S.*)$/,
};

/**
 * A title without its site's name, when it starts or ends with one of `siteNames` after a
 * separator. The title itself is never removed.
 *
 * @example
 * withoutSiteName('Bridge reopens - Coastal Notes', ['Coastal Notes']); // 'Bridge reopens'
 */
export function withoutSiteName(title: string, siteNames: readonly string[]): string {
  const names = new Set(siteNames.map(folded));
  const suffix = SEPARATED.suffix.exec(title);
  if (suffix?.[1] && suffix[2] && names.has(folded(suffix[2]))) return suffix[1];
  const prefix = SEPARATED.prefix.exec(title);
  if (prefix?.[1] && prefix[2] && names.has(folded(prefix[1]))) return prefix[2];
  return title;
}

/**
 * The site's name as `<title>` gives it, when that can be told: the part beside a separator whose
 * other part is the story's headline, or whose letters spell the page's host name
 * ("Coastal Notes" on coastalnotes.example).
 *
 * @example
 * siteNameInTitle('Bridge reopens | Coastal Notes', ['Bridge reopens'], 'https://x.example/a'); // 'Coastal Notes'
 */
export function siteNameInTitle(
  pageTitle: string | undefined,
  headlines: readonly (string | undefined)[],
  pageUrl: string,
): string | undefined {
  if (!pageTitle) return undefined;
  const stories = new Set(headlines.filter((h): h is string => h !== undefined).map(folded));
  const host = hostLetters(pageUrl);
  for (const [re, storyAt, siteAt] of [
    [SEPARATED.suffix, 1, 2],
    [SEPARATED.prefix, 2, 1],
  ] as const) {
    const m = re.exec(pageTitle);
    const story = m?.[storyAt];
    const site = m?.[siteAt];
    if (!story || !site) continue;
    if (stories.has(folded(story))) return site;
    const letters = folded(site).replace(/[^\p{L}\p{N}]/gu, '');
    if (host.length > 0 && letters.length > 2 && host.includes(letters)) return site;
  }
  return undefined;
}

function folded(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** "www.coastal-notes.example" → ["coastalnotes"]: the host's labels but the top-level one, letters only. */
function hostLetters(pageUrl: string): string[] {
  let host: string;
  try {
    host = new URL(pageUrl).hostname;
  } catch {
    return [];
  }
  return host
    .split('.')
    .slice(0, -1)
    .filter((l) => l !== 'www')
    .map((l) => l.replace(/[^\p{L}\p{N}]/gu, '').toLowerCase())
    .filter(Boolean);
}
