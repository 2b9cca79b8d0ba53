// Reading a listing page with CSS selectors: `sel@attr` field specs relative to each item, URLs made
// absolute against the page (its <base href> first), lazy-loaded images resolved to the real file.
import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { FeedloomError } from '../../errors.js';
import type { PageSelectors } from '../../types.js';
import { largestCandidate, parseSrcset } from '../../util/srcset.js';
import { collapseWhitespace } from '../../util/text.js';
import { resolveUrl } from '../../util/url.js';
import { readPrintedDate } from './date-format.js';
import { ownPrintedDate, ownText } from './own-text-date.js';
import { paginationNext } from './pagination.js';

/** The fields a `select` reads per item, and how each is read when no `@attr` is given. */
export const FIELD_ROLES = {
  title: 'text',
  link: 'url',
  date: 'date',
  summary: 'text',
  image: 'image',
  author: 'text',
} as const;
export type Field = keyof typeof FIELD_ROLES;
type Role = (typeof FIELD_ROLES)[Field];

/** What one item's selectors read: trimmed text, URLs absolute. */
export type PageEntry = { -readonly [F in Field]?: string };

/** Attributes lazy-loading scripts keep the real image in, most specific first. */
export const LAZY_IMAGE_ATTRS = [
  'data-src',
  'data-lazy-src',
  'data-original',
  'data-lazy',
  'data-url',
  'data-full-src',
] as const;
/** A `src` that only holds the place of the real image until a script swaps it in. */
const PLACEHOLDER_SRC =
  /^data:|(?:^|\/)(?:blank|spacer|placeholder|pixel|transparent|loading|lazy|empty|grey|gray|1x1)(?:[-_.][\w-]*)?\.(?:gif|png|svg|webp)(?:$|[?#])/i;

export interface Spec {
  readonly selector: string;
  readonly attr?: string;
}

/**
 * Splits `h2 a@href` into selector and attribute. Only a trailing `@name` counts, so an `@` inside an
 * attribute selector (`a[href*="@"]`) stays part of the CSS.
 *
 * @example
 * parseSpec('time@datetime') // { selector: 'time', attr: 'datetime' }
 * parseSpec('@href')         // { selector: '', attr: 'href' } (the item element itself)
 */
export function parseSpec(spec: string): Spec {
  const m = /^([\s\S]*?)@([A-Za-z_:][\w:.-]*)\s*$/.exec(spec);
  if (!m) return { selector: spec.trim() };
  return { selector: (m[1] ?? '').trim(), attr: (m[2] ?? '').toLowerCase() };
}

/** The page's base for relative URLs: `<base href>` resolved against the page URL, else the page URL. */
export function pageBase($: CheerioAPI, pageUrl: string): string {
  return resolveUrl($('base[href]').first().attr('href'), pageUrl) ?? pageUrl;
}

/**
 * Reads every item of a page with `select`. Throws PARSE_PAGE naming the field whose selector is not
 * valid CSS. Items are returned even when a field is missing; the caller decides what is usable.
 *
 * @example
 * selectEntries($, { item: '.post', title: 'h2', link: 'h2 a@href', date: 'time@datetime' }, pageUrl);
 */
export function selectEntries($: CheerioAPI, select: PageSelectors, base: string): PageEntry[] {
  const items = query($.root(), select.item, 'item');
  const fields = (Object.keys(FIELD_ROLES) as Field[]).flatMap((f) => {
    const spec = select[f];
    if (!spec) return [];
    const parsed = parseSpec(spec);
    // Run once on the whole page: a bad selector fails with its name, and the matches are looked up
    // per item instead of compiling the selector again for each (a long listing has hundreds).
    const relative = /^\s*[>+~]|:scope/.test(parsed.selector);
    const matches =
      parsed.selector && !relative
        ? new Set<AnyNode>(query($.root(), parsed.selector, f).toArray())
        : undefined;
    return [{ field: f, spec: parsed, matches }];
  });
  // With a dateFormat the user's pattern is looked for in the whole text; without, a date printed
  // among other words is cut out of it.
  const dates: DateReading = { patterned: select.dateFormat !== undefined };
  return items.toArray().map((el) => {
    const entry: PageEntry = {};
    const item = $(el);
    const reading = { ...dates, item: el };
    for (const { field, spec, matches } of fields) {
      let value: string | undefined;
      if (!matches) value = readSpec($, item, spec, FIELD_ROLES[field], base, reading);
      else {
        const hit = firstMatch(el, matches);
        value = hit ? readTarget($, $(hit), spec, FIELD_ROLES[field], base, reading) : undefined;
      }
      if (value !== undefined) entry[field] = value;
    }
    return entry;
  });
}

/** The first descendant of `el` in document order that is in `matches` (what `.find(sel).first()` gives). */
function firstMatch(el: Element, matches: ReadonlySet<AnyNode>): Element | undefined {
  const stack: AnyNode[] = [...el.children].reverse();
  while (stack.length > 0) {
    const n = stack.pop() as AnyNode;
    if (n.type !== 'tag' && n.type !== 'script' && n.type !== 'style') continue;
    if (matches.has(n)) return n as Element;
    const kids = (n as Element).children;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i] as AnyNode);
  }
  return undefined;
}

