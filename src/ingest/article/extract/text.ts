// The text of a block as a reader sees it: one line per paragraph, heading, list item or table
// row, words never glued across block boundaries ("end.</p><p>Start" is "end.\nStart").
import type { AnyNode } from 'domhandler';
import { isElement } from './clean.js';
import { BLOCK_TAGS } from './score.js';

/** Cells of a row are separated by a tab, so the row stays one line. */
const CELL_TAGS: ReadonlySet<string> = new Set(['td', 'th']);

/**
 * Plain text of nodes, a line per block.
 *
 * @example
 * blockText($('article').get()); // 'Heading\nFirst paragraph.\nSecond paragraph.'
 */
export function blockText(nodes: readonly AnyNode[]): string {
  const parts: string[] = [];
  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      parts.push(node.data);
      return;
    }
    if (!isElement(node)) return;
    if (node.name === 'br') {
      parts.push('\n');
      return;
    }
    if (node.name === 'script' || node.name === 'style') return;
    const block = BLOCK_TAGS.has(node.name);
    const cell = CELL_TAGS.has(node.name);
    if (block && !cell) parts.push('\n');
    for (const c of node.children) walk(c);
    if (cell) parts.push('\t');
    else if (block) parts.push('\n');
  };
  for (const n of nodes) walk(n);
  return parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\r\f\v\u00A0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}
