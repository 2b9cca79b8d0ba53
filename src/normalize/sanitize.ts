// htmlparser2 builds its tree from domhandler nodes; the link a media frame leaves is made of them too.
import type { AnyNode, Element } from 'domhandler';
import { Element as DomElement, Text as DomText } from 'domhandler';
import { type Options as ParserOptions, parseDocument } from 'htmlparser2';
import { largestCandidate, parseSrcset } from '../util/srcset.js';
import { collapseWhitespace, stripXmlIllegal } from '../util/text.js';
import {
  ALLOWED_TAGS,
  ATTRIBUTE_SHAPES,
  BLOCK_TAGS,
  BOILERPLATE,
  DROP_WHEN_EMPTY,
  DROPPED_TAGS,
  EMOJI_IMAGE_CLASSES,
  EMOJI_IMAGE_SOURCES,
  GLOBAL_ATTRIBUTES,
  LAZY_SRC_ATTRIBUTES,
  LAZY_SRCSET_ATTRIBUTES,
  MAX_DEPTH,
  MAX_NESTING_ESTIMATE,
  RELATED_LABEL,
  RENAMED_TAGS,
  SCREEN_READER_CLASSES,
  SHARE_BAR_MAX_TEXT,
  TRACKING_IMAGES,
  URL_ATTRIBUTES,
} from './allowlist.js';
import { BLANK, compact, isElement, relink, textOf } from './dom.js';
import { embedLink } from './embeds.js';
import { isLinkList, isListing, LABEL_MAX, LABEL_TAGS } from './link-lists.js';
import { FLOW_CONTAINERS, inFlow, withoutEdgeRules, wrapInlineRuns } from './paragraphs.js';
import { REDDIT_FOOTER_WORDS, removeRedditFooter } from './reddit-footer.js';
import { isShareBar } from './share-bar.js';
import { safeSrcset, safeUrl } from './urls.js';

// htmlparser2 rather than parse5: several times faster, and far less hurt by deep nesting (100k nested
// divs: about 5 s against 70 s; both grow worse than linearly, hence the nesting guard in sanitize()).
// Spec-exact tree building buys no safety here: whatever we keep as text is escaped on
// output and whatever we keep as an element is on the allowlist, so a browser re-parses the same thing.
// htmlparser2 itself, not through cheerio's load(): the same parser and tree, without building a
// Cheerio object per item (a tenth of normalizing, with the garbage it left).
export const PARSE_OPTIONS: ParserOptions = { xmlMode: false, decodeEntities: true };

export interface Sanitized {
  /** Allowlisted HTML, absolute URLs, no tracking, no XML-illegal characters. */
  readonly html: string;
  /** The visible text of `html`, blocks separated by spaces, whitespace collapsed. */
  readonly text: string;
  /** src of the first kept <img> with an http(s) URL. */
  readonly firstImage?: string;
  /**
   * Set when the content is only links, each with at most a short label beside it (an outlet's name):
   * Google News's list of a story's coverage, Hacker News's "Comments". Its text is headlines, not
   * words of its own.
   */
  readonly onlyLinks?: true;
}

// Numeric references to characters XML forbids would decode to U+FFFD or a control character;
// dropping the reference keeps the rule "U+FFFD is never added".
const CHAR_REF = /&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?/g;
function isXmlIllegalCodePoint(cp: number): boolean {
  return (
    (cp < 0x20 && cp !== 0x9 && cp !== 0xa && cp !== 0xd) ||
    (cp >= 0xd800 && cp <= 0xdfff) ||
    cp === 0xfffe ||
    cp === 0xffff ||
    cp > 0x10ffff
  );
}

/** Removes XML-illegal characters and numeric references to them, before any HTML decoding. */
export function dropIllegal(s: string): string {
  return stripXmlIllegal(s).replace(CHAR_REF, (ref, hex: string | undefined, dec: string | undefined) => {
    const cp = hex !== undefined ? Number.parseInt(hex, 16) : Number(dec);
    return isXmlIllegalCodePoint(cp) ? '' : ref;
  });
}

