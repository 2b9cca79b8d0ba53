// Entity safety, checked before any XML parser sees the text. DOCTYPE entities are how the
// billion-laughs (exponential expansion) and XXE (reading local files or URLs) attacks work, and no
// real feed needs them: so a document declaring any fails fast, and a plain DOCTYPE is dropped.
import { FeedloomError } from '../../errors.js';
import { readProlog } from './prolog.js';

/**
 * Returns `text` without its DOCTYPE (newlines kept, so parser line numbers still match the source),
 * or throws PARSE_ENTITIES when the DOCTYPE declares entities.
 *
 * @example
 * stripDoctype('<!DOCTYPE rss SYSTEM "http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss/>', url);
 * // '<rss/>'
 */
export function stripDoctype(text: string, url: string): string {
  const { doctype } = readProlog(text);
  if (!doctype) return text;
  const subset = doctype.internalSubset ?? '';
  const declared = subset.match(/<!ENTITY\s/g)?.length ?? 0;
  if (declared > 0) {
    const external = subset.match(/<!ENTITY\s+(?:%\s+)?[^\s>]+\s+(?:SYSTEM|PUBLIC)\b/g)?.length ?? 0;
    const kind = external > 0 ? ` (${external} of them external SYSTEM/PUBLIC)` : '';
    throw new FeedloomError(
      'PARSE_ENTITIES',
      `ingest: ${url}: the document declares ${declared} entities in its DOCTYPE${kind}; ` +
        'feedloom never expands DOCTYPE entities nor reads external ones: ask the publisher for a feed without them',
    );
  }
  const removed = text.slice(doctype.start, doctype.end).replace(/[^\n]/g, '');
  return text.slice(0, doctype.start) + removed + text.slice(doctype.end);
}
