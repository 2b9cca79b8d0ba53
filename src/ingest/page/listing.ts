// Finding the items of a listing page without selectors, from what pages commonly carry, in order of
// trust: JSON-LD (the site says what its items are), h-entry microformats (each part named), <article>
// elements with a heading link, and repeated blocks of heading + link (+ time). The DOM methods end in
// selectors, and the items are read with those selectors: what `preview` suggests is what a run reads.
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { PageSelectors } from '../../types.js';
import { resolveUrl, withoutHash } from '../../util/url.js';
import { PRINTED_DATE_MAX_CHARS, readPrintedDate } from './date-format.js';
import { isFurniture } from './furniture.js';
import { ownPrintedDate } from './own-text-date.js';
import { isPageStory } from './page-story.js';
import {
  isScreenReaderOnly,
  type PageEntry,
  parseSpec,
  SCREEN_READER_CLASSES,
  selectEntries,
  textOf,
} from './selectors.js';

export type ListingMethod = 'json-ld' | 'h-entry' | 'article' | 'repeated-blocks';

/** One item found on a listing page; URLs absolute. */
export interface ListingItem extends PageEntry {
  readonly updated?: string;
}

export interface Listing {
  readonly method: ListingMethod;
  readonly items: readonly ListingItem[];
  /** Selectors that read these items (DOM methods only: JSON-LD has none to give). */
  readonly select?: PageSelectors;
}

/** Detection's policy, as data. */
export const LISTING_POLICY = {
  /** Fewer items than this is no listing (one JSON-LD article is the page itself). */
  minItems: 2,
  /** Repeated blocks need a few more: two similar blocks happen by chance. */
  minBlocks: 3,
  /** A later method wins over an earlier one only with more than this many times its items. */
  overrideFactor: 2,
  /** Share of blocks that must carry a title link for a group to count. */
  minLinkShare: 0.6,
  /** Share of blocks a derived field selector must read right to be kept. */
  fieldHitShare: 0.7,
  /** A title shorter than this (characters) is a menu label, not a headline. */
  minTitleChars: 8,
  /** A block with more headline links than this is a container of items, not one item. */
  maxTitlesPerBlock: 2,
  /** A group of blocks outside the page's <main> scores this share of what it would inside. */
  outsideMainFactor: 0.5,
  /** Blocks of a group looked at to score it and derive its selectors; the selectors then read all. */
  sampleBlocks: 40,
} as const;

/** JSON-LD types that are one story of a listing. */
export const ARTICLE_TYPES: ReadonlySet<string> = new Set([
  'Article',
  'NewsArticle',
  'BlogPosting',
  'Report',
  'ScholarlyArticle',
  'TechArticle',
  'AnalysisNewsArticle',
  'OpinionNewsArticle',
  'ReportageNewsArticle',
  'ReviewNewsArticle',
  'BackgroundNewsArticle',
  'LiveBlogPosting',
  'SocialMediaPosting',
  'DiscussionForumPosting',
  'Recipe',
  'Event',
  'VideoObject',
  'PodcastEpisode',
  'CreativeWork',
]);

const DATE_WORDS =
  /(?:^|[\s_-])(?:date|time|published|posted|pubdate|timestamp|meta-date|dt-published)(?:$|[\s_-])/i;
/**
 * Class words of a summary, matched against the parts of each class token (`card__teaser` is `card`
 * and `teaser`). The plain words say "summary" wherever they stand (`excerpt-wrap`); the vague ones
 * only as the last part, what the element is (`item-text`, `entry-intro`), not as a utility prefix
 * (`text-muted`, `lead-image`).
 */
export const SUMMARY_CLASS_WORDS = {
  anywhere: new Set(['summary', 'excerpt', 'teaser', 'description', 'lede', 'abstract', 'standfirst']),
  // `body`: Drupal's views-field-body, field--name-body
  last: new Set(['desc', 'lead', 'intro', 'text', 'copy', 'body']),
} as const;
/** Class words of a headline link (`post-preview-title`, `card__headline`). */
const TITLE_WORDS = /(?:^|[\s_-])(?:title|headline|heading)(?:$|[\s_-])/i;
const AUTHOR_WORDS = /(?:^|[\s_-])(?:author|byline|by|writer|p-author)(?:$|[\s_-])/i;
const HEADINGS = 'h1, h2, h3, h4, h5, h6';

/**
 * Every listing the page shows, best first (see LISTING_POLICY for the rules). Empty when none.
 *
 * @example
 * const [best] = detectListings(cheerio.load(html), pageUrl);
 * if (best) console.log(best.method, best.items.length, best.select);
 */
export function detectListings($: CheerioAPI, base: string): Listing[] {
  const found = [fromJsonLd($, base), fromHEntry($, base), fromArticles($, base), fromRepeatedBlocks($, base)]
    .filter((l): l is Listing => l !== undefined)
    .filter((l) => usableCount(l.items, base) >= LISTING_POLICY.minItems);
  // Preference order, unless a later method finds many more items (JSON-LD naming three featured
  // stories on a page of thirty).
  const best = found.reduce<Listing | undefined>((acc, l) => {
    if (!acc) return l;
    return usableCount(l.items, base) > LISTING_POLICY.overrideFactor * usableCount(acc.items, base)
      ? l
      : acc;
  }, undefined);
  return best ? [best, ...found.filter((l) => l !== best)] : [];
}

