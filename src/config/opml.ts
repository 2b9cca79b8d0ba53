// Reading a subscription list (OPML 1.0/2.0) exported by a feed reader, and planning which of its
// feeds `feedloom import` adds to sources.json. Real exports differ: Feedly and Inoreader nest feeds
// one level under category outlines, NetNewsWire nests folders, older tools write `xmlurl` or
// `XMLURL`, some give only `text` and no `title`, some give `type="atom"` or none at all, and some
// hand-edited lists hold `feed://` URLs or bare ampersands. We read them all, and say what we skipped.
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { FeedloomError } from '../errors.js';
import type { Config } from '../types.js';
import { derivedSourceId, hostSourceId, insertSource, type NewSource, sourceConflict } from './edit.js';
import { parseConfig } from './load.js';

/** One feed found in an OPML file. */
export interface OpmlFeed {
  readonly url: string;
  readonly title?: string;
  readonly htmlUrl?: string;
  /** The category outlines it sits in (outermost first) and its own `category` attribute, as tags. */
  readonly tags: readonly string[];
  /** Where it was: `body/outline[2]/outline[1]` (1-based, as a person counts). */
  readonly where: string;
}

/** An outline that looked like a feed but could not be used. */
export interface OpmlProblem {
  readonly where: string;
  readonly message: string;
}

export interface OpmlList {
  readonly title?: string;
  readonly feeds: readonly OpmlFeed[];
  readonly problems: readonly OpmlProblem[];
}

/** Outline `type` values that mean "a feed"; absent counts too. Others (link, include) are not feeds. */
export const FEED_OUTLINE_TYPES: ReadonlySet<string> = new Set([
  'rss',
  'atom',
  'rdf',
  'feed',
  'json',
  'jsonfeed',
  'xml',
]);

/** Largest OPML file we read: exports of a few thousand feeds stay far below it. */
export const MAX_OPML_CHARS = 10_000_000;

/**
 * Parses an OPML document. Attribute names are matched without case (`xmlUrl`, `xmlurl`, `XMLURL`);
 * outlines without a feed URL that hold outlines are categories, and their names become tags.
 * Throws CONFIG_INVALID when the text is not OPML at all.
 *
 * @example
 * parseOpml('<opml><body><outline text="Tech"><outline xmlUrl="https://x.example/rss"/></outline></body></opml>', 'a.opml')
 * // { feeds: [{ url: 'https://x.example/rss', tags: ['tech'], where: 'body/outline[1]/outline[1]' }], problems: [] }
 */
export function parseOpml(text: string, file: string): OpmlList {
  if (text.length > MAX_OPML_CHARS)
    throw new FeedloomError('CONFIG_INVALID', `import: ${file}: larger than ${MAX_OPML_CHARS} characters`);
  // htmlparser2 in XML mode: lenient about bare `&` and never expands a DOCTYPE's entities.
  const $ = cheerio.load(text.replace(/^\uFEFF/, ''), { xml: { xmlMode: true, decodeEntities: true } });
  const root = elements($.root()[0]?.children ?? []).find((e) => lower(e.name) === 'opml');
  const body = root && elements(root.children).find((e) => lower(e.name) === 'body');
  if (!root || !body)
    throw new FeedloomError(
      'CONFIG_INVALID',
      `import: ${file}: not an OPML file (expected <opml> with a <body> of <outline> elements)`,
    );
  const head = elements(root.children).find((e) => lower(e.name) === 'head');
  const titleEl = head && elements(head.children).find((e) => lower(e.name) === 'title');
  const listTitle = titleEl ? $(titleEl).text().trim() : '';

  const feeds: OpmlFeed[] = [];
  const problems: OpmlProblem[] = [];
  const walk = (parent: Element, where: string, categories: readonly string[]): void => {
    let n = 0;
    for (const el of elements(parent.children)) {
      if (lower(el.name) !== 'outline') continue;
      n++;
      const here = `${where}/outline[${n}]`;
      const attr = attributes(el);
      const name = (attr['title'] || attr['text'] || '').replace(/\s+/g, ' ').trim();
      const type = attr['type']?.trim().toLowerCase();
      // OPML 2.0 gives feeds `xmlUrl`; `url` belongs to link outlines, so it counts only beside a feed type.
      const raw = attr['xmlurl'] ?? (type && FEED_OUTLINE_TYPES.has(type) ? attr['url'] : undefined);
      if (raw === undefined || (type && !FEED_OUTLINE_TYPES.has(type))) {
        if (raw !== undefined)
          problems.push({ where: here, message: `${label(name)}type="${type}" is not a feed; skipped` });
        // A folder: its name becomes a tag of every feed inside it.
        const tag = tagOf(name);
        walk(el, here, tag ? [...categories, tag] : categories);
        continue;
      }
      const url = feedUrl(raw);
      if (!url) {
        problems.push({
          where: here,
          message: `${label(name)}xmlUrl ${JSON.stringify(raw.trim())} is not an http(s) URL; skipped`,
        });
        continue;
      }
      const own = (attr['category'] ?? '')
        .split(',')
        .flatMap((c) => c.split('/'))
        .map(tagOf)
        .filter((t): t is string => t !== undefined);
      const htmlUrl = feedUrl(attr['htmlurl'] ?? '');
      feeds.push({
        url,
        ...(name ? { title: name } : {}),
        ...(htmlUrl ? { htmlUrl } : {}),
        tags: [...new Set([...categories, ...own])],
        where: here,
      });
      // Some exports nest feeds under a feed outline; read those too.
      walk(el, here, categories);
    }
  };
  walk(body, 'body', []);
  return { ...(listTitle ? { title: listTitle } : {}), feeds, problems };
}

