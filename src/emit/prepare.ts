// One cleaning pass between the store's Entry and every writer: XML-illegal characters stripped from
// every string, URLs parsed and re-serialized, dates checked, the "also reported by" list resolved.
// Writers then only escape; they never have to wonder whether a field is safe.
import type { Entry, OutputFormat, SiteConfig } from '../types.js';
import { stripXmlIllegal, UNTITLED } from '../util/text.js';
import type { EmitContext } from './context.js';
import { escapeAttr, escapeText } from './escape.js';
import {
  ALSO_REPORTED_LABEL,
  DEFAULT_IMAGE_TYPE,
  DISCOVERY_TYPES,
  FEED_FILES,
  FORMAT_LABELS,
  HTML_FILE,
  IMAGE_TYPES,
} from './policy.js';

export interface EmitEnclosure {
  readonly url: string;
  readonly type: string;
  readonly length?: number;
}

/** One outlet that carried a story. */
export interface EmitOutlet {
  readonly sourceId: string;
  readonly sourceTitle: string;
  readonly link?: string;
  readonly title: string;
  /** The outlet's own feed, when it is a configured `feed` source (RSS <source url>). */
  readonly feedUrl?: string;
}

/** An entry as every writer sees it: clean strings, valid URLs, valid dates. */
export interface EmitEntry {
  readonly id: string;
  readonly link?: string;
  readonly title: string;
  readonly summary: string;
  /** Item HTML (never empty) followed by the "also reported by" paragraph when there is one. */
  readonly contentHtml: string;
  readonly published: Date;
  /** `updated` when the source gave one, else `published`. */
  readonly updated: Date;
  readonly authors: readonly string[];
  readonly tags: readonly string[];
  readonly image?: EmitEnclosure;
  /** The source's own enclosures (podcast audio, video, images). */
  readonly enclosures: readonly EmitEnclosure[];
  /** The representative's outlet first, then the others. */
  readonly outlets: readonly [EmitOutlet, ...EmitOutlet[]];
}

export interface FeedLink {
  readonly format: OutputFormat;
  readonly label: string;
  readonly type: string;
  /** Absolute when `site.feedBase` is set, else relative to the output's folder. */
  readonly href: string;
  /** Only when `site.feedBase` is set: feeds must not claim a relative self link. */
  readonly absolute?: string;
  /** The file name beside index.html: a page link that works wherever output/ is served or opened. */
  readonly file: string;
}

/** Feed-level data shared by the writers. */
export interface EmitFeed {
  readonly title: string;
  readonly description?: string;
  /** The site's home page, else this output's index.html when its public URL is known. */
  readonly homeUrl?: string;
  readonly language?: string;
  readonly icon?: string;
  readonly author: { readonly name: string; readonly email?: string; readonly url?: string };
  readonly generator: string;
  /** Newest entry date; `now` for an empty feed. Never `now` otherwise, so unchanged runs write nothing. */
  readonly updated: Date;
  readonly links: readonly FeedLink[];
  /** Stable feed-level id input: the output's public URL, else site title + output name. */
  readonly idSeed: string;
  /** WebSub hub the feeds name with rel="hub" (only with absolute self links). */
  readonly hub?: string;
}

/**
 * Strips XML-illegal characters and turns CR and CRLF into LF; undefined stays undefined. XML parsers
 * normalize line ends anyway (XML 1.0 §2.11) and xml-js has no way to write `&#13;`, so doing it here
 * makes every format agree and every string round-trip.
 */
export function clean(s: string): string;
export function clean(s: string | undefined): string | undefined;
export function clean(s: string | undefined): string | undefined {
  return s === undefined ? undefined : stripXmlIllegal(s).replace(/\r\n?/g, '\n');
}

/**
 * An absolute http(s) URL as the WHATWG serializer writes it, else undefined. Serializing
 * percent-encodes `<`, `>`, `"`, spaces and controls, so the result is safe inside any attribute
 * once `&` is escaped.
 */
