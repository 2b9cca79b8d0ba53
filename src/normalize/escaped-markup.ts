// Bodies escaped twice: a generator escaped its HTML before the XML writer escaped it again, so after
// one decoding the "HTML" is text that shows its own tags ("<p>Hello</p>" on the reader's screen).
import { decodeEntities } from './sanitize.js';

/**
 * A body that holds no element at all and opens with an escaped tag of the kinds bodies open with.
 * Text that merely mentions a tag ("Use &lt;div&gt; for blocks") does not open with one, and a body
 * with any real markup was escaped once, as it should be.
 */
const ESCAPED_OPENING =
  /^\s*&lt;(?:p|div|span|a|img|br|hr|h[1-6]|ul|ol|li|table|figure|blockquote|pre|strong|em|b|i|section|article)(?:\s|\/?&gt;)/i;
const REAL_TAG = /<[a-z!/]/i;

/**
 * `html` decoded once more when it is markup escaped twice, else as it is.
 *
 * @example
 * withoutDoubleEscape('&lt;p&gt;Hello &amp;amp; bye&lt;/p&gt;') // '<p>Hello &amp; bye</p>'
 * withoutDoubleEscape('Use &lt;div&gt; for blocks') // unchanged
 */
export function withoutDoubleEscape(html: string): string {
  if (!ESCAPED_OPENING.test(html) || REAL_TAG.test(html)) return html;
  return decodeEntities(html);
}
