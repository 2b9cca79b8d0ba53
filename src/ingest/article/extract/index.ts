// Article extraction: one HTML page in, its story and metadata out. One cheerio parse per page:
// metadata is read first (JSON-LD and meta tags live in <head> and in scripts), then the page is
// cleaned of furniture in place, scored, and the winning blocks are tidied and serialized.
import type { CheerioAPI } from 'cheerio';
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import { isHttpUrl, resolveUrl } from '../../../util/url.js';
import { MAX_FURNITURE_LENGTH, TRAILING_BOILERPLATE } from '../text.js';
import { cleanPage, isElement } from './clean.js';
import { hintVerdict } from './hints.js';
import { type ArticleMetadata, readMetadata } from './metadata.js';
import { BLOCK_TAGS, collapsed, findArticle, TextStats } from './score.js';
import { blockText } from './text.js';

export { ARTICLE_LD_TYPES, type ArticleMetadata, META_KEYS } from './metadata.js';
export { blockText } from './text.js';

export interface ExtractedArticle extends ArticleMetadata {
  /** The story's HTML, unsanitized (normalize sanitizes), furniture removed. */
  readonly html: string;
  /** The story's plain text, a line per block. */
  readonly text: string;
}

/** Lazy-loading attributes that hold the real image while `src` holds a placeholder. */
export const LAZY_SRC: readonly string[] = ['data-src', 'data-lazy-src', 'data-original', 'data-url'];
export const LAZY_SRCSET: readonly string[] = ['data-srcset', 'data-lazy-srcset'];
/** URL attributes made absolute when the page has an http(s) address. */
export const URL_ATTRIBUTES: readonly (readonly [string, string])[] = [
  ['a', 'href'],
  ['img', 'src'],
  ['source', 'src'],
  ['video', 'src'],
  ['video', 'poster'],
  ['audio', 'src'],
];

/** A paragraph that is only a link to another story, after one of these lead-ins. */
export const LINK_LEAD_IN =
  /^(?:read more|read also|also read|see also|related|more|more on this|read next|recommended|watch|listen|lesen sie auch|mehr zum thema|weiterlesen|à lire aussi|lire aussi|voir aussi|あわせて読みたい|関連記事)\b\s*[:：»›>-]?/i;

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
  const meta = readMetadata($, pageUrl);
  const body = $('body').get(0) ?? $.root().children().get(0);
  if (!body) return { ...meta, html: '', text: '' };
  cleanPage($, body);
  const blocks = findArticle($, body)?.blocks ?? [body];
  tidy($, blocks, meta.title);
  dropTrailingFurniture($, blocks);
  if (isHttpUrl(pageUrl)) absolutize($, blocks, pageUrl);
  const first = blocks[0];
  const out =
    blocks.length === 1 && first ? ($(first).html() ?? '') : blocks.map((b) => $.html(b)).join('\n');
  return { ...meta, html: out, text: blockText(blocks) };
}

/** After the choice: drop the headline (shown as the title), link lists, empty boxes. */
function tidy($: CheerioAPI, blocks: readonly Element[], title: string | undefined): void {
  const tidyTags = new Set(TIDY_TAGS);
  for (const block of blocks) {
    dropLeadIn($, block, title);
    const stats = new TextStats(block);
    const drop = (el: Element): void => {
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
        else if (chars < 200 && stats.linkDensity(el) > 0.5 && LINK_LEAD_IN.test(collapsed($(el).text()))) {
          drop(el);
        }
      }
    }
  }
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

/** A line that only says when: "Wednesday, 14 January 2026", "March 2, 2026 at 10:12 am", "11.02.2026". */
export const DATE_LINE =
  /^(?:(?:updated|published|posted|last updated|aktualisiert|mis à jour|publié)(?: on| le| am)?:?\s*)?(?:\p{L}+,?\s+)?(?:\d{1,2}\.?\s*\p{L}+\.?\s+\d{4}|\p{L}+\.?\s+\d{1,2},?\s+\d{4}|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}年\d{1,2}月\d{1,2}日)(?:,?\s*(?:at|um|à)?\s*\d{1,2}[:.]\d{2}(?:\s*(?:am|pm|uhr|h))?(?:\s*[A-Z]{2,5})?)?(?:\s*\d{1,2}時\d{1,2}分)?$/iu;
/** A line that only says who: a byline or a posting note. */
export const BYLINE_LINE =
  /^(?:by|von|par|por|posted by|written by|interview by|text:|words:|photos?:|photographs?:)\s.{1,100}$/i;
/** Lead-in lines are short; the first longer block is the story's first paragraph. */
const LEAD_IN_MAX = 80;

/**
 * Before the first real paragraph: the headline (shown as the title), and dateline, byline and
 * posting-date lines that a page prints above its story.
 */
function dropLeadIn($: CheerioAPI, block: Element, title: string | undefined): void {
  const wanted = words(title ?? '');
  let headingSeen = false;
  for (const el of [block, ...$(block).find('*').get()]) {
    if (!BLOCK_TAGS.has(el.name) || $(el).find(BLOCK_SELECTOR).length > 0) continue;
    const text = collapsed($(el).text());
    if (text === '') continue;
    if (text.length >= LEAD_IN_MAX) return;
    const heading = /^h[1-6]$/.test(el.name);
    const own = words(text);
    if (
      (heading && !headingSeen && (el.name === 'h1' || overlap(own, wanted) >= 0.6)) ||
      // Not a heading, so only the title itself: a first sentence repeats most of its words.
      (own.size >= 3 &&
        overlap(own, wanted) * Math.min(own.size, wanted.size) >= 0.8 * Math.max(own.size, wanted.size)) ||
      DATE_LINE.test(text) ||
      BYLINE_LINE.test(text)
    ) {
      $(el).remove();
    }
    if (heading) headingSeen = true;
  }
}

const BLOCK_SELECTOR = [...BLOCK_TAGS].join(', ');

function words(s: string): Set<string> {
  return new Set(
    s
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
  );
}

function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n / Math.min(a.size, b.size);
}

/** Real image sources out of lazy-loading attributes, and every URL absolute. */
function absolutize($: CheerioAPI, blocks: readonly Element[], base: string): void {
  const all = (selector: string): Element[] =>
    blocks.flatMap((b) => [...($(b).is(selector) ? [b] : []), ...$(b).find(selector).get()]);
  for (const img of all('img, source')) {
    const lazy = LAZY_SRC.map((a) => img.attribs[a]).find((v) => v?.trim());
    const src = img.attribs['src'] ?? '';
    if (lazy && (src === '' || src.startsWith('data:') || /placeholder|blank|spacer|lazy/i.test(src))) {
      img.attribs['src'] = lazy;
    }
    const lazySet = LAZY_SRCSET.map((a) => img.attribs[a]).find((v) => v?.trim());
    if (lazySet && !img.attribs['srcset']) img.attribs['srcset'] = lazySet;
    const srcset = img.attribs['srcset'];
    if (srcset) img.attribs['srcset'] = absoluteSrcset(srcset, base);
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

function absoluteSrcset(srcset: string, base: string): string {
  return srcset
    .split(',')
    .map((candidate) => {
      const [url, ...descriptor] = candidate.trim().split(/\s+/);
      const abs = resolveUrl(url, base) ?? url ?? '';
      return [abs, ...descriptor].join(' ');
    })
    .filter((c) => c.trim() !== '')
    .join(', ');
}
