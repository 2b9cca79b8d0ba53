// RawItem → Item: the one place where what a source said becomes something safe to publish.
// Pure and deterministic given ctx.now: same input, same Item, same hashes.
import type { Enclosure, Item, RawItem, SourceMeta } from '../types.js';
import { hashOf } from '../util/hash.js';
import { authorNames } from './authors.js';
import { resolveDates } from './dates.js';
import { withoutDoubleEscape } from './escaped-markup.js';
import { sanitize } from './sanitize.js';
import {
  authorName,
  fingerprintOf,
  plainText,
  summaryFromText,
  textToHtml,
  titleFromText,
  uniqueText,
  withoutPublisher,
} from './text.js';
import { withoutTitleHeading } from './title-heading.js';
import { absoluteHttpUrl, canonicalLink } from './urls.js';

// Source tags are deliberately not an input: Item.tags are what the story says about itself
// (published as categories), while source tags are config for choosing outputs, and editing
// sources.json must not make every stored item look changed.
export interface NormalizeContext {
  now(): Date;
}

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif)$/i;
const MIME = /^[a-z]+\/[a-z0-9.+-]+$/i;

function nonBlank(s: string | undefined): string | undefined {
  return s?.trim() ? s : undefined;
}

const UNPLAYABLE_TYPES: ReadonlySet<string> = new Set([
  'application/x-shockwave-flash',
  'application/futuresplash',
]);

function cleanEnclosures(raw: readonly Enclosure[], base: string | undefined): Enclosure[] {
  const seen = new Set<string>();
  const out: Enclosure[] = [];
  for (const e of raw) {
    const url = absoluteHttpUrl(e.url, base);
    if (!url || seen.has(url)) continue;
    seen.add(url);
    const type = e.type?.trim().toLowerCase();
    // Flash players (YouTube's feeds still list one per video) play nowhere any more: not an attachment.
    if (type && UNPLAYABLE_TYPES.has(type)) continue;
    const length = e.length;
    out.push({
      url,
      ...(type && MIME.test(type) ? { type } : {}),
      ...(length !== undefined && Number.isSafeInteger(length) && length >= 0 ? { length } : {}),
    });
  }
  return out;
}

function isImageEnclosure(e: Enclosure): boolean {
  if (e.type) return e.type.startsWith('image/');
  try {
    return IMAGE_EXTENSION.test(new URL(e.url).pathname);
  } catch {
    return false;
  }
}

/**
 * The stable key of an item within its source: the guid, else the canonical link, else `fallback`
 * (title and date). The source id is part of it, so two sources never share a key.
 *
 * @example
 * itemKey('wire', undefined, 'https://x.example/a?utm_source=rss#top', 'A title') ===
 *   itemKey('wire', undefined, 'https://x.example/a', 'another title') // true
 */
export function itemKey(
  sourceId: string,
  guid: string | undefined,
  link: string | undefined,
  fallback: string,
): string {
  const id = guid?.trim() || canonicalLink(link) || fallback;
  return hashOf([sourceId, id]);
}

/**
 * Turns what a source said into a clean, complete, safe Item (see the rules in sanitize.ts, urls.ts,
 * text.ts and dates.ts). One parse of the content per item.
 *
 * @example
 * const item = normalize(raw, { now: () => fetchedAt });
 */
export function normalize(raw: RawItem, ctx: NormalizeContext): Item {
  const base = raw.baseUrl || undefined;
  const rawSummary = raw.summary === undefined ? undefined : withoutDoubleEscape(raw.summary);
  const given = nonBlank(raw.html);
  const html =
    (given && withoutDoubleEscape(given)) ??
    (nonBlank(raw.text) ? textToHtml(raw.text ?? '') : (rawSummary ?? ''));
  const ownTitle = withoutPublisher(plainText(raw.title, raw.titleIsHtml), raw.publisher);
  const content = withoutTitleHeading(sanitize(html, base), ownTitle);

  const dates = resolveDates(raw.published, raw.updated, ctx.now());
  const guid = raw.guid?.trim() || undefined;
  // A guid is not a link: ingest made it the link where the format says it is one (an RSS guid
  // without isPermaLink="false", an Atom or JSON Feed id that is a web address).
  const link = absoluteHttpUrl(raw.link, base) ?? '';

  const summaryText = plainText(rawSummary);
  const title = ownTitle || titleFromText(summaryText || content.text);
  // Link texts are headlines (this item's own, other outlets' coverage of it) or "Comments": a
  // summary of them would repeat the title or read as a jumble. The content keeps the links.
  const summary = summaryFromText(summaryText || (content.onlyLinks ? '' : content.text));
  const authors = uniqueText(bylineOf(raw));
  const tags = uniqueText(raw.categories.map((c) => plainText(c)));
  const enclosures = cleanEnclosures(raw.enclosures, base);
  const ownImage = absoluteHttpUrl(raw.image, base);
  const enclosureImage = enclosures.find(isImageEnclosure)?.url;
  // A declared thumbnail under 100 px (a GitHub author's 30-pixel avatar) is no picture of the item:
  // as its image, readers blow it up into a blurry hero and attach it as the enclosure.
  const image = (raw.imageIsTiny ? undefined : ownImage) ?? enclosureImage ?? content.firstImage;

  const fingerprint = fingerprintOf(`${title} ${content.text}`);
  // A guessed date is the time we first looked: it must not make the key or hash differ between runs.
  const publishedIso = dates.publishedGuessed ? '' : dates.published.toISOString();
  const key = itemKey(raw.sourceId, guid, link, `${title}\n${publishedIso || fingerprint}`);
  const contentHash = hashOf([
    guid,
    title,
    link,
    content.html,
    summary,
    publishedIso,
    dates.updated?.toISOString(),
    authors.join('\n'),
    tags.join('\n'),
    image,
    enclosures.map((e) => `${e.url} ${e.type ?? ''} ${e.length ?? ''}`).join('\n'),
  ]);

  return {
    key,
    sourceId: raw.sourceId,
    ...(guid ? { guid } : {}),
    link,
    title,
    contentHtml: content.html,
    summary,
    published: dates.published,
    publishedGuessed: dates.publishedGuessed,
    ...(dates.updated ? { updated: dates.updated } : {}),
    authors,
    tags,
    ...(image ? { image } : {}),
    enclosures,
    contentHash,
    fingerprint,
  };
}

/**
 * The item's authors. A lone author field may list several people (arXiv's dc:creator). A source
 * that gives one field per author (a repository's "García Márquez, Gabriel José") does not pack lists
 * into them. A publisher credit ("Source: Voice of America", og:site_name, RSS <source>) is the only
 * byline some items have (without it the outputs drop what ingest found), and it is one name however
 * many commas it has ("Smith, Jones & Partners").
 */
function bylineOf(raw: RawItem): string[] {
  const [only, ...more] = raw.authors;
  if (only === undefined) return raw.publisher ? [authorName(raw.publisher)] : [];
  return more.length === 0 ? authorNames(only) : raw.authors.map(authorName);
}

/**
 * A source's name as it names itself, in plain text like an item's title: "Blog &lt;3" from an Atom
 * title of type html is "Blog <3", and NBSP runs collapse. Undefined when nothing is left.
 *
 * @example
 * sourceTitle({ title: 'News &amp;amp; Views', format: 'rss2' }) // 'News &amp; Views'
 */
export function sourceTitle(meta: SourceMeta): string | undefined {
  return plainText(meta.title, meta.titleIsHtml) || undefined;
}

export { canonicalLink } from './urls.js';
