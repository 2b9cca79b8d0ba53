// Block structure of a cleaned fragment: inline runs that an unwrapped block leaves become
// paragraphs, and rules at the edges go.
import type { AnyNode, Element } from 'domhandler';
import { Element as DomElement } from 'domhandler';
import { BLOCK_TAGS } from './allowlist.js';
import { BLANK, compact, isBlankText, isElement, relink } from './dom.js';

/**
 * Elements whose children may be paragraphs: a frame's link is wrapped in one there, and so is the
 * inline content of an unwrapped block.
 */
export const FLOW_CONTAINERS: ReadonlySet<string> = new Set([
  'article',
  'aside',
  'blockquote',
  'body',
  'center',
  'dd',
  'div',
  'figure',
  'footer',
  'header',
  'li',
  'main',
  'section',
  'td',
  'th',
]);

/** Whether `node` may hold paragraphs: at the top of the fragment or in a flow container. */
export function inFlow(node: Element): boolean {
  const parent = node.parent;
  return !parent || !isElement(parent) || FLOW_CONTAINERS.has(parent.name.toLowerCase());
}

/** Output elements that stand as blocks of their own; anything else is inline and needs a paragraph. */
function isOutputBlock(node: AnyNode): boolean {
  return isElement(node) && node.name !== 'br' && (BLOCK_TAGS.has(node.name) || MEDIA_BLOCKS.has(node.name));
}
const MEDIA_BLOCKS: ReadonlySet<string> = new Set(['video', 'audio']);

/**
 * Puts each run of inline nodes from `out[from]` on into a paragraph. An unwrapped <div> (Blogger
 * writes every line as one, page builders nest them) ended a block, and without this its words ran
 * into the next: "First line.Second line." A run of nothing but whitespace and <br> is spacing
 * between blocks, not a paragraph: it goes.
 */
export function wrapInlineRuns(out: AnyNode[], from: number): void {
  const wrapped: AnyNode[] = [];
  let run: AnyNode[] = [];
  const flush = (): void => {
    if (run.some((n) => !(n.type === 'text' ? BLANK.test(n.data) : isElement(n) && n.name === 'br'))) {
      const p = new DomElement('p', {}, []);
      relink(p, compact(trimBreaks(run), false));
      wrapped.push(p);
    }
    run = [];
  };
  for (let i = from; i < out.length; i++) {
    const node = out[i] as AnyNode;
    if (isOutputBlock(node)) {
      flush();
      wrapped.push(node);
    } else run.push(node);
  }
  flush();
  out.length = from;
  for (const node of wrapped) out.push(node);
}

/** A run without the <br>s (and blank text) at its ends: they would only pad the paragraph. */
function trimBreaks(run: AnyNode[]): AnyNode[] {
  const spacing = (n: AnyNode | undefined): boolean =>
    n !== undefined && (n.type === 'text' ? BLANK.test(n.data) : isElement(n) && n.name === 'br');
  let start = 0;
  let end = run.length;
  while (start < end && spacing(run[start])) start++;
  while (end > start && spacing(run[end - 1])) end--;
  return run.slice(start, end);
}

/**
 * The fragment without rules (<hr>) at its start or end: a rule separates, and at an edge it only
 * marks where a header or footer was (Medium's rule above its "originally published" footer).
 */
export function withoutEdgeRules(nodes: AnyNode[]): AnyNode[] {
  const edge = (n: AnyNode | undefined): boolean =>
    n !== undefined && (isBlankText(n) || (isElement(n) && n.name === 'hr'));
  let start = 0;
  let end = nodes.length;
  while (start < end && edge(nodes[start])) start++;
  while (end > start && edge(nodes[end - 1])) end--;
  return start === 0 && end === nodes.length ? nodes : nodes.slice(start, end);
}