// The lookahead keeps the name from backtracking, and [^<>] stops at the next "<": linear on any input.
const TAG_TOKEN = /<(\/?)([a-zA-Z][\w:-]*)(?![\w:-])[^<>]*>/g;
const NOT_NESTING = new Set([
  // void elements
  ...[
    'area',
    'base',
    'br',
    'col',
    'embed',
    'hr',
    'img',
    'input',
    'link',
    'meta',
    'param',
    'source',
    'track',
    'wbr',
  ],
  // closed implicitly by their next sibling in practice
  ...['p', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'option', 'thead', 'tbody', 'tfoot', 'colgroup'],
]);

/** Upper-bound guess of element nesting, by counting unclosed tags; linear, no parse. */
function nestingEstimate(html: string): number {
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(TAG_TOKEN)) {
    const name = (m[2] as string).toLowerCase();
    if (NOT_NESTING.has(name) || m[0].endsWith('/>')) continue;
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (++depth > max) {
      max = depth;
      if (max > MAX_NESTING_ESTIMATE) break;
    }
  }
  return max;
}

interface WalkState {
  readonly base: string | undefined;
  /** Open <pre> elements around the current node. */
  pre: number;
  /** Text pieces in document order; ' ' marks a block boundary. */
  readonly chunks: string[];
  firstImage?: string | undefined;
  /** The last "Related posts:" label kept, in case a list of links follows it (see RELATED_LABEL). */
  relatedLabel?: {
    readonly node: Element;
    readonly chunkMark: number;
    readonly imageBefore: string | undefined;
  };
}

/** True when nothing visible is left: only blank text and <br>. */
function isEmpty(el: Element): boolean {
  return el.children.every((c) => (c.type === 'text' ? BLANK.test(c.data) : isElement(c) && c.name === 'br'));
}

/**
 * Text gathered since `mark`, or undefined when it is too long to be boilerplate (keeps the walk
 * linear) or lacks the `needle` every rule needs (most blocks: then it is never collapsed).
 */
function recentText(chunks: readonly string[], mark: number, needle: RegExp | undefined): string | undefined {
  let len = 0;
  for (let i = mark; i < chunks.length; i++) {
    len += (chunks[i] as string).length;
    if (len > 800) return undefined;
  }
  const raw = chunks.slice(mark).join('');
  if (needle && !needle.test(raw)) return undefined;
  return collapseWhitespace(raw);
}

function isBoilerplateByClass(name: string, className: string | undefined): boolean {
  if (!className) return false;
  const classes = className.toLowerCase().split(/\s+/);
  return BOILERPLATE.some((b) => b.className && b.tags.includes(name) && classes.includes(b.className));
}

/** BOILERPLATE's text rules by tag, built once (the walk asks for every element), with their needles. */
const TEXT_RULES: ReadonlyMap<
  string,
  { readonly rules: readonly (typeof BOILERPLATE)[number][]; readonly needle: RegExp | undefined }
> = (() => {
  const byTag = new Map<string, (typeof BOILERPLATE)[number][]>();
  for (const rule of BOILERPLATE) {
    if (!rule.text) continue;
    for (const tag of rule.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), rule]);
  }
  const pattern = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
  return new Map(
    [...byTag].map(([tag, rules]) => [
      tag,
      {
        rules,
        // Only when every rule has one: a block holding none of them cannot match any rule.
        needle: rules.every((r) => r.needle)
          ? new RegExp(rules.map((r) => pattern(r.needle ?? '')).join('|'), 'i')
          : undefined,
      },
    ]),
  );
})();

function isBoilerplateByText(
  name: string,
  kids: () => readonly AnyNode[],
  chunks: readonly string[],
  mark: number,
): boolean {
  const entry = TEXT_RULES.get(name);
  if (!entry) return false;
  const text = recentText(chunks, mark, entry.needle);
  if (text === undefined) return false;
  // Links are counted only for short blocks whose text already matched, so the walk stays linear.
  const links = (): number => kids().filter((k) => isElement(k) && k.name === 'a').length;
  return entry.rules.some((b) => b.text?.test(text) && links() >= (b.minLinks ?? 0));
}

