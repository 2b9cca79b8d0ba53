// A date a card prints as bare text beside its other parts: `<li><a>Title</a> — 3 March 2025</li>`,
// `<h2>…</h2>March 3, 2025 · 4 min read<p>…</p>`. Only the text directly inside an element is read,
// never a child element's, so a number in a headline or a summary is never taken for the date.
import type { AnyNode, Element } from 'domhandler';
import { collapseWhitespace } from '../../util/text.js';
import { readPrintedDate } from './date-format.js';

/** Marks between the parts of a meta line ("March 3, 2025 · 4 min read", "Ann | 3 March 2025"). */
const META_SEPARATOR = /(\s*(?:[|·•—–]|\s-\s)\s*)/;
/**
 * Words the other parts of a meta line hold at most ("By Jane Doe", "4 min read", "12 comments"). A
 * longer part is a sentence, and a date in a sentence ("Tickets on sale now – 14 June 2025") is what
 * the story is about, not when it was published.
 */
const META_PART_MAX_WORDS = 3;
/** Parts of a meta line read together as one date at most: "3 March 2025 | 12:30" is two. */
const MAX_DATE_PARTS = 2;

/** The text directly inside `el` (its text nodes, not its children's), whitespace collapsed. */
export function ownText(el: Element): string {
  return collapseWhitespace(
    el.children
      .filter((n) => n.type === 'text')
      .map(textData)
      .join(' '),
  );
}

/**
 * The printed date in the text directly inside `el`, as printed ("March 3, 2025"), or undefined.
 * Each text node is read as a meta line, cut at its separators (`·`, `|`, `—`, ` - `): a part that
 * readPrintedDate reads (with the time after it, when there is one) is the date, provided the other
 * parts are a few words each, not a sentence.
 *
 * @example
 * ownPrintedDate(li) // '3 March 2025' for <li><a href="/p/1">Title</a> — 3 March 2025</li>
 */
export function ownPrintedDate(el: Element): string | undefined {
  for (const node of el.children) {
    if (node.type !== 'text') continue;
    const text = collapseWhitespace(textData(node));
    if (!/\d/.test(text)) continue;
    const found = dateAmongParts(text);
    if (found) return found;
  }
  return undefined;
}

function dateAmongParts(text: string): string | undefined {
  // Odd indexes hold the separators (the split keeps them), so a run of parts reads as printed.
  const pieces = text.split(META_SEPARATOR);
  const parts = pieces.filter((_, i) => i % 2 === 0);
  for (let len = Math.min(MAX_DATE_PARTS, parts.length); len >= 1; len--) {
    for (let start = 0; start + len <= parts.length; start++) {
      const others = [...parts.slice(0, start), ...parts.slice(start + len)];
      if (others.some((p) => wordCount(p) > META_PART_MAX_WORDS)) continue;
      const run = pieces
        .slice(2 * start, 2 * (start + len) - 1)
        .join('')
        .replace(/^[\s|·•—–-]+|[\s|·•—–-]+$/g, '');
      if (run && readPrintedDate(run) !== undefined) return run;
    }
  }
  return undefined;
}

function wordCount(s: string): number {
  return s.split(/\s+/).filter(Boolean).length;
}

function textData(n: AnyNode): string {
  return (n as unknown as { data: string }).data;
}
