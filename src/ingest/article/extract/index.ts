// Article extraction: one HTML page in, its story and metadata out. One cheerio parse per page:
// metadata is read first (JSON-LD and meta tags live in <head> and in scripts), then the page is
// cleaned of furniture in place, scored, and the winning blocks are tidied and serialized.
import type { CheerioAPI } from 'cheerio';
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import { isHttpUrl, resolveUrl } from '../../../util/url.js';
import { pageBase } from '../../page/index.js';
import { MAX_FURNITURE_LENGTH, TRAILING_BOILERPLATE } from '../text.js';
import { cleanPage, isElement } from './clean.js';
import { hintVerdict } from './hints.js';
import { absoluteSrcset, revealImages } from './images.js';
import { dropLeadIn, isLinkLeadIn } from './lead-in.js';
import { type ArticleMetadata, readMetadata } from './metadata.js';
import { BLOCK_TAGS, collapsed, findArticle, TextStats } from './score.js';
import { blockText } from './text.js';

export { LAZY_SRC, LAZY_SRCSET } from './images.js';
export { ARTICLE_LD_TYPES, type ArticleMetadata, META_KEYS } from './metadata.js';
export { blockText } from './text.js';

export interface ExtractedArticle extends ArticleMetadata {
  /** What the page's relative URLs resolve against: its `<base href>`, else its own URL. */
  readonly base: string;
  /** The story's HTML, unsanitized (normalize sanitizes), furniture removed. */
  readonly html: string;
  /** The story's plain text, a line per block. */
  readonly text: string;
}

/** URL attributes made absolute when the page has an http(s) address. */
export const URL_ATTRIBUTES: readonly (readonly [string, string])[] = [
  ['a', 'href'],
  ['img', 'src'],
  ['source', 'src'],
  ['video', 'src'],
  ['video', 'poster'],
  ['audio', 'src'],
];

/** Blocks tidied after the choice: dropped when they are mostly links or empty. */
export const TIDY_TAGS: readonly string[] = [
  'div',
  'section',
  'ul',
  'ol',
  'dl',
  'table',
  'figure',
  'aside',
  'header',
  'footer',
];

/**
 * Extracts the article from one HTML page.
 *
 * @example
 * const a = extractArticle(html, 'https://news.example/2026/01/bridge');
 * a.title; a.authors; a.published; a.html; a.text;
 */
export function extractArticle(html: string, pageUrl: string): ExtractedArticle {
  const $ = cheerio.load(html);
  const base = documentBase($, pageUrl);
  const meta = readMetadata($, base);
  revealImages($);
  const body = $('body').get(0) ?? $.root().children().get(0);
  if (!body) return { ...meta, base, html: '', text: '' };
  cleanPage($, body);
  const blocks = findArticle($, body)?.blocks ?? [body];
  tidy($, blocks, meta.title);
  dropTrailingFurniture($, blocks);
  if (isHttpUrl(base)) absolutize($, blocks, base);
  const first = blocks[0];
  const out =
    blocks.length === 1 && first ? ($(first).html() ?? '') : blocks.map((b) => $.html(b)).join('\n');
  return { ...meta, base, html: out, text: blockText(blocks) };
}

/**
 * What the document's relative URLs resolve against. HTML §4.2.3: its <base href> when it has one,
 * else its own URL. A local file that names its public address (<link rel="canonical">, og:url) is
 * read as if from there: its relative links and images point into that site, not the disk.
 */
function documentBase($: CheerioAPI, pageUrl: string): string {
  const base = pageBase($, pageUrl);
  if (isHttpUrl(base)) return base;
  const named = $('link[rel~="canonical"]').attr('href') ?? $('meta[property="og:url"]').attr('content');
  const address = resolveUrl(named, base);
  return address && isHttpUrl(address) ? address : base;
}