/** What an import would do: sources to add, and feeds left out with the reason. */
export interface ImportPlan {
  readonly add: readonly (NewSource & { readonly where: string })[];
  readonly skipped: readonly { readonly where: string; readonly url: string; readonly reason: string }[];
}

/**
 * Picks the feeds of `list` that `config` lacks, each with a free id (the host name, else host and
 * path, else a numbered one), its title, and its tags plus `extraTags`. A URL already in sources.json,
 * or listed twice in the file, is skipped with the reason.
 *
 * @example
 * const plan = planImport(parseOpml(text, 'feeds.opml'), config, ['imported']);
 */
export function planImport(list: OpmlList, config: Config, extraTags: readonly string[] = []): ImportPlan {
  const add: (NewSource & { where: string })[] = [];
  const skipped: { where: string; url: string; reason: string }[] = [];
  const ids = new Set(config.sources.map((s) => s.id.toLowerCase()));
  const seen = new Map<string, string>();
  for (const f of list.feeds) {
    const key = urlKey(f.url);
    const earlier = seen.get(key);
    if (earlier) {
      skipped.push({ where: f.where, url: f.url, reason: `listed again (first at ${earlier})` });
      continue;
    }
    seen.set(key, f.where);
    // '' is no source's id: this asks about the URL only.
    const conflict = sourceConflict(config, { id: '', url: f.url });
    if (conflict) {
      skipped.push({ where: f.where, url: f.url, reason: conflict });
      continue;
    }
    const id = freeId(f.url, ids);
    ids.add(id.toLowerCase());
    const tags = [...new Set([...f.tags, ...extraTags])];
    add.push({
      id,
      kind: 'feed',
      url: f.url,
      ...(f.title ? { title: f.title } : {}),
      ...(tags.length ? { tags } : {}),
      where: f.where,
    });
  }
  return { add, skipped };
}

/** `https://www.example.com/feed` -> `example.com`, else the host-and-path id, else `-2`, `-3`, ... */
function freeId(url: string, taken: ReadonlySet<string>): string {
  const free = (id: string): boolean => !taken.has(id.toLowerCase());
  const host = hostSourceId(url);
  if (free(host)) return host;
  const derived = derivedSourceId(url);
  if (free(derived)) return derived;
  for (let i = 2; ; i++) if (free(`${derived}-${i}`)) return `${derived}-${i}`;
}

/**
 * An http(s) feed URL from an attribute, else undefined. `feed://host/x` and `feed:https://host/x`
 * (the old feed: scheme some readers export) become http(s).
 */
export function feedUrl(raw: string): string | undefined {
  let s = raw.trim();
  if (/^feed:\/\//i.test(s)) s = `http://${s.slice(7)}`;
  else if (/^feed:https?:/i.test(s)) s = s.slice(5);
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** A category name as a tag: trimmed, lowercased, spaces as `-`; undefined when empty. */
export function tagOf(name: string | undefined): string | undefined {
  const tag = (name ?? '').trim().toLowerCase().replace(/\s+/g, '-');
  return tag || undefined;
}

function urlKey(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.href;
}

function elements(nodes: readonly AnyNode[]): Element[] {
  return nodes.filter((n): n is Element => n.type === 'tag');
}

/** Attributes by lowercased name; the first of names that differ only in case wins. */
function attributes(el: Element): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(el.attribs)) out[k.toLowerCase()] ??= v;
  return out;
}

function lower(s: string): string {
  return s.toLowerCase();
}

function label(name: string): string {
  return name ? `"${name}": ` : '';
}

/**
 * `text` (a sources.json) with every source of the plan appended in order, each formatted like its
 * neighbours, then validated once. Throws CONFIG_INVALID when the result does not hold exactly the old
 * sources plus the new ones (a bug, or a file too unusual to edit: add them by hand).
 */
export function applyImport(text: string, plan: ImportPlan, path: string): string {
  let next = text;
  for (const { where: _where, ...source } of plan.add) next = insertSource(next, source, path);
  const before = parseConfig(text, path).sources.map((s) => s.id);
  const after = parseConfig(next, path).sources.map((s) => s.id);
  const expected = [...before, ...plan.add.map((s) => s.id)];
  if (JSON.stringify(after) !== JSON.stringify(expected))
    throw new FeedloomError(
      'CONFIG_INVALID',
      `import: ${path}: could not add the feeds cleanly; add them by hand`,
    );
  return next;
}
