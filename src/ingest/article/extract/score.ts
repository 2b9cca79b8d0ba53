// Finds the article in a cleaned page, the way Readability taught everyone to: every paragraph
// scores by its length and commas, hands its score up to its parent (in full) and further ancestors
// (in part), each candidate is discounted by its link density, and the best one wins. Its siblings
// that look like more of the same (an article split by an ad or a newsletter box) join it.
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { contains, isElement } from './clean.js';
import { classWeight } from './hints.js';

/** Shortest text that counts as a paragraph. */
export const MIN_PARAGRAPH_CHARS = 25;
/** How far up a paragraph's score travels. */
export const ANCESTOR_LEVELS = 5;

/** Starting score of a candidate by its tag: containers of prose up, lists and headings down. */
export const TAG_SCORE: Readonly<Record<string, number>> = {
  div: 5,
  article: 5,
  main: 5,
  section: 3,
  pre: 3,
  td: 3,
  blockquote: 3,
  address: -3,
  ol: -3,
  ul: -3,
  dl: -3,
  dd: -3,
  dt: -3,
  li: -3,
  form: -3,
  h1: -5,
  h2: -5,
  h3: -5,
  h4: -5,
  h5: -5,
  h6: -5,
  th: -5,
};

/** Tags that break text into blocks; an element holding none of them is a paragraph of its own. */
export const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
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
  'summary',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'td',
  'th',
  'ul',
  'caption',
]);

/** Elements that may score as a paragraph when they hold no other block. */
const PARAGRAPH_LIKE: ReadonlySet<string> = new Set([
  'p',
  'pre',
  'td',
  'li',
  'dd',
  'blockquote',
  'div',
  'section',
  'article',
  'center',
]);

/** Several near-best candidates inside one ancestor mean the ancestor is the article. */
const ALTERNATIVES = { count: 5, share: 0.75, needed: 3 } as const;
/** A sibling joins the winner when it scores this share of it (Readability's 20 %). */
const SIBLING_SHARE = 0.2;

const COMMAS = /[,，、،]/g;

export interface Scored {
  /** The article's blocks in document order: the winner and the siblings that joined it. */
  readonly blocks: readonly Element[];
  readonly top: Element;
  readonly score: number;
}

/**
 * Scores the cleaned page under `root` and returns the article's blocks, or undefined when the
 * page has no paragraph at all.
 *
 * @example
 * const found = findArticle($, $('body').get(0));
 * found?.blocks.map((b) => $.html(b)).join('');
 */
export function findArticle($: CheerioAPI, root: Element): Scored | undefined {
  const scores = new Map<Element, number>();
  const stats = new TextStats(root);
  const density = (el: Element): number => stats.linkDensity(el);
  const init = (el: Element): void => {
    if (!scores.has(el)) scores.set(el, (TAG_SCORE[el.name] ?? 0) + classWeight(el));
  };

  for (const p of paragraphs(root)) {
    const text = collapsed($(p).text());
    if (text.length < MIN_PARAGRAPH_CHARS) continue;
    const points = 1 + (text.match(COMMAS)?.length ?? 0) + Math.min(3, Math.floor(text.length / 100));
    let level = 0;
    for (let a = p.parent; a && isElement(a) && level < ANCESTOR_LEVELS; a = a.parent, level++) {
      if (a.name === 'html') break;
      init(a);
      const divider = level === 0 ? 1 : level === 1 ? 2 : level * 3;
      scores.set(a, (scores.get(a) ?? 0) + points / divider);
    }
  }
  if (scores.size === 0) return undefined;

  const final = new Map<Element, number>();
  for (const [el, s] of scores) final.set(el, s * (1 - density(el)));
  const ranked = [...final].sort((a, b) => b[1] - a[1]);
  const first = ranked[0];
  if (!first) return undefined;
  let [top, topScore] = first;

  // Several strong candidates under one ancestor: the ancestor holds the article (sections of a
  // long read, or paragraphs wrapped one by one).
  const alternatives = ranked
    .slice(1, 1 + ALTERNATIVES.count)
    .filter(([, s]) => s >= topScore * ALTERNATIVES.share)
    .map(([el]) => el);
  if (alternatives.length >= ALTERNATIVES.needed) {
    for (let a = top.parent; a && isElement(a) && a !== root.parent; a = a.parent) {
      if (alternatives.filter((alt) => contains(a, alt)).length >= ALTERNATIVES.needed) {
        top = a;
        topScore = Math.max(topScore, final.get(a) ?? 0);
        break;
      }
    }
  }
  // A parent that scores higher than its best child is the better container; a lone child is
  // just a wrapper.
  let last = topScore;
  for (let a = top.parent; a && isElement(a) && a !== root; a = a.parent) {
    const s = final.get(a);
    if (s === undefined) continue;
    if (s < last / 3) break;
    if (s > last) {
      top = a;
      topScore = s;
    }
    last = s;
  }
  while (top !== root && top.parent && isElement(top.parent) && top.parent !== root) {
    if (top.parent.children.filter(isElement).length !== 1) break;
    top = top.parent;
  }

  return { top, score: topScore, blocks: withSiblings($, top, topScore, final, density) };
}