/** After the choice: drop the headline (shown as the title), link lists, empty boxes. */
function tidy($: CheerioAPI, blocks: readonly Element[], title: string | undefined): void {
  const tidyTags = new Set(TIDY_TAGS);
  for (const block of blocks) {
    dropLeadIn($, block, title);
    const stats = new TextStats(block);
    // Headings right above a dropped box: "Related stories" over the link list it introduced.
    const introducers: Element[] = [];
    const drop = (el: Element): void => {
      const before = $(el).prev().get(0);
      if (before && HEADING.test(before.name)) introducers.push(before);
      stats.remove(el);
      $(el).remove();
    };
    // Innermost first, so a box emptied of its link list is judged on what is left.
    for (const el of descendants(block).reverse()) {
      if (inCode(el, block)) continue;
      const media = stats.media(el);
      if (tidyTags.has(el.name)) {
        if (stats.chars(el) === 0 && media === 0) drop(el);
        else if (media === 0 && stats.linkDensity(el) > 0.5) drop(el);
        else if (hintVerdict(el) === 'strong-furniture') drop(el);
      } else if (el.name === 'p') {
        if (media > 0) continue;
        const chars = stats.chars(el);
        if (chars === 0 || (collapsed($(el).text()) === '' && chars < 5)) drop(el);
        else if (chars < 200 && stats.linkDensity(el) > 0.5 && isLinkLeadIn($, el)) drop(el);
      }
    }
    for (const h of introducers) if (isOrphanHeading($, h)) $(h).remove();
  }
}

const HEADING = /^h[1-6]$/;

/**
 * A heading left without its section: one that names furniture ("Related stories", "More from X"),
 * or one now followed by nothing but another heading of its rank or above.
 */
function isOrphanHeading($: CheerioAPI, h: Element): boolean {
  if (!h.parent) return false;
  const text = collapsed($(h).text());
  if (text.length <= MAX_FURNITURE_LENGTH && TRAILING_BOILERPLATE.some((re) => re.test(text))) return true;
  const next = $(h)
    .nextAll()
    .filter((_, el) => collapsed($(el).text()) !== '' || $(el).is('img') || $(el).find('img').length > 0);
  const after = next.get(0);
  return !after || (HEADING.test(after.name) && after.name <= h.name);
}

/**
 * The lines a page puts after the story ("You may also like...", "Share this", "Advertisement"),
 * the same lines a copied plain-text article ends with: the last text-bearing elements of the last
 * block, dropped while they are short and match TRAILING_BOILERPLATE. A credit line ("Source: X")
 * stops it: it says where the story came from.
 */
function dropTrailingFurniture($: CheerioAPI, blocks: readonly Element[]): void {
  const block = blocks.at(-1);
  if (!block) return;
  for (;;) {
    const last = lastTextElement($, block);
    if (!last || last === block) return;
    const text = collapsed($(last).text());
    if (text.length > MAX_FURNITURE_LENGTH || !TRAILING_BOILERPLATE.some((re) => re.test(text))) return;
    $(last).remove();
  }
}

/** The innermost block-level element holding the last text of `root`. */
function lastTextElement($: CheerioAPI, root: Element): Element | undefined {
  const all = descendants(root).filter((el) => BLOCK_TAGS.has(el.name) || /^h[1-6]$/.test(el.name));
  for (let i = all.length - 1; i >= 0; i--) {
    const el = all[i] as Element;
    if (collapsed($(el).text()) !== '') return el;
  }
  return undefined;
}

/** Every element under `root`, in document order. */
function descendants(root: Element): Element[] {
  const out: Element[] = [];
  const walk = (el: Element): void => {
    for (const c of el.children) {
      if (!isElement(c)) continue;
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

function inCode(el: Element, stop: Element): boolean {
  for (let p = el.parent; p && p !== stop && isElement(p); p = p.parent) {
    if (p.name === 'pre' || p.name === 'code') return true;
  }
  return false;
}

/** Every URL of the story absolute. */
function absolutize($: CheerioAPI, blocks: readonly Element[], base: string): void {
  const all = (selector: string): Element[] =>
    blocks.flatMap((b) => [...($(b).is(selector) ? [b] : []), ...$(b).find(selector).get()]);
  for (const img of all('img[srcset], source[srcset]')) {
    img.attribs['srcset'] = absoluteSrcset(img.attribs['srcset'] ?? '', base);
  }
  for (const [tag, attr] of URL_ATTRIBUTES) {
    for (const el of all(`${tag}[${attr}]`)) {
      const v = el.attribs[attr];
      // Fragment links stay: they point inside the article (footnotes).
      if (v === undefined || v.startsWith('#') || v.startsWith('data:')) continue;
      const abs = resolveUrl(v, base);
      if (abs) el.attribs[attr] = abs;
    }
  }
}