export function cleanUrl(s: string | undefined): string | undefined {
  if (!s) return undefined;
  try {
    const u = new URL(stripXmlIllegal(s).trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** MIME type of an image URL from its extension; DEFAULT_IMAGE_TYPE when unknown. */
export function guessImageType(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // not a URL: use the string as is
  }
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (ext && IMAGE_TYPES[ext]) || DEFAULT_IMAGE_TYPE;
}

function validDate(d: Date | undefined): Date | undefined {
  return d instanceof Date && !Number.isNaN(d.getTime()) ? d : undefined;
}

/**
 * The outlets after the first that the "Also reported by" line names: each name and link once, the
 * first outlet's counted. Two sources of one site (its main feed and a section feed) carry the same
 * page under the same name; naming it again would send the reader to the page they are reading.
 */
export function othersToName(outlets: readonly EmitOutlet[]): EmitOutlet[] {
  const named = new Set<string>();
  const out: EmitOutlet[] = [];
  outlets.forEach((o, i) => {
    const key = JSON.stringify([o.sourceTitle, o.link ?? '']);
    if (!named.has(key) && i > 0) out.push(o);
    named.add(key);
  });
  return out;
}

/** `<p>Also reported by: <a href="…">Outlet</a>, …</p>` for othersToName(outlets), or '' when none. */
export function alsoReportedHtml(outlets: readonly EmitOutlet[]): string {
  const others = othersToName(outlets);
  if (others.length === 0) return '';
  const names = others.map((o) =>
    o.link ? `<a href="${escapeAttr(o.link)}">${escapeText(o.sourceTitle)}</a>` : escapeText(o.sourceTitle),
  );
  return `<p>${escapeText(ALSO_REPORTED_LABEL)} ${names.join(', ')}</p>`;
}

/** Source id -> its feed URL, for the configured `feed` sources that have one. */
export function feedUrls(sources: EmitContext['sources']): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of sources) {
    const url = s.kind === 'feed' ? cleanUrl(s.url) : undefined;
    if (url) out.set(s.id, url);
  }
  return out;
}

/** Entry -> EmitEntry. `fallbackDate` stands in for a broken date (it never should be). */

/**
 * The entry's content as readers show it. Readers show content:encoded / atom:content when present,
 * so an empty one would hide the summary: the summary (else the title) stands in. A photo post with
 * no words shows the picture it names (its media:content) instead of "(untitled)".
 */
function bodyOf(content: string, words: string, imageUrl: string | undefined): string {
  if (content) return content;
  const picture = imageUrl ? `<p><img src="${escapeAttr(imageUrl)}" alt=""></p>` : '';
  if (picture && (!words || words === UNTITLED)) return picture;
  return `<p>${escapeText(words)}</p>${picture}`;
}

export function prepareEntry(
  entry: Entry,
  fallbackDate: Date,
  feeds: ReadonlyMap<string, string> = new Map(),
): EmitEntry {
  const item = entry.item;
  const title = clean(item.title);
  const summary = clean(item.summary);
  const published = validDate(item.published) ?? validDate(entry.firstSeen) ?? fallbackDate;
  const outlets: [EmitOutlet, ...EmitOutlet[]] = [
    {
      sourceId: clean(item.sourceId),
      sourceTitle: clean(entry.sourceTitle) || clean(item.sourceId),
      ...optional('link', cleanUrl(item.link)),
      title,
      ...optional('feedUrl', feeds.get(item.sourceId)),
    },
  ];
  const seen = new Set([item.sourceId]);
  for (const a of entry.alsoFrom) {
    // One line per outlet: a source that carried the story twice is named once.
    if (seen.has(a.sourceId)) continue;
    seen.add(a.sourceId);
    outlets.push({
      sourceId: clean(a.sourceId),
      sourceTitle: clean(a.sourceTitle) || clean(a.sourceId),
      ...optional('link', cleanUrl(a.link)),
      title: clean(a.title),
      ...optional('feedUrl', feeds.get(a.sourceId)),
    });
  }
  const imageUrl = cleanUrl(item.image);
  const body = bodyOf(clean(item.contentHtml).trim(), summary || title, imageUrl);
  const enclosures: EmitEnclosure[] = [];
  for (const e of item.enclosures) {
    const url = cleanUrl(e.url);
    if (!url || enclosures.some((x) => x.url === url)) continue;
    const type = clean(e.type)?.trim();
    enclosures.push({
      url,
      type: type && /^[\w.+-]+\/[\w.+-]+$/.test(type) ? type.toLowerCase() : 'application/octet-stream',
      ...optional(
        'length',
        e.length !== undefined && Number.isSafeInteger(e.length) && e.length >= 0 ? e.length : undefined,
      ),
    });
  }
  return {
    id: clean(entry.entryId),
    ...optional('link', cleanUrl(item.link)),
    title,
    summary,
    contentHtml: body + alsoReportedHtml(outlets),
    published,
    updated: validDate(item.updated) ?? published,
    authors: nonEmpty(item.authors.map((a) => clean(a).trim())),
    tags: nonEmpty(item.tags.map((t) => clean(t).trim())),
    ...optional('image', imageUrl ? { url: imageUrl, type: guessImageType(imageUrl) } : undefined),
    enclosures,
    outlets,
  };
}