/** Items with a title and a link other than the page itself, each link once. */
export function usableItems(items: readonly ListingItem[], pageUrl: string): ListingItem[] {
  const seen = new Set<string>([withoutHash(pageUrl)]);
  return items.filter((i) => {
    if (!i.title || !i.link) return false;
    const key = withoutHash(i.link);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function usableCount(items: readonly ListingItem[], base: string): number {
  return usableItems(items, base).length;
}

// ---------------------------------------------------------------------------------------------- JSON-LD

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

function fromJsonLd($: CheerioAPI, base: string): Listing | undefined {
  const roots: Json[] = [];
  for (const el of $('script[type="application/ld+json" i]').toArray()) {
    const parsed = parseJsonLd($(el).text());
    if (parsed !== undefined) roots.push(parsed);
  }
  const lists: ListingItem[][] = [];
  const articles: ListingItem[] = [];
  const visit = (node: Json, depth: number, inList: boolean): void => {
    if (depth > 8 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) visit(n, depth + 1, inList);
      return;
    }
    if (hasType(node, 'ItemList')) {
      const elements = asArray(node['itemListElement']);
      const items = elements
        .map((e, i) => ({ e, pos: listPosition(e, i) }))
        .sort((a, b) => a.pos - b.pos)
        .map(({ e }) => jsonLdItem(e, base))
        .filter((i): i is ListingItem => i !== undefined);
      lists.push(items);
      return;
    }
    // A story inside @graph, a top-level array, Blog.blogPost or a page's hasPart is a listing member;
    // the page's own Article (its mainEntity) is not.
    if (isArticle(node) && inList) {
      const item = jsonLdItem(node, base);
      if (item) articles.push(item);
    }
    for (const [k, v] of Object.entries(node)) {
      if (k === '@context') continue;
      const listy =
        k === '@graph' || k === 'blogPost' || k === 'blogPosts' || k === 'hasPart' || k === 'itemListElement';
      visit(v, depth + 1, listy || (Array.isArray(v) && k !== 'author'));
    }
  };
  for (const root of roots) visit(root, 0, Array.isArray(root));
  const best = [...lists, articles].sort((a, b) => b.length - a.length)[0] ?? [];
  if (best.length === 0) return undefined;
  return { method: 'json-ld', items: withDomTitles($, best, base) };
}

/** JSON-LD as sites write it: sometimes wrapped in an HTML comment or CDATA, sometimes with raw newlines. */
function parseJsonLd(text: string): Json | undefined {
  const body = text
    .trim()
    .replace(/^<!--|-->$/g, '')
    .replace(/^\s*\/\/\s*<!\[CDATA\[|\/\/\s*\]\]>\s*$/g, '')
    .trim();
  // Raw newlines and tabs inside strings are invalid JSON but common in hand-templated JSON-LD.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  for (const attempt of [body, body.replace(/[\u0000-\u001F]+/g, ' ')]) {
    try {
      return JSON.parse(attempt) as Json;
    } catch {
      // next attempt
    }
  }
  return undefined;
}

function hasType(o: JsonObject, type: string): boolean {
  return asArray(o['@type']).some((t) => typeof t === 'string' && t.replace(/^.*[/#:]/, '') === type);
}

function isArticle(o: JsonObject): boolean {
  return asArray(o['@type']).some(
    (t) => typeof t === 'string' && ARTICLE_TYPES.has(t.replace(/^.*[/#:]/, '')),
  );
}

function listPosition(e: Json, i: number): number {
  const p = e && typeof e === 'object' && !Array.isArray(e) ? Number(e['position']) : Number.NaN;
  return Number.isFinite(p) ? p : 1e6 + i;
}

/** A ListItem (url, name, item: string or object) or a story object, as a ListingItem. */
function jsonLdItem(node: Json, base: string): ListingItem | undefined {
  if (typeof node === 'string') {
    const link = resolveUrl(node, base);
    return link ? { link } : undefined;
  }
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const inner = node['item'];
  const story: JsonObject =
    inner && typeof inner === 'object' && !Array.isArray(inner) ? { ...node, ...inner } : node;
  const innerUrl = typeof inner === 'string' ? inner : undefined;
  const link = resolveUrl(
    str(story['url']) ?? innerUrl ?? idOf(story['mainEntityOfPage']) ?? urlId(str(story['@id'])),
    base,
  );
  if (!link) return undefined;
  const item: Record<string, string | undefined> = {
    link,
    title: str(story['headline']) ?? str(story['name']),
    date:
      str(story['datePublished']) ??
      str(story['dateCreated']) ??
      str(story['uploadDate']) ??
      str(story['startDate']),
    updated: str(story['dateModified']),
    summary: str(story['description']) ?? str(story['abstract']),
    image: resolveUrl(imageOf(story['image']) ?? imageOf(story['thumbnailUrl']), base),
    author: authorOf(story['author']) ?? authorOf(story['creator']),
  };
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v)) as ListingItem;
}

/**
 * ItemLists of bare URLs are common (Google's carousel markup): the page's own link text names them.
 * Matched by URL, else by path: JSON-LD often names the canonical host while the page links its own.
 */
function withDomTitles($: CheerioAPI, items: ListingItem[], base: string): ListingItem[] {
  if (items.every((i) => i.title)) return items;
  const byUrl = new Map<string, string>();
  const keep = (key: string, text: string): void => {
    if (text.length > (byUrl.get(key)?.length ?? 0)) byUrl.set(key, text);
  };
  for (const el of $('a[href]').toArray()) {
    const a = $(el);
    const url = resolveUrl(a.attr('href'), base);
    if (!url || isFurniture($, el)) continue;
    const heading = a.closest(HEADINGS);
    const inner = a.find(HEADINGS);
    const text = textOf(heading.length ? heading : inner.length ? inner : a);
    keep(withoutHash(url), text);
    keep(pathKey(url), text);
  }
  return items.map((i) => {
    if (i.title || !i.link) return i;
    const title = byUrl.get(withoutHash(i.link)) ?? byUrl.get(pathKey(i.link));
    return title ? { ...i, title } : i;
  });
}

function pathKey(url: string): string {
  try {
    const u = new URL(url);
    return `path:${u.pathname.replace(/\/+$/, '')}${u.search}`;
  } catch {
    return url;
  }
}

function str(v: Json | undefined): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return str(v[0]);
  return undefined;
}

function idOf(v: Json | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && !Array.isArray(v)) return str(v['@id']) ?? str(v['url']);
  return undefined;
}

/** An `@id` is a URL only sometimes ("#article" fragments name nodes, not pages). */
function urlId(id: string | undefined): string | undefined {
  return id && /^(?:https?:)?\/\//.test(id) && !id.includes('#') ? id : undefined;
}

function imageOf(v: Json | undefined): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return imageOf(v[0]);
  if (v && typeof v === 'object') return str(v['url']) ?? str(v['contentUrl']);
  return undefined;
}

function authorOf(v: Json | undefined): string | undefined {
  const names = asArray(v ?? null)
    .map((a) =>
      typeof a === 'string'
        ? a
        : a && typeof a === 'object' && !Array.isArray(a)
          ? str(a['name'])
          : undefined,
    )
    .filter((n): n is string => Boolean(n));
  return names.length ? names.join(', ') : undefined;
}

function asArray(v: Json | undefined): Json[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

// -------------------------------------------------------------------------------------------- h-entry

/** microformats2 root classes an entry may hold: their properties are not the entry's. */
const NESTED_MF_ROOTS = [
  'h-card',
  'h-cite',
  'h-entry',
  'h-event',
  'h-adr',
  'h-geo',
  'h-review',
  'h-product',
  'h-recipe',
] as const;

/** The microformat roots between `el` and `block` (neither counted). */
function nestedRoots(el: Element, block: Element): string[] {
  const out: string[] = [];
  for (let p = el.parent; p && p !== block && p.type === 'tag'; p = p.parent) {
    const classes = ((p as Element).attribs['class'] ?? '').split(/\s+/);
    out.push(...NESTED_MF_ROOTS.filter((r) => classes.includes(r)));
  }
  return out;
}

function fromHEntry($: CheerioAPI, base: string): Listing | undefined {
  // A comment is an h-entry inside the post's h-entry: only the outermost ones are items.
  const item = '.h-entry:not(.h-entry .h-entry)';
  const blocks = $(item).toArray();
  if (blocks.length < LISTING_POLICY.minItems) return undefined;
  const has = (sel: string) => blocks.some((b) => $(b).find(sel).length > 0);
  // A property inside a nested microformat (the author's h-card, a quoted h-cite) is that object's:
  // the h-card's u-photo is an avatar, not the entry's picture. Roots are named only where the plain
  // selector would read into them, so a page whose entries come first keeps plain selectors.
  const own = (...props: string[]): string =>
    props
      .map((p) => {
        const inside = new Set<string>();
        for (const b of blocks) {
          const first = $(b).find(p).get(0);
          if (first) for (const r of nestedRoots(first, b)) inside.add(r);
        }
        return inside.size ? `${p}:not(${[...inside].map((r) => `.h-entry .${r} ${p}`).join(', ')})` : p;
      })
      .join(', ');
  const datetime = blocks.some((b) =>
    $(b)
      .find(`${own('.dt-published')}`)
      .is('[datetime]'),
  );
  const select: PageSelectors = {
    item,
    title: has(own('.p-name')) ? own('.p-name') : HEADINGS,
    link: has(own('.u-url')) ? `${own('.u-url')}@href` : 'a@href',
    ...(has(own('.dt-published'))
      ? { date: datetime ? `${own('.dt-published')}@datetime` : own('.dt-published') }
      : {}),
    ...(has(own('.p-summary')) ? { summary: own('.p-summary') } : {}),
    ...(has(own('.p-author')) ? { author: own('.p-author') } : {}),
    ...(has(own('.u-photo', '.u-featured')) ? { image: own('.u-photo', '.u-featured') } : {}),
  };
  return { method: 'h-entry', items: selectEntries($, select, base), select };
}

// ------------------------------------------------------------------------------------ <article> blocks

/**
 * The usual shapes of an article card, tried in order: a link inside the heading, then a link around
 * it. Both name the link by the heading: a card's first link is often its category, tag or author.
 */
export const ARTICLE_SHAPES: readonly Pick<PageSelectors, 'title' | 'link'>[] = [
  { title: 'h1, h2, h3, h4', link: 'h1 a, h2 a, h3 a, h4 a@href' },
  { title: 'h1, h2, h3, h4', link: 'a:has(h1, h2, h3, h4)@href' },
];

function fromArticles($: CheerioAPI, base: string): Listing | undefined {
  const blocks = inMainContent(
    $('article')
      .toArray()
      .filter((el) => !isFurniture($, el) && $(el).find('article').length === 0),
    mainContent($),
    LISTING_POLICY.minItems,
  );
  if (blocks.length < LISTING_POLICY.minItems) return undefined;
  // An article page: its story is one <article>, and the others are teasers of more stories.
  if (blocks.some((el) => isPageStory($, el))) return undefined;
  const item = scopedSelector($, blocks, 'article');
  for (const shape of ARTICLE_SHAPES) {
    const probe = selectEntries($, { item, ...shape }, base);
    const good = probe.filter(
      (e) => e.title && e.link && (e.title.length >= LISTING_POLICY.minTitleChars || /\s/.test(e.title)),
    );
    if (good.length < Math.max(LISTING_POLICY.minItems, probe.length * LISTING_POLICY.minLinkShare)) continue;
    const select: PageSelectors = {
      item,
      ...shape,
      ...optionalFields(
        $,
        blocks.slice(0, LISTING_POLICY.sampleBlocks),
        probe.map((e) => e.title ?? ''),
      ),
    };
    return { method: 'article', items: selectEntries($, select, base), select };
  }
  // Articles of another shape (a link without a heading): the block analysis finds their parts.
  return derive($, blocks, item, base, 'article');
}

// ----------------------------------------------------------------------------------- repeated blocks

interface BlockInfo {
  readonly title?: Element;
  readonly link?: Element;
  readonly score: number;
}

function fromRepeatedBlocks($: CheerioAPI, base: string): Listing | undefined {
  const groups = new Map<string, Element[]>();
  for (const parent of $('body *').toArray() as Element[]) {
    const kids = parent.children.filter((c): c is Element => c.type === 'tag');
    if (kids.length < LISTING_POLICY.minBlocks) continue;
    const bySig = new Map<string, Element[]>();
    for (const k of kids) {
      const sig = signature(k);
      const list = bySig.get(sig);
      if (list) list.push(k);
      else bySig.set(sig, [k]);
    }
    for (const [sig, els] of bySig) {
      if (els.length < LISTING_POLICY.minBlocks || !isBlockKind($, els)) continue;
      // Siblings and cousins under parents of the same kind are one listing (a grid of rows of cards).
      const key = `${signature(parent)} > ${sig}`;
      const group = groups.get(key);
      if (group) group.push(...els);
      else groups.set(key, [...els]);
    }
  }
  let best: { key: string; blocks: Element[]; score: number } | undefined;
  const main = mainContent($);
  for (const [key, all] of groups) {
    const blocks = inMainContent(
      all.filter((b) => !isFurniture($, b)),
      main,
      LISTING_POLICY.minBlocks,
    );
    if (blocks.length === 0) continue;
    // A sample judges a long group as well as all of it would, at a fraction of the work.
    const sample = blocks.slice(0, LISTING_POLICY.sampleBlocks);
    const infos = sample.map((b) => analyze($, b, base));
    const linked = infos.filter((i) => i.link);
    const links = new Set(linked.map((i) => resolveUrl($(i.link as Element).attr('href'), base)));
    if (links.size < LISTING_POLICY.minBlocks || linked.length < sample.length * LISTING_POLICY.minLinkShare)
      continue;
    const share = linked.length / sample.length;
    // Class-less signatures (div > div) match page scaffolding as readily as items: trust them less.
    const classless = !key.includes('.') ? 0.6 : 1;
    // Cards outside the page's <main> are a promotion or a footer more often than its listing.
    const placed = main && !isInside(blocks[0] as Element, main) ? LISTING_POLICY.outsideMainFactor : 1;
    const perBlock = infos.reduce((n, i) => n + i.score, 0) / sample.length;
    const score =
      perBlock * blocks.length * share * share * (links.size / linked.length) * classless * placed;
    if (!best || score > best.score) best = { key, blocks, score };
  }
  if (!best) return undefined;
  const { blocks } = best;
  const listing = derive($, blocks, scopedSelector($, blocks, best.key), base, 'repeated-blocks');
  return listing && withLeadCard($, listing, blocks, main, base);
}

/** The page's main content (`<main>`, `role="main"`) when it marks exactly one. */
function mainContent($: CheerioAPI): Element | undefined {
  const found = $('main, [role="main"]').toArray() as Element[];
  // A <main role="main"> is one; nested ones are the outer.
  const outer = found.filter((m) => !found.some((o) => o !== m && isInside(m, o)));
  return outer.length === 1 ? outer[0] : undefined;
}

/**
 * The blocks inside the page's main content when at least `min` are: a listing split between
 * <main> and a box outside it (the same cards promoted in a footer) is the part inside.
 */
function inMainContent(blocks: Element[], main: Element | undefined, min: number): Element[] {
  if (!main) return blocks;
  const inside = blocks.filter((b) => isInside(b, main));
  return inside.length >= min ? inside : blocks;
}

// --------------------------------------------------------------------------------------- lead card

/** Containers climbed from a grid, and siblings looked at on each level, to find its lead story. */
const LEAD_SEARCH = { levels: 3, siblings: 3 } as const;

/**
 * A section front shows its top story as one big card of its own kind before the grid of the rest
 * (`<div class="lead-story">` then `<div class="grid">`). Repeated blocks find only the grid; the
 * lead is added to the listing, read by its own selectors joined to the grid's, when one is there.
 */
function withLeadCard(
  $: CheerioAPI,
  listing: Listing,
  blocks: readonly Element[],
  main: Element | undefined,
  base: string,
): Listing {
  const select = listing.select;
  const lead = select && findLeadCard($, listing, blocks, main, base);
  if (!select || !lead) return listing;
  const info = analyze($, lead, base);
  const own = (targets: Element | undefined, attr?: string) => fieldSelector($, [lead], [targets], attr);
  const title = join(select.title, own(info.title));
  const link = join(select.link, own(info.link, 'href'));
  const item = join(select.item, scopedSelector($, [lead], signature(lead)));
  if (!title || !link || !item) return listing;
  const merged: { -readonly [K in keyof PageSelectors]?: string } = { ...select, item, title, link };
  const extra = optionalFields($, [lead], [textOf($(info.title as Element))]);
  for (const field of ['date', 'summary', 'image', 'author'] as const) {
    const mine = select[field];
    const theirs = extra[field];
    if (mine && theirs) merged[field] = join(mine, theirs) ?? mine;
  }
  const joined = merged as PageSelectors;
  return { ...listing, items: selectEntries($, joined, base), select: joined };
}

/**
 * The card before the grid that reads as its top story: one headline link in a heading no smaller
 * than the grid's, a picture or a summary beside it (a section's heading link has neither), a link
 * of its own that is no section above the grid's stories, and no furniture.
 */
function findLeadCard(
  $: CheerioAPI,
  listing: Listing,
  blocks: readonly Element[],
  main: Element | undefined,
  base: string,
): Element | undefined {
  const first = blocks[0];
  if (!first) return undefined;
  const links = listing.items.map((i) => i.link).filter((l): l is string => l !== undefined);
  const gridLevel = headingLevel(analyze($, first, base).title);
  let from: Element | null = commonAncestor(blocks);
  for (let level = 0; from && from.type === 'tag' && level < LEAD_SEARCH.levels; level++) {
    let s = from.prev;
    for (let n = 0; s && n < LEAD_SEARCH.siblings; s = s.prev) {
      if (s.type !== 'tag') continue;
      n++;
      const el = s as Element;
      if (isLeadCard($, el, links, gridLevel, main, base)) return el;
    }
    from = from.parent as Element | null;
    if (from && (from.tagName === 'body' || from === main)) break;
  }
  return undefined;
}

function isLeadCard(
  $: CheerioAPI,
  el: Element,
  gridLinks: readonly string[],
  gridLevel: number,
  main: Element | undefined,
  base: string,
): boolean {
  if (isFurniture($, el) || (main && !isInside(el, main))) return false;
  const info = analyze($, el, base);
  const level = headingLevel(info.title);
  if (info.score === 0 || !info.link || level > gridLevel) return false;
  const titled = $(el)
    .find(HEADINGS)
    .toArray()
    .filter((h) => $(h).find('a[href]').length > 0 || $(h).closest('a[href]').length > 0);
  if (titled.length !== 1) return false;
  const link = resolveUrl($(info.link).attr('href'), base);
  if (!link || gridLinks.includes(link) || gridLinks.some((g) => g.startsWith(link))) return false;
  const title = textOf($(info.title as Element));
  return $(el).find('img, picture').length > 0 || findSummary($, el, title) !== undefined;
}

/** 1-6 for a heading, 7 for anything else (a title that is a link). */
function headingLevel(el: Element | undefined): number {
  const m = el ? /^h([1-6])$/i.exec(el.tagName) : null;
  return m ? Number(m[1]) : 7;
}

/**
 * Two selector specs as one that reads either (`h3.card__title, h2.lead__title`), when both read the
 * same attribute; undefined when they cannot be joined (different attributes, the item itself).
 */
function join(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || !b) return undefined;
  const x = parseSpec(a);
  const y = parseSpec(b);
  if (x.attr !== y.attr || !x.selector || !y.selector || /:scope/.test(`${x.selector}${y.selector}`))
    return undefined;
  const selector = x.selector === y.selector ? x.selector : `${x.selector}, ${y.selector}`;
  return y.attr ? `${selector}@${y.attr}` : selector;
}

/** Tags whose repetition is layout or text, never a list of stories. */
const SKIP_BLOCK_TAGS = new Set([
  'br',
  'hr',
  'p',
  'span',
  'a',
  'img',
  'option',
  'script',
  'style',
  'link',
  'meta',
  'source',
  'td',
  'th',
  'dd',
  'dt',
]);

/**
 * Whether siblings of this kind can be items. Links repeat as menus and tag clouds, but a link that
 * holds a heading is a card (`<a class="card"><img><h3>…</h3><p>…</p></a>`).
 */
function isBlockKind($: CheerioAPI, els: readonly Element[]): boolean {
  const tag = els[0]?.tagName.toLowerCase() ?? '';
  if (tag === 'a') {
    const cards = els.filter((el) => $(el).find(HEADINGS).length > 0).length;
    return cards >= els.length * LISTING_POLICY.minLinkShare;
  }
  return !SKIP_BLOCK_TAGS.has(tag);
}

/** One block: its title link and how much it looks like a story (heading, date, summary). */
function analyze($: CheerioAPI, block: Element, base: string): BlockInfo {
  const $b = $(block);
  const headings = $b
    .find(HEADINGS)
    .toArray()
    .filter((h) => textOf($(h)).length >= 3);
  const titled = headings.filter(
    (h) => $(h).find('a[href]').length > 0 || $(h).closest('a[href]').length > 0,
  );
  if (titled.length > LISTING_POLICY.maxTitlesPerBlock) return { score: 0 };
  let title: Element | undefined = titled[0];
  let link: Element | undefined = title
    ? (($(title).find('a[href]').get(0) ?? $(title).closest('a[href]').get(0)) as Element | undefined)
    : undefined;
  if (!link) {
    const anchors = (($b.is('a[href]') ? [block] : $b.find('a[href]').toArray()) as Element[]).filter((a) =>
      isFollowable($(a).attr('href'), base),
    );
    const targets = new Set(anchors.map((a) => resolveUrl($(a).attr('href'), base)));
    if (headings[0] && targets.size === 1) {
      // A heading without a link and every link of the card to one place: a card laid under one
      // empty link (Hugo PaperMod, Bootstrap's stretched-link), or linked by its picture and "Read more".
      title = headings[0];
      link = anchors[0];
    } else {
      // No heading link: the anchor that reads most like a headline. One named a title wins; one
      // named a summary (a linked description, as Substack's) never does; else the longest.
      const best = anchors
        .filter((a) => !hasClassWord(a, SUMMARY_CLASS_WORDS))
        .map((a) => ({ a, text: textOf($(a)), named: TITLE_WORDS.test(a.attribs['class'] ?? '') }))
        .sort((x, y) => Number(y.named) - Number(x.named) || y.text.length - x.text.length)[0];
      if (best && best.text.length >= LISTING_POLICY.minTitleChars && /\p{L}/u.test(best.text)) {
        link = best.a;
        title = headings[0] ?? best.a;
      }
    }
  }
  if (!link || !isFollowable($(link).attr('href'), base)) return { score: 0 };
  const titleText = textOf($(title ?? link));
  if (titleText.length < LISTING_POLICY.minTitleChars && !/\s/.test(titleText)) return { score: 0 };
  const dated = findDate($, block) !== undefined;
  const summarized = findSummary($, block, titleText) !== undefined;
  const score =
    1 +
    (headings.length > 0 ? 1 : 0) +
    (dated ? 0.75 : 0) +
    (summarized ? 0.5 : 0) +
    Math.min(titleText.length, 60) / 60;
  return { ...(title ? { title } : {}), link, score };
}

/** Selectors for a set of item blocks, derived from where their parts are; then the items they read. */
function derive(
  $: CheerioAPI,
  blocks: readonly Element[],
  item: string,
  base: string,
  method: ListingMethod,
): Listing | undefined {
  const sample = blocks.slice(0, LISTING_POLICY.sampleBlocks);
  const infos = sample.map((b) => analyze($, b, base));
  const link = fieldSelector(
    $,
    sample,
    infos.map((i) => i.link),
    'href',
  );
  const title = fieldSelector(
    $,
    sample,
    infos.map((i) => i.title ?? i.link),
  );
  if (!link || !title) return undefined;
  const titles = infos.map((i) => {
    const el = i.title ?? i.link;
    return el ? textOf($(el)) : '';
  });
  const select: PageSelectors = { item, title, link, ...optionalFields($, sample, titles) };
  return { method, items: selectEntries($, select, base), select };
}

/**
 * date, summary, image and author selectors, each kept only when it reads most blocks right.
 * `titles` are the blocks' headlines, which a summary never holds.
 */
function optionalFields(
  $: CheerioAPI,
  blocks: readonly Element[],
  titles: readonly string[],
): Partial<PageSelectors> {
  const out: { -readonly [K in keyof PageSelectors]?: string } = {};
  const dates = blocks.map((b) => findDate($, b));
  const date = fieldSelector($, blocks, dates);
  if (date) {
    const withAttr = dates.filter((d) => d && $(d).attr('datetime')).length;
    out.date = withAttr * 2 >= dates.filter(Boolean).length ? `${date}@datetime` : date;
  }
  const summary = fieldSelector(
    $,
    blocks,
    blocks.map((b, i) => findSummary($, b, titles[i] ?? '')),
  );
  if (summary) out.summary = summary;
  const images = blocks.map((b) => $(b).find('img').get(0) as Element | undefined);
  const image = fieldSelector($, blocks, images);
  // A picture given as a CSS background (lazy-loading themes, card grids) is read from its style.
  const backgrounds = blocks.map(
    (b) =>
      $(b)
        .find('[style*="background"]')
        .toArray()
        .find((el) => /url\(/i.test($(el).attr('style') ?? '')) as Element | undefined,
  );
  const background = image ? undefined : fieldSelector($, blocks, backgrounds, 'style');
  if (image ?? background) out.image = image ?? background;
  const author = fieldSelector(
    $,
    blocks,
    blocks.map((b) => findAuthor($, b)),
  );
  if (author) out.author = author;
  return out;
}

/** A <time>, else an element named for a date, else a short element whose text is a printed date. */
function findDate($: CheerioAPI, block: Element): Element | undefined {
  const $b = $(block);
  const time = $b.find('time').get(0);
  if (time) return time as Element;
  const hinted = $b
    .find('[class], [itemprop]')
    .toArray()
    .find((el) => {
      const $el = $(el);
      const hint = `${$el.attr('class') ?? ''} ${$el.attr('itemprop') ?? ''}`;
      return DATE_WORDS.test(hint) && /\d/.test(textOf($el)) && textOf($el).length <= 60;
    });
  if (hinted) return hinted as Element;
  // Themes that print the date bare (Jekyll's `post-meta`, Drupal's `views-field-created`, a Hugo
  // list's `<span>03.12.2026</span>`). The outermost such element, since it carries the telling
  // class; a small subtree only, so a headline that mentions a year is never read as one.
  const printed = $b
    .find('*')
    .toArray()
    .find((el) => {
      if ((el as Element).children.length > 3 || isScreenReaderOnly(el)) return false;
      const t = textOf($(el));
      return t.length <= PRINTED_DATE_MAX_CHARS && readPrintedDate(t) !== undefined;
    }) as Element | undefined;
  if (printed) return printed;
  // A date printed as a bare text node beside the other parts (`<li><a>…</a> — 3 March 2025</li>`,
  // `…</h2>March 3, 2025 · 4 min read<p>`): the card itself or a meta line. Text inside a heading
  // or a link is the headline, never read for a date.
  return [block, ...($b.find('*').toArray() as Element[])].find(
    (el) => !isScreenReaderOnly(el) && !inHeadline(el, block) && ownPrintedDate(el) !== undefined,
  );
}

/** True when `el` is or sits in a heading or a link below `block` (the card itself may be a link). */
function inHeadline(el: Element, block: Element): boolean {
  for (let n: Element | null = el; n && n !== block; n = n.parent as Element | null) {
    if (n.type === 'tag' && /^(?:h[1-6]|a)$/i.test(n.tagName)) return true;
  }
  return false;
}

function findSummary($: CheerioAPI, block: Element, title: string): Element | undefined {
  const $b = $(block);
  const visible = (el: Element): boolean => !isScreenReaderOnly(el) && !hiddenWithin(el, block);
  // A summary is beside the headline, never around it (a `card__body` wrapping the heading).
  const besideTitle = (el: Element): boolean =>
    $(el).find(HEADINGS).length === 0 && (title === '' || !textOf($(el)).includes(title));
  const hinted = $b
    .find('[class]')
    .toArray()
    .find(
      (el) =>
        hasClassWord(el, SUMMARY_CLASS_WORDS) && visible(el) && besideTitle(el) && textOf($(el)).length >= 20,
    );
  if (hinted) return hinted as Element;
  return $b
    .find('p')
    .toArray()
    .find((p) => visible(p) && besideTitle(p) && textOf($(p)).length >= 30) as Element | undefined;
}

/** Whether a class token of `el` names one of `words` (see SUMMARY_CLASS_WORDS). */
function hasClassWord(
  el: Element,
  words: { readonly anywhere: ReadonlySet<string>; readonly last: ReadonlySet<string> },
): boolean {
  for (const token of (el.attribs['class'] ?? '').toLowerCase().split(/\s+/)) {
    if (SCREEN_READER_CLASSES.has(token)) continue;
    const parts = token.split(/[-_]+/).filter(Boolean);
    if (parts.some((p) => words.anywhere.has(p))) return true;
    const last = parts[parts.length - 1];
    if (last !== undefined && words.last.has(last)) return true;
  }
  return false;
}

/** True when `el` sits inside a screen-reader-only element below `block`. */
function hiddenWithin(el: Element, block: Element): boolean {
  for (let p = el.parent; p && p !== block; p = p.parent) if (isScreenReaderOnly(p)) return true;
  return false;
}

function findAuthor($: CheerioAPI, block: Element): Element | undefined {
  const $b = $(block);
  const rel = $b.find('[rel~="author"]').get(0);
  if (rel) return rel as Element;
  return $b
    .find('[class]')
    .toArray()
    .find((el) => AUTHOR_WORDS.test($(el).attr('class') ?? '') && textOf($(el)).length <= 80) as
    | Element
    | undefined;
}

/**
 * A selector relative to each block that finds its target there: tried from specific to general,
 * the first that reads at least LISTING_POLICY.fieldHitShare of the blocks right (and never another
 * element where the block has a target) wins. `attr` is appended as `@attr`.
 */
function fieldSelector(
  $: CheerioAPI,
  blocks: readonly Element[],
  targets: readonly (Element | undefined)[],
  attr?: string,
): string | undefined {
  const present = targets.filter(Boolean).length;
  if (present === 0 || present < blocks.length * LISTING_POLICY.fieldHitShare) return undefined;
  const candidates = new Set<string>();
  for (const [i, t] of targets.entries()) {
    const block = blocks[i];
    if (!t || !block) continue;
    if (t === block) candidates.add('');
    for (const c of relativeCandidates(block, t)) candidates.add(c);
  }
  for (const c of candidates) {
    let hits = 0;
    let wrong = 0;
    for (const [i, t] of targets.entries()) {
      const block = blocks[i];
      if (!block || !t) continue;
      let found: AnyNode | undefined;
      try {
        found = c ? $(block).find(c).get(0) : block;
      } catch {
        found = undefined;
      }
      if (found === t) hits++;
      else if (found) wrong++;
    }
    if (
      hits >= present * LISTING_POLICY.fieldHitShare &&
      wrong <= present * (1 - LISTING_POLICY.fieldHitShare)
    ) {
      // The block itself: `@attr` alone, or `:scope` (a date printed in the card's own text).
      return attr ? `${c}@${attr}` : c || ':scope';
    }
  }
  return undefined;
}

/** Ways to name `target` from inside `block`: tag with classes, tag, then with its parent's tag. */
function relativeCandidates(block: Element, target: Element): string[] {
  const tag = target.tagName.toLowerCase();
  const classes = stableClasses(target);
  const parent =
    target.parent && target.parent !== block && target.parent.type === 'tag'
      ? (target.parent as Element)
      : undefined;
  const out: string[] = [];
  if (classes.length) out.push(`${tag}.${classes.join('.')}`, `${tag}.${classes[0]}`, `.${classes[0]}`);
  if (parent) {
    const ptag = parent.tagName.toLowerCase();
    if (/^h[1-6]$/.test(ptag)) out.push(`${ptag} ${tag}`);
  }
  out.push(tag);
  if (parent) {
    const pc = stableClasses(parent);
    out.push(`${parent.tagName.toLowerCase()}${pc.length ? `.${pc[0]}` : ''} > ${tag}`);
  }
  return out;
}

/** `div.card.featured`: tag plus the classes shared by a kind of element (ids and numbered classes left out). */
function signature(el: Element): string {
  let sig = SIGNATURES.get(el);
  if (sig === undefined) {
    sig = `${el.tagName.toLowerCase()}${stableClasses(el)
      .map((c) => `.${c}`)
      .join('')}`;
    SIGNATURES.set(el, sig);
  }
  return sig;
}
/** Every element's signature is asked for many times while grouping; a document's nodes are never reused. */
const SIGNATURES = new WeakMap<Element, string>();

function stableClasses(el: Element): string[] {
  return (el.attribs['class'] ?? '')
    .split(/\s+/)
    .filter((c) => c && /^[A-Za-z_-][\w-]*$/.test(c) && !/\d{2,}/.test(c) && !/^(?:is|has)-/.test(c))
    .filter(
      (c) =>
        !/^(?:active|current|selected|first|last|odd|even|featured|sticky|new|hidden|visible|clearfix)$/.test(
          c,
        ),
    )
    .sort();
}

/**
 * `leaf`, or `leaf` scoped under an ancestor (by id, then by tag and class) when `leaf` alone would
 * also match elements outside `blocks` (a sidebar of the same cards).
 */
function scopedSelector($: CheerioAPI, blocks: readonly Element[], leaf: string): string {
  const wanted = new Set<AnyNode>(blocks);
  const matches = (sel: string): AnyNode[] | undefined => {
    try {
      return $(sel).toArray();
    } catch {
      return undefined;
    }
  };
  const exact = (sel: string): boolean => {
    const got = matches(sel);
    return got !== undefined && got.length === wanted.size && got.every((n) => wanted.has(n));
  };
  if (exact(leaf)) return leaf;
  let anc = commonAncestor(blocks);
  for (let depth = 0; anc && depth < 6; depth++, anc = anc.parent as Element | null) {
    if (anc.type !== 'tag') break;
    const id = anc.attribs['id'];
    const scopes = [
      ...(id && /^[A-Za-z][\w-]*$/.test(id) ? [`#${id}`] : []),
      signature(anc),
      anc.tagName.toLowerCase(),
    ];
    for (const scope of scopes) {
      if (exact(`${scope} ${leaf}`)) return `${scope} ${leaf}`;
    }
  }
  // The same cards in a sidebar box under the same kind of parent: tell them apart by the path down.
  const first = blocks[0];
  let path = first ? signature(first) : leaf;
  for (let p = first?.parent as Element | null, depth = 0; p && p.type === 'tag' && depth < 6; depth++) {
    path = `${signature(p)} > ${path}`;
    if (exact(path)) return path;
    p = p.parent as Element | null;
  }
  return leaf;
}

function commonAncestor(blocks: readonly Element[]): Element | null {
  const first = blocks[0];
  if (!first) return null;
  let anc = first.parent as Element | null;
  while (anc) {
    const a = anc;
    if (blocks.every((b) => isInside(b, a))) return a;
    anc = anc.parent as Element | null;
  }
  return null;
}

function isInside(node: AnyNode, ancestor: AnyNode): boolean {
  for (let p = node.parent; p; p = p.parent) if (p === ancestor) return true;
  return false;
}

function isFollowable(href: string | undefined, base: string): boolean {
  if (!href || href.startsWith('#') || /^(?:javascript|mailto|tel):/i.test(href.trim())) return false;
  const url = resolveUrl(href, base);
  return url !== undefined && withoutHash(url) !== withoutHash(base);
}