/** Length of the text pushed since `mark`, counted until it passes `cap`. */
function textLengthSince(chunks: readonly string[], mark: number, cap: number): number {
  let len = 0;
  for (let i = mark; i < chunks.length && len <= cap; i++) len += (chunks[i] as string).length;
  return len;
}

/** A block of boilerplate: by BOILERPLATE's text rules, or a share bar (see share-bar.ts). */
function isBoilerplateBlock(
  name: string,
  block: boolean,
  kids: () => readonly AnyNode[],
  chunks: readonly string[],
  mark: number,
): boolean {
  if (isBoilerplateByText(name, kids, chunks, mark)) return true;
  return block && isShareBar(textLengthSince(chunks, mark, SHARE_BAR_MAX_TEXT), kids);
}

function isTrackingImage(attribs: Readonly<Record<string, string>>, src: string): boolean {
  // A 0/1-pixel box shows nothing; it is there to be requested.
  for (const dim of ['width', 'height']) {
    const v = attribs[dim];
    if (v !== undefined && /^\s*[01](?:px)?\s*$/i.test(v)) return true;
  }
  return TRACKING_IMAGES.some((t) => t.pattern.test(src));
}

/** Below this many pixels across or high, a declared image is an icon, an avatar or a badge. */
const TINY_IMAGE_PX = 100;

function declaresTiny(attribs: Readonly<Record<string, string>>): boolean {
  return ['width', 'height'].some((a) => {
    const px = Number.parseInt(attribs[a] ?? '', 10);
    return px > 0 && px < TINY_IMAGE_PX;
  });
}

/** The text an emoji picture stands for (its alt), when `el` is one; see EMOJI_IMAGE_CLASSES. */
function emojiText(el: Element): string | undefined {
  const alt = stripXmlIllegal(el.attribs['alt'] ?? '').trim();
  if (!alt || alt.length > 40) return undefined;
  const classes = (el.attribs['class'] ?? '').toLowerCase().split(/\s+/);
  if (classes.some((c) => EMOJI_IMAGE_CLASSES.has(c))) return alt;
  const src = el.attribs['src']?.trim() ?? '';
  return EMOJI_IMAGE_SOURCES.some((p) => p.test(src)) ? alt : undefined;
}

function isScreenReaderOnly(className: string | undefined): boolean {
  return (
    !!className &&
    className
      .toLowerCase()
      .split(/\s+/)
      .some((c) => SCREEN_READER_CLASSES.has(c))
  );
}

/**
 * Removes a list of links and the "Related posts:" label right before it in `out`, from the tree and
 * from the text; says whether it did.
 */
function droppedRelatedList(list: Element, out: AnyNode[], st: WalkState): boolean {
  const label = st.relatedLabel;
  if (!label || !isLinkList(list)) return false;
  const at = out.lastIndexOf(label.node);
  if (at < 0 || !out.slice(at + 1).every((n) => n.type === 'text' && BLANK.test(n.data))) return false;
  out.length = at;
  st.chunks.length = label.chunkMark;
  st.firstImage = label.imageBefore;
  st.relatedLabel = undefined;
  return true;
}

type Verdict = 'keep' | 'drop' | 'unwrap';