/** Feed-level data for one output. */
export function prepareFeed(entries: readonly EmitEntry[], ctx: EmitContext): EmitFeed {
  const { site, output, prefix } = ctx;
  const at = publicUrl(site, prefix);
  const links = feedLinks(site, output.formats, prefix);
  const siteTitle = clean(site.title);
  const title = clean(output.title) || (prefix ? `${siteTitle}: ${clean(output.name)}` : siteTitle);
  const newest = entries.reduce<Date | undefined>(
    (max, e) => (!max || e.updated.getTime() > max.getTime() ? e.updated : max),
    undefined,
  );
  const author = site.author
    ? {
        name: clean(site.author.name),
        ...optional('email', emailOf(site.author.email)),
        ...optional('url', cleanUrl(site.author.url)),
      }
    : { name: siteTitle };
  const description = clean(output.description ?? site.description);
  const homeUrl = cleanUrl(site.url) ?? at(HTML_FILE);
  return {
    title,
    ...optional('description', description || undefined),
    ...optional('homeUrl', homeUrl),
    ...optional('language', clean(output.language ?? site.language)?.trim() || undefined),
    ...optional('icon', cleanUrl(output.icon ?? site.icon)),
    author,
    generator: clean(ctx.generator),
    updated: newest ?? ctx.now,
    links,
    idSeed: at('') ?? `${siteTitle}\u0000${clean(output.name)}`,
    // A hub can only be told about a feed whose public URL it can fetch.
    ...optional('hub', links.some((l) => l.absolute) ? cleanUrl(ctx.hub) : undefined),
  };
}

/**
 * The feed links of an output folder (`prefix`, '' for the root): absolute under `site.feedBase`
 * when it is set, else file names relative to that folder.
 *
 * @example
 * feedLinks({ title: 'x', feedBase: 'https://x.example/feeds/' }, ['rss'], 'asia/')[0].absolute
 * // 'https://x.example/feeds/asia/feed.xml'
 */
export function feedLinks(site: SiteConfig, formats: readonly OutputFormat[], prefix: string): FeedLink[] {
  const at = publicUrl(site, prefix);
  return [...new Set(formats)].map((format) => {
    const file = FEED_FILES[format];
    const absolute = at(file);
    return {
      format,
      label: FORMAT_LABELS[format],
      type: DISCOVERY_TYPES[format],
      href: absolute ?? file,
      ...optional('absolute', absolute),
      file,
    };
  });
}

/** `file` in the folder `prefix` as a public URL, when `site.feedBase` says where output/ is served. */
function publicUrl(site: SiteConfig, prefix: string): (file: string) => string | undefined {
  const base = feedBase(site.feedBase);
  return (file) => (base ? new URL(prefix + file, base).href : undefined);
}

/** `feedBase` with a trailing slash, so `new URL(file, base)` appends instead of replacing. */
function feedBase(s: string | undefined): string | undefined {
  const url = cleanUrl(s);
  if (!url) return undefined;
  return url.endsWith('/') ? url : `${url}/`;
}

/** An addr-spec-looking address (Atom and RSS both require one), else undefined. */
function emailOf(s: string | undefined): string | undefined {
  const e = clean(s)?.trim();
  return e && /^[^\s@<>"]+@[^\s@<>"]+$/.test(e) ? e : undefined;
}

function nonEmpty(list: readonly string[]): string[] {
  return [...new Set(list.filter((s) => s.length > 0))];
}

/** `{ key: value }` when value is defined, `{}` otherwise: keeps optional keys truly absent. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
