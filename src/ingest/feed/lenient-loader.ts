// The lenient reader and the cheerio view of a feed loaded on first need. Both use cheerio, a quarter
// of a content worker's start-up, and a well-formed feed without markup in its items (most feeds)
// needs neither: strict parsing is rss-parser's.
export type LenientReader = typeof import('./lenient.js');

let loaded: LenientReader | undefined;

/** Thrown by lenientReader() before loadLenientReader() has run: the caller loads it and tries again. */
export class LenientReaderNotLoaded extends Error {
  constructor() {
    super('the lenient feed reader is not loaded yet');
  }
}

export async function loadLenientReader(): Promise<LenientReader> {
  loaded ??= await import('./lenient.js');
  return loaded;
}

/** The lenient reader if it is loaded; throws LenientReaderNotLoaded otherwise (sync callers). */
export function lenientReader(): LenientReader {
  if (!loaded) throw new LenientReaderNotLoaded();
  return loaded;
}