/** Rewrites the attributes of an allowed element in place; says whether the element survives. */
function cleanAttributes(el: Element, name: string, st: WalkState): Verdict {
  const src = el.attribs;
  const allowed = ALLOWED_TAGS[name] ?? [];
  const out: Record<string, string> = {};
  for (const key of Object.keys(src)) {
    const k = key.toLowerCase();
    // on*, style, class, id, data-* and everything else not listed go here.
    if (!allowed.includes(k) && !GLOBAL_ATTRIBUTES.includes(k)) continue;
    const raw = stripXmlIllegal(src[key] ?? '');
    let value: string | undefined;
    if (k === 'srcset') value = safeSrcset(raw, st.base);
    else if (k === 'src' && name === 'img') value = safeUrl(raw, st.base, 'image');
    else if (URL_ATTRIBUTES[k]) value = safeUrl(raw, st.base, URL_ATTRIBUTES[k]);
    else if (ATTRIBUTE_SHAPES[k]) {
      // "600px" is a common slip for "600"; browsers read the digits, so do we.
      const v = k === 'width' || k === 'height' ? raw.trim().replace(/px$/i, '') : raw.trim();
      value = ATTRIBUTE_SHAPES[k].test(v) ? v : undefined;
    } else value = raw;
    if (value !== undefined) out[k] = value;
  }
  if (name === 'img') {
    // Lazy loaders put the real image aside and a placeholder in src: a data: GIF, a spinner, a
    // 20-pixel blurred preview. Whatever src holds, the lazy attribute is the picture.
    for (const lazy of LAZY_SRC_ATTRIBUTES) {
      const real = safeUrl(src[lazy], st.base, 'media');
      if (real) {
        out['src'] = real;
        break;
      }
    }
    for (const lazy of LAZY_SRCSET_ATTRIBUTES) {
      const real = src[lazy] === undefined ? undefined : safeSrcset(src[lazy], st.base);
      if (real) {
        out['srcset'] = real;
        break;
      }
    }
    // An image known only by its srcset still needs a src: readers that ignore srcset show that.
    if ((!out['src'] || out['src'].startsWith('data:')) && out['srcset'])
      out['src'] = largestCandidate(parseSrcset(out['srcset'])) ?? '';
    const image = out['src'];
    if (!image || isTrackingImage(src, image)) return 'drop';
    // An icon beside a download link or an inline badge is no picture of the item (see TINY_IMAGE_PX).
    if (st.firstImage === undefined && !image.startsWith('data:') && !declaresTiny(out))
      st.firstImage = image;
  }
  if (name === 'source' && !out['src']) return 'drop';
  if (name === 'a' && !out['href']) return 'unwrap';
  if (name === 'a') showCleanedAddress(el, src['href'], out['href']);
  // Without controls and without autoplay (never allowed) a player cannot be started.
  if (name === 'video' || name === 'audio') out['controls'] = '';
  el.attribs = out;
  return 'keep';
}

/**
 * A link whose text is its own address (a bare URL made a link, a pasted one) shows the address as
 * cleaned: the tracking parameters taken off the href must not stay in plain sight. Mastodon spells
 * every such address in three spans ("https://", a shown part, an "invisible" tail): one text again.
 */
function showCleanedAddress(el: Element, raw: string | undefined, cleaned: string | undefined): void {
  if (!raw || !cleaned || raw === cleaned) return;
  const only = el.children.length === 1 ? el.children[0] : undefined;
  if (only?.type === 'text') {
    if (only.data.trim() === raw.trim()) only.data = cleaned;
    return;
  }
  if (textOf(el.children).trim() === raw.trim() && el.children.every(isTextOrSpan)) {
    relink(el, [new DomText(cleaned)]);
  }
}

function isTextOrSpan(n: AnyNode): boolean {
  return (
    n.type === 'text' || (isElement(n) && n.name.toLowerCase() === 'span' && n.children.every(isTextOrSpan))
  );
}

const VOID_TAGS: ReadonlySet<string> = new Set(['br', 'hr', 'img', 'source']);
const BOOLEAN_ATTRIBUTES: ReadonlySet<string> = new Set(['controls', 'reversed']);
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
// Most text and attribute values need no escaping: indexOf finds that out three times faster than a
// replace that matches nothing, and without its garbage (a text node per call, ~40 per item).
const escapeText = (s: string): string =>
  s.indexOf('&') < 0 && s.indexOf('<') < 0 && s.indexOf('>') < 0
    ? s
    : s.replace(/[&<>]/g, (c) => ESCAPES[c] ?? c);