/** The winner plus siblings that look like more of the article. */
function withSiblings(
  $: CheerioAPI,
  top: Element,
  topScore: number,
  final: ReadonlyMap<Element, number>,
  density: (el: Element) => number,
): Element[] {
  const parent = top.parent;
  if (!parent || !isElement(parent) || parent.name === 'html') return [top];
  const siblings = parent.children.filter(isElement);
  const threshold = Math.max(10, topScore * SIBLING_SHARE);
  const topClass = (top.attribs['class'] ?? '').trim();
  const joins = siblings.map((s) => {
    if (s === top) return true;
    const bonus = topClass !== '' && s.attribs['class']?.trim() === topClass ? topScore * SIBLING_SHARE : 0;
    if ((final.get(s) ?? Number.NEGATIVE_INFINITY) + bonus >= threshold) return true;
    if (s.name !== 'p') return false;
    const text = collapsed($(s).text());
    const d = density(s);
    if (text.length > 80) return d < 0.25;
    return text.length > 0 && d === 0 && /\.(?:\s|$)/.test(text);
  });
  const firstIn = joins.indexOf(true);
  const lastIn = joins.lastIndexOf(true);
  // Between two parts of the article, headings, figures, tables and quotes belong to it too.
  return siblings.filter(
    (s, i) => joins[i] || (i > firstIn && i < lastIn && isBridge(s) && density(s) < 0.5),
  );
}

const BRIDGES: ReadonlySet<string> = new Set([
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'figure',
  'table',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'dl',
  'p',
  'img',
  'picture',
  'hr',
]);

function isBridge(el: Element): boolean {
  return BRIDGES.has(el.name);
}

/** Elements that read as one paragraph: <p>, <pre>, and blocks that hold no other block. */
function paragraphs(root: Element): Element[] {
  const out: Element[] = [];
  const visit = (el: Element): boolean => {
    // Returns whether `el` contains a block, so a parent knows whether it is a leaf block.
    let hasBlock = false;
    for (const c of el.children) {
      if (!isElement(c)) continue;
      const childHasBlock = visit(c);
      if (BLOCK_TAGS.has(c.name) || childHasBlock) hasBlock = true;
    }
    if (el.name === 'p' || el.name === 'pre' || (!hasBlock && PARAGRAPH_LIKE.has(el.name) && ownText(el))) {
      out.push(el);
    }
    return hasBlock;
  };
  visit(root);
  return out;
}

function ownText(el: Element): boolean {
  return el.children.some((c) => c.type === 'text' && c.data.trim() !== '') || el.children.some(isElement);
}

/** Elements counted as media: a block holding one is not empty, whatever its text. */
export const MEDIA_TAGS: ReadonlySet<string> = new Set([
  'img',
  'picture',
  'video',
  'audio',
  'table',
  'pre',
  'iframe',
  'math',
  'amp-img',
]);

interface Counts {
  chars: number;
  links: number;
  media: number;
}

/**
 * Text length, link-text length and media count of every element under a root, measured in one
 * walk (asking cheerio for each candidate's text would make scoring quadratic in the page size).
 * `remove` keeps the ancestors' counts right when a block is taken out afterwards.
 */
export class TextStats {
  readonly #counts = new Map<Element, Counts>();

  constructor(root: Element) {
    this.#measure(root, false);
  }

  #measure(el: Element, inLink: boolean): Counts {
    const c: Counts = { chars: 0, links: 0, media: MEDIA_TAGS.has(el.name) ? 1 : 0 };
    const linked = inLink || el.name === 'a';
    for (const child of el.children) {
      if (child.type === 'text') {
        const n = child.data.replace(/[\s\u00A0]+/g, ' ').length;
        c.chars += n;
        if (linked) c.links += n;
      } else if (isElement(child)) {
        const sub = this.#measure(child, linked);
        c.chars += sub.chars;
        c.links += sub.links;
        c.media += sub.media;
      }
    }
    this.#counts.set(el, c);
    return c;
  }

  chars(el: Element): number {
    return this.#counts.get(el)?.chars ?? 0;
  }

  media(el: Element): number {
    return this.#counts.get(el)?.media ?? 0;
  }

  linkDensity(el: Element): number {
    const c = this.#counts.get(el);
    return !c || c.chars === 0 ? 0 : Math.min(1, c.links / c.chars);
  }

  /** Takes a removed element's counts off its ancestors. Call before detaching it. */
  remove(el: Element): void {
    const c = this.#counts.get(el);
    if (!c) return;
    for (let p = el.parent; p && isElement(p); p = p.parent) {
      const pc = this.#counts.get(p);
      if (!pc) break;
      pc.chars -= c.chars;
      pc.links -= c.links;
      pc.media -= c.media;
    }
  }
}

/** Share of an element's text that sits inside links. */
export function linkDensity($: CheerioAPI, el: AnyNode): number {
  const all = collapsed($(el).text()).length;
  if (all === 0) return 0;
  let links = 0;
  $(el)
    .find('a')
    .each((_, a) => {
      links += collapsed($(a).text()).length;
    });
  return Math.min(1, links / all);
}

export function collapsed(s: string): string {
  return s.replace(/[\s\u00A0]+/g, ' ').trim();
}
