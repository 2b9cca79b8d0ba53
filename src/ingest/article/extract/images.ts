// The real image behind a lazy loader. Pages ship a placeholder in `src` (a data: GIF, a blurred
// 20-pixel preview, nothing at all) and keep the real file where a script will find it: a data-*
// attribute, a srcset, or a copy of the <img> inside <noscript> for readers without scripts. AMP
// pages name theirs <amp-img>.
import type { CheerioAPI } from 'cheerio';
import * as cheerio from 'cheerio';
import type { Element } from 'domhandler';
import { largestCandidate, parseSrcset } from '../../../util/srcset.js';
import { resolveUrl } from '../../../util/url.js';

/** Lazy-loading attributes that hold the real image while `src` holds a placeholder. */
export const LAZY_SRC: readonly string[] = ['data-src', 'data-lazy-src', 'data-original'];
/** Also used for other things than images (a share or click-through address): only over a placeholder. */
export const LAZY_SRC_IF_PLACEHOLDER: readonly string[] = ['data-url'];
export const LAZY_SRCSET: readonly string[] = ['data-srcset', 'data-lazy-srcset'];
/** A `src` that only holds the place of the real image. */
const PLACEHOLDER_SRC = /^data:|placeholder|blank|spacer|lazy/i;

/**
 * Puts the real image of every <img> and <source> in its `src` and `srcset`. Call before cleaning:
 * <noscript> is removed with the scripts.
 *
 * @example
 * // <img class="lazyload" src="data:image/gif;base64,..."><noscript><img src="/media/real.jpg"></noscript>
 * revealImages($); // the first <img> now has src="/media/real.jpg"
 */
export function revealImages($: CheerioAPI): void {
  ampImages($);
  revealNoscriptImages($);
  for (const img of $('img, source').get()) useRealSource(img);
}

/** What an AMP image keeps as an <img>; `layout`, `fallback` and the like only steer the AMP runtime. */
const AMP_IMAGE_ATTRS: readonly string[] = ['src', 'srcset', 'sizes', 'width', 'height', 'alt', 'title'];

/**
 * AMP pages show pictures as <amp-img> (<amp-anim> for a GIF), which no reader knows: each becomes
 * the <img> it stands for. A fallback or placeholder inside it goes: it repeats the picture.
 */
function ampImages($: CheerioAPI): void {
  for (const el of $('amp-img, amp-anim').get()) {
    if ($(el).parents('amp-img, amp-anim').length > 0) continue;
    $(el).empty();
    el.attribs = Object.fromEntries(
      Object.entries(el.attribs).filter(([name]) => AMP_IMAGE_ATTRS.includes(name)),
    );
    el.name = 'img';
  }
}

/** Gives a placeholder <img> the source of the <img> in the <noscript> beside it. */
function revealNoscriptImages($: CheerioAPI): void {
  $('noscript').each((_, noscript) => {
    // Parsed as a browser with scripts on would: <noscript>'s content is text until parsed again.
    const real = cheerio.load($(noscript).text(), null, false)('img').get(0);
    const src = real?.attribs['src']?.trim();
    if (!real || !src) return;
    const placeholder = [$(noscript).prev('img').get(0), $(noscript).next('img').get(0)].find(
      (img): img is Element => img !== undefined && isPlaceholder(img),
    );
    if (!placeholder) return;
    placeholder.attribs['src'] = src;
    const srcset = real.attribs['srcset'];
    if (srcset?.trim()) placeholder.attribs['srcset'] = srcset;
    else delete placeholder.attribs['srcset'];
  });
}

function isPlaceholder(img: Element): boolean {
  const src = img.attribs['src']?.trim() ?? '';
  return src === '' || PLACEHOLDER_SRC.test(src);
}

/**
 * Moves the real image into `src` and `srcset` of an <img> or <source>: a lazy attribute wins over
 * `src` (a lazy loader's `src` is never the final image, however real it looks: a blurred preview
 * is a real file), and an image known only by a srcset gets its largest candidate as `src`.
 */
function useRealSource(img: Element): void {
  const attrs = isPlaceholder(img) ? [...LAZY_SRC, ...LAZY_SRC_IF_PLACEHOLDER] : LAZY_SRC;
  const lazy = attrs.map((a) => img.attribs[a]?.trim()).find((v) => v && !v.startsWith('data:'));
  if (lazy) img.attribs['src'] = lazy;
  const lazySet = LAZY_SRCSET.map((a) => img.attribs[a]).find((v) => v?.trim());
  if (lazySet && (!img.attribs['srcset']?.trim() || isPlaceholderSet(img.attribs['srcset']))) {
    img.attribs['srcset'] = lazySet;
  }
  if (img.name === 'img' && isPlaceholder(img)) {
    const largest = largestCandidate(parseSrcset(img.attribs['srcset'] ?? ''));
    if (largest) img.attribs['src'] = largest;
  }
}

function isPlaceholderSet(srcset: string | undefined): boolean {
  return parseSrcset(srcset ?? '').every((c) => PLACEHOLDER_SRC.test(c.url));
}

/** A srcset with every candidate's URL resolved against `base`, descriptors kept. */
export function absoluteSrcset(srcset: string, base: string): string {
  return parseSrcset(srcset)
    .map(({ url, descriptor }) => [resolveUrl(url, base) ?? url, descriptor].filter(Boolean).join(' '))
    .join(', ');
}
