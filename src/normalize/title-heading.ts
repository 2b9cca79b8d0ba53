// Content that opens with the item's own title as a heading (Blogger, many CMS templates, copies
// of a page's <h1>): a reader shows the title above the content, so the heading says it twice, and
// the summary made from the text would start with it too.
import { htmlToText, type Sanitized } from './sanitize.js';
import { fingerprintText } from './text.js';

/** A heading first in sanitized HTML (h1 is already h2 there; attributes are allowlisted ones). */
const LEADING_HEADING = /^\s*<h([2-6])(?:\s[^>]*)?>([\s\S]*?)<\/h\1>\s*/;

/**
 * `content` without a first heading that reads the same as `title` (case, punctuation and spacing
 * aside), from its HTML and from the start of its text. Content that is nothing but the heading
 * keeps it.
 *
 * @example
 * withoutTitleHeading(sanitize('<h1>Hello</h1><p>Body</p>', base), 'Hello').html // '<p>Body</p>'
 */
export function withoutTitleHeading(content: Sanitized, title: string): Sanitized {
  const m = LEADING_HEADING.exec(content.html);
  if (!m) return content;
  const rest = content.html.slice(m[0].length);
  const key = fingerprintText(title);
  const headingText = htmlToText(m[2] ?? '');
  if (!key || !rest || fingerprintText(headingText) !== key) return content;
  // The text opens with the heading's text, then the ". " or " " that ends a block.
  const text = content.text.startsWith(headingText)
    ? content.text.slice(headingText.length).replace(/^\.?\s*/, '')
    : content.text;
  return { ...content, html: rest, text };
}