/**
 * The URL of the next page: `spec` when given (`a.older@href`), else `<link rel="next">` or
 * `<a rel="next">`, else the next link of the page's pagination box (paginationNext). Absolute;
 * undefined when there is none.
 */
export function nextPageLink($: CheerioAPI, spec: string | undefined, base: string): string | undefined {
  const parsed = parseSpec(spec ?? 'link[rel~="next"][href], a[rel~="next"][href]@href');
  const el = query($.root(), parsed.selector, 'next').first();
  if (el.length === 0) return spec ? undefined : resolveUrl(paginationNext($), base);
  return readSpec($, el, { ...parsed, selector: '' }, 'url', base);
}

/** How a date is read from an element's text (see dateText). */
interface DateReading {
  /** The source has a dateFormat. */
  readonly patterned: boolean;
  /** The item element the date is read for. */
  readonly item?: Element;
}

/** Reads one field of one item; `role` decides what an element without `@attr` gives. */
export function readSpec(
  $: CheerioAPI,
  item: Cheerio<Element>,
  spec: Spec,
  role: Role,
  base: string,
  dates: DateReading = { patterned: false },
): string | undefined {
  return readTarget($, spec.selector ? item.find(spec.selector).first() : item, spec, role, base, dates);
}

/** Reads a field from the element its selector found. */
function readTarget(
  $: CheerioAPI,
  target: Cheerio<Element>,
  spec: Spec,
  role: Role,
  base: string,
  dates: DateReading = { patterned: false },
): string | undefined {
  if (!target.get(0)) return undefined;
  if (spec.attr) {
    if (role === 'image' && ['src', 'srcset', 'data-src', 'data-srcset'].includes(spec.attr)) {
      return bestImage($, target, base);
    }
    const raw = spec.attr === 'style' ? backgroundImage(target.attr('style')) : target.attr(spec.attr);
    const value = clean(raw);
    if (value === undefined) return undefined;
    return role === 'url' || role === 'image' ? resolveUrl(value, base) : value;
  }
  switch (role) {
    case 'url': {
      // The element's own link, a link inside it, or the link around it (a heading in a card).
      const href =
        target.attr('href') ??
        target.find('a[href]').first().attr('href') ??
        target.closest('a[href]').attr('href');
      return resolveUrl(clean(href) ?? urlLike(textOf(target)), base);
    }
    case 'image':
      return bestImage($, target, base) ?? resolveUrl(backgroundImage(target.attr('style')), base);
    case 'date':
      // A <time> (or a microformat) carries the machine-readable date beside the printed one.
      return (
        clean(target.attr('datetime')) ??
        clean(target.attr('content')) ??
        machineTitle(target.attr('title')) ??
        dateText(target, dates)
      );
    case 'text':
      return clean(textOf(target)) ?? clean(target.attr('title')) ?? clean(target.attr('alt'));
  }
}

/**
 * The text a date is read from. An element that holds the item's headline (the item itself, named
 * by `:scope`, or a wrapper around its heading) gives only the text directly inside it: its whole
 * text is the headline and more. Without a dateFormat, a date printed among other words
 * ("March 3, 2025 · 4 min read") is cut out of that text.
 */
function dateText(target: Cheerio<Element>, dates: DateReading): string | undefined {
  const el = target.get(0);
  if (!el) return undefined;
  const holdsHeadline = el === dates.item || target.find(HEADINGS).length > 0;
  if (!holdsHeadline) {
    const whole = clean(textOf(target));
    if (dates.patterned || (whole !== undefined && readPrintedDate(whole) !== undefined)) return whole;
    return ownPrintedDate(el) ?? whole;
  }
  return (dates.patterned ? undefined : ownPrintedDate(el)) ?? clean(ownText(el));
}

const HEADINGS = 'h1, h2, h3, h4, h5, h6';

/**
 * A `title` attribute that holds a machine-readable date, as ISO 8601: microformats' `<abbr
 * class="published" title="2026-03-03T10:00:00-08:00">10:00 AM</abbr>` (Blogger), Hugo themes'
 * `title="2026-03-03 00:00:00 +0000 UTC"` (Go's default format, made ISO here). Anything else, a
 * title of words ("Posted by Ann") among them, is not one: the printed text is read instead.
 */
function machineTitle(title: string | undefined): string | undefined {
  const t = clean(title);
  if (!t) return undefined;
  if (/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) return t;
  const go = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.\d+)? ([+-]\d{2})(\d{2})(?: [A-Z]{2,5})?$/.exec(t);
  return go ? `${go[1]}T${go[2]}${go[3]}:${go[4]}` : undefined;
}

