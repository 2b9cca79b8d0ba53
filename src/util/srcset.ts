// The candidates of a srcset attribute. A comma inside a URL is part of it (Cloudinary's
// "/upload/w_400,c_fill/a.jpg"): only a comma after a descriptor, or one ending a URL, separates.

export interface SrcsetCandidate {
  readonly url: string;
  /** As written: '', '640w', '2x' (checked by whoever needs it valid). */
  readonly descriptor: string;
}

/**
 * Splits a srcset into its candidates, following the HTML tokenizer (HTML §4.8.4.3.10, simplified):
 * a URL is a run of non-whitespace whose trailing commas end it; its descriptor runs to the next comma.
 *
 * @example
 * parseSrcset('/w_400,c_fill/a.jpg 400w, /w_800,c_fill/a.jpg 800w');
 * // [{ url: '/w_400,c_fill/a.jpg', descriptor: '400w' }, { url: '/w_800,c_fill/a.jpg', descriptor: '800w' }]
 */
export function parseSrcset(value: string): SrcsetCandidate[] {
  const out: SrcsetCandidate[] = [];
  let i = 0;
  const n = value.length;
  while (i < n) {
    while (i < n && (value[i] === ',' || /\s/.test(value[i] as string))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !/\s/.test(value[i] as string)) i++;
    let url = value.slice(start, i);
    let descriptor = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      const comma = value.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      descriptor = value.slice(i, end).trim();
      i = end;
    }
    if (url !== '') out.push({ url, descriptor });
  }
  return out;
}

/**
 * The URL of the largest candidate: the widest `w`, else the densest `x`; a bare URL counts as `1x`.
 *
 * @example
 * largestCandidate(parseSrcset('a.jpg 400w, b.jpg 800w')); // 'b.jpg'
 */
export function largestCandidate(candidates: readonly SrcsetCandidate[]): string | undefined {
  let best: { url: string; size: number } | undefined;
  for (const c of candidates) {
    const m = /^(\d+(?:\.\d+)?)([wx])$/.exec(c.descriptor);
    // Widths outrank densities: a 2x candidate says nothing about pixels, 800w does.
    const size = m ? Number(m[1]) * (m[2] === 'w' ? 1000 : 1) : 1;
    if (!best || size > best.size) best = { url: c.url, size };
  }
  return best?.url;
}
