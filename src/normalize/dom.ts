// Small helpers over domhandler nodes, shared by the sanitizer's walk and its block passes.
import type { AnyNode, Element, ParentNode } from 'domhandler';

export function isElement(node: AnyNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** Text that shows nothing: whitespace, NBSP, zero-width space. */
export const BLANK = /^[\s\u00A0\u200B]*$/;

/**
 * Merges neighbouring text nodes and shrinks whitespace-only runs (what is left between removed
 * blocks) to one line break. Never inside <pre>, where whitespace is content.
 */
export function compact(kids: AnyNode[], inPre: boolean): AnyNode[] {
  const out: AnyNode[] = [];
  for (const kid of kids) {
    const prev = out[out.length - 1];
    if (kid.type === 'text' && prev?.type === 'text') prev.data += kid.data;
    else out.push(kid);
  }
  if (!inPre) {
    for (const kid of out) {
      if (kid.type === 'text' && kid.data.length > 1 && /^\s+$/.test(kid.data)) {
        kid.data = kid.data.includes('\n') ? '\n' : ' ';
      }
    }
  }
  return out;
}

export function relink(parent: ParentNode, kids: AnyNode[]): void {
  parent.children = kids;
  for (let i = 0; i < kids.length; i++) {
    const kid = kids[i] as AnyNode;
    kid.parent = parent;
    kid.prev = kids[i - 1] ?? null;
    kid.next = kids[i + 1] ?? null;
  }
}

export function textOf(nodes: readonly AnyNode[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.type === 'text') out += n.data;
    else if (isElement(n)) out += textOf(n.children);
  }
  return out;
}

export const isBlankText = (n: AnyNode): boolean => n.type === 'text' && BLANK.test(n.data);