const escapeAttribute = (s: string): string =>
  s.indexOf('&') < 0 && s.indexOf('<') < 0 && s.indexOf('>') < 0 && s.indexOf('"') < 0
    ? s
    : s.replace(/[&<>"]/g, (c) => ESCAPES[c] ?? c);

/**
 * Our own serializer for the cleaned tree (allowlisted elements and text only). Unlike the library ones it
 * escapes < and > inside attributes too, so "<script" can never appear in the output even as inert attribute
 * text, and it writes no named entities (&nbsp;), so the HTML is safe to embed in XML as-is.
 * Recursion is bounded by MAX_DEPTH.
 */
function serialize(nodes: readonly AnyNode[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.type === 'text') out += escapeText(n.data);
    else if (isElement(n)) {
      out += `<${n.name}`;
      for (const [k, v] of Object.entries(n.attribs)) {
        out += v === '' && BOOLEAN_ATTRIBUTES.has(k) ? ` ${k}` : ` ${k}="${escapeAttribute(v)}"`;
      }
      out += VOID_TAGS.has(n.name) ? '>' : `>${serialize(n.children)}</${n.name}>`;
    }
  }
  return out;
}

const HEADINGS: ReadonlySet<string> = new Set(['h2', 'h3', 'h4', 'h5', 'h6']);
const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** Whether the text pushed since `mark` ends in a letter or digit (not punctuation, not nothing). */
function endsInWord(chunks: readonly string[], mark: number): boolean {
  for (let i = chunks.length - 1; i >= mark; i--) {
    const last = (chunks[i] ?? '').trimEnd().slice(-1);
    if (last) return WORD_CHARACTER.test(last);
  }
  return false;
}

/** Cleans `node` and appends what survives of it to `out`. */
function walk(node: AnyNode, depth: number, st: WalkState, out: AnyNode[]): void {
  if (node.type === 'text') {
    const data = stripXmlIllegal(node.data);
    if (!data) return;
    node.data = data;
    out.push(node);
    st.chunks.push(data);
    return;
  }
  // Comments, CDATA, doctypes and processing instructions carry nothing for a reader.
  if (!isElement(node)) return;
  const original = node.name.toLowerCase();
  if (original === 'iframe' && depth <= MAX_DEPTH) {
    // The frame goes; a video or track it showed stays as a link to its page.
    const link = embedLink(node.attribs['src'] ?? node.attribs['data-src'], node.attribs['title'], st.base);
    if (link) {
      const a = new DomElement('a', { href: link.href }, [new DomText(link.text)]);
      // A paragraph of its own where blocks may stand (a frame in a <figure> or <div>), else inline.
      const parent = node.parent && isElement(node.parent) ? node.parent.name.toLowerCase() : undefined;
      out.push(parent === undefined || FLOW_CONTAINERS.has(parent) ? new DomElement('p', {}, [a]) : a);
      st.chunks.push(' ', link.text, ' ');
    }
    return;
  }
  if (DROPPED_TAGS.has(original) || depth > MAX_DEPTH) return;
  const emoji = original === 'img' ? emojiText(node) : undefined;
  if (emoji !== undefined) {
    out.push(new DomText(emoji));
    st.chunks.push(emoji);
    return;
  }
  const className = node.attribs['class'];
  if (isBoilerplateByClass(original, className) || isScreenReaderOnly(className)) return;

  const name = RENAMED_TAGS[original] ?? original;
  const mark = st.chunks.length;
  const imageBefore = st.firstImage;
  const block = BLOCK_TAGS.has(original);
  if (block) st.chunks.push(' ');
  let verdict: Verdict = ALLOWED_TAGS[name] ? cleanAttributes(node, name, st) : 'unwrap';
  if (verdict === 'drop') {
    st.chunks.length = mark;
    return;
  }

  if (verdict === 'unwrap') {
    const outMark = out.length;
    for (const child of node.children) walk(child, depth + 1, st, out);
    if (block) st.chunks.push(' ');
    if (isBoilerplateBlock(original, block, () => out.slice(outMark), st.chunks, mark)) {
      out.length = outMark;
      st.chunks.length = mark;
      // A share bar's icon is not the story's picture.
      st.firstImage = imageBefore;
    } else if (block && st.pre === 0 && inFlow(node)) wrapInlineRuns(out, outMark);
    return;
  }

  node.name = name;
  let kids: AnyNode[] = [];
  if (name === 'pre') st.pre++;
  for (const child of node.children) walk(child, depth + 1, st, kids);
  if (name === 'pre') st.pre--;
  kids = compact(kids, st.pre > 0 || name === 'pre');
  relink(node, kids);
  // A heading's text runs into the paragraph after it in the plain text ("Season tickets Holders of
  // season tickets..."): a heading that ends in a word ends the sentence.
  if (block) st.chunks.push(HEADINGS.has(name) && endsInWord(st.chunks, mark) ? '. ' : ' ');
  if (isBoilerplateBlock(original, block, () => kids, st.chunks, mark)) verdict = 'drop';
  else if (DROP_WHEN_EMPTY.has(name) && isEmpty(node)) verdict = 'drop';
  if (verdict === 'drop') {
    st.chunks.length = mark;
    st.firstImage = imageBefore;
    return;
  }
  if ((name === 'ul' || name === 'ol') && droppedRelatedList(node, out, st)) return;
  // Length first: the label is a few words, and most paragraphs are not worth joining into a string.
  const short = LABEL_TAGS.has(name) && textLengthSince(st.chunks, mark, LABEL_MAX) <= LABEL_MAX;
  if (short && RELATED_LABEL.test(recentText(st.chunks, mark, undefined) ?? '')) {
    st.relatedLabel = { node, chunkMark: mark, imageBefore };
  }
  out.push(node);
}

/**
 * Sanitizes an HTML fragment to the allowlist in one parse and one walk: disallowed elements dropped
 * or unwrapped, attributes filtered, URLs made absolute against `baseUrl` and freed of tracking
 * parameters, tracking pixels and boilerplate removed; the plain text and first image come along.
 *
 * @example
 * sanitize('<p onclick="x()">Hi <a href="/a?utm_source=rss">there</a></p>', 'https://x.example/')
 * // { html: '<p>Hi <a href="https://x.example/a">there</a></p>', text: 'Hi there' }
 */
export function sanitize(html: string, baseUrl: string | undefined): Sanitized {
  let input = dropIllegal(html);
  if (input.length > MAX_NESTING_ESTIMATE * 3 && nestingEstimate(input) > MAX_NESTING_ESTIMATE) {
    // Pathological nesting (hostile or broken): keep the words, lose the markup.
    input = input
      .replace(/<[^<>]*>/g, ' ')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;');
  }
  const root = parseDocument(input, PARSE_OPTIONS);
  if (input.includes(REDDIT_FOOTER_WORDS)) removeRedditFooter(root);
  const st: WalkState = { base: baseUrl, pre: 0, chunks: [] };
  const kids: AnyNode[] = [];
  for (const child of root.children) walk(child, 0, st, kids);
  const tree = withoutEdgeRules(compact(kids, false));
  const out = serialize(tree).trim();
  const text = collapseWhitespace(st.chunks.join(''));
  return {
    html: out,
    text,
    ...(st.firstImage === undefined ? {} : { firstImage: st.firstImage }),
    ...(isListing(tree) ? { onlyLinks: true as const } : {}),
  };
}

/** The visible text of an HTML fragment (tags stripped, blocks separated, entities decoded once). */
export function htmlToText(html: string): string {
  return sanitize(html, undefined).text;
}

/**
 * Decodes HTML entities exactly once in a string that is text, not markup: "AT&amp;amp;T" → "AT&amp;T",
 * and "a<b" keeps its "<".
 */
export function decodeEntities(s: string): string {
  const clean = dropIllegal(s);
  if (!clean.includes('&')) return clean;
  // With every "<" escaped the document is text nodes only.
  let text = '';
  for (const node of parseDocument(clean.replace(/</g, '&lt;'), PARSE_OPTIONS).children) {
    if (node.type === 'text') text += node.data;
  }
  return text;
}