/**
 * The real image of an element: a lazy-loading attribute, else `src` unless it is a placeholder,
 * else the widest candidate of `srcset`; for a non-image element, its first `<img>` or `<source>`.
 */
export function bestImage($: CheerioAPI, el: Cheerio<AnyNode>, base: string): string | undefined {
  const node = el.get(0) as Element | undefined;
  if (!node) return undefined;
  const tag = node.tagName?.toLowerCase();
  if (tag !== 'img' && tag !== 'source') {
    const inner = el.find('img, picture source').first();
    return inner.length ? bestImage($, inner, base) : undefined;
  }
  for (const attr of LAZY_IMAGE_ATTRS) {
    const v = clean(el.attr(attr));
    if (v && !v.startsWith('data:')) return resolveUrl(v, base);
  }
  const src = clean(el.attr('src'));
  if (src && !PLACEHOLDER_SRC.test(src)) return resolveUrl(src, base);
  const fromSet = widest(el.attr('data-srcset')) ?? widest(el.attr('srcset'));
  if (fromSet) return resolveUrl(fromSet, base);
  // <picture><source srcset><img src="placeholder"></picture>
  if (tag === 'img') {
    const source = widest(el.closest('picture').find('source[srcset]').first().attr('srcset'));
    if (source) return resolveUrl(source, base);
  }
  return undefined;
}

/** The candidate of a srcset with the largest width (`640w`) or density (`2x`) descriptor. */
export function widest(srcset: string | undefined): string | undefined {
  if (!srcset?.trim()) return undefined;
  return largestCandidate(parseSrcset(srcset).filter((c) => !PLACEHOLDER_SRC.test(c.url)));
}

function backgroundImage(style: string | undefined): string | undefined {
  const m = /background(?:-image)?\s*:[^;]*url\(\s*(['"]?)([^'")]+)\1\s*\)/i.exec(style ?? '');
  return m?.[2];
}

/** Runs a selector, turning a CSS syntax error into PARSE_PAGE that names the field. */
export function query(scope: Cheerio<AnyNode>, selector: string, field: string): Cheerio<Element> {
  try {
    return scope.find(selector) as Cheerio<Element>;
  } catch (e) {
    throw new FeedloomError(
      'PARSE_PAGE',
      `ingest: select.${field} ${JSON.stringify(selector)} is not a valid CSS selector: fix it in sources.json`,
      { cause: e },
    );
  }
}

/**
 * Classes that hide text from the eye and keep it for screen readers (WordPress, Bootstrap, Drupal,
 * Foundation, GOV.UK and the like). That text repeats the title ("Continue reading <span>Title</span>")
 * or labels an icon: it is never what a reader sees, so never a title or summary.
 */
export const SCREEN_READER_CLASSES: ReadonlySet<string> = new Set([
  'screen-reader-text',
  'screen-reader-only',
  'screenreader-only',
  'sr-only',
  'sr-text',
  'visually-hidden',
  'visuallyhidden',
  'a11y-hidden',
  'element-invisible',
  'assistive-text',
  'show-for-sr',
  'govuk-visually-hidden',
  'u-visually-hidden',
]);

/** True for an element styled for screen readers only (see SCREEN_READER_CLASSES). */
export function isScreenReaderOnly(el: AnyNode): boolean {
  if (el.type !== 'tag') return false;
  const classes = (el as Element).attribs['class'] ?? '';
  return classes.split(/\s+/).some((c) => SCREEN_READER_CLASSES.has(c.toLowerCase()));
}

/**
 * Text of an element with block boundaries kept as spaces ("<h2>A</h2><p>B</p>" is "A B", not "AB"),
 * without the screen-reader-only text inside it.
 */
export function textOf(el: Cheerio<AnyNode>): string {
  const parts: string[] = [];
  const walk = (nodes: readonly AnyNode[]): void => {
    for (const n of nodes) {
      if (n.type === 'text') parts.push((n as unknown as { data: string }).data);
      else if (n.type === 'tag') {
        const tag = (n as Element).tagName.toLowerCase();
        if (tag === 'script' || tag === 'style' || tag === 'template' || isScreenReaderOnly(n)) continue;
        if (tag === 'br') parts.push(' ');
        walk((n as Element).children);
        if (BLOCK_TAGS.has(tag)) parts.push(' ');
      }
    }
  };
  // The element itself is read even when hidden: a selector that names it asks for its text.
  const root = el.get(0);
  if (root?.type === 'tag') walk((root as Element).children);
  else if (root) walk([root]);
  return collapseWhitespace(parts.join(''));
}

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'td',
  'th',
  'tr',
  'dd',
  'dt',
  'section',
  'header',
  'footer',
  'article',
  'blockquote',
  'figcaption',
]);

function clean(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const t = collapseWhitespace(s);
  return t ? t : undefined;
}

function urlLike(s: string): string | undefined {
  return /^(?:https?:\/\/|\/)\S+$/.test(s) ? s : undefined;
}
