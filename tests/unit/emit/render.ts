// Renders one output from hand-built entries and hands back each file's body by name.

import type { EmitContext } from '../../../src/emit/index.js';
import { renderOutput } from '../../../src/emit/index.js';
import type { Entry } from '../../../src/types.js';
import { stripXmlIllegal } from '../../../src/util/text.js';
import { makeContext } from './make-entry.js';

export function render(
  entries: readonly Entry[],
  ctx: Partial<EmitContext> = {},
): { rss: string; atom: string; json: string; html: string } {
  const c = makeContext(ctx);
  const files = new Map(renderOutput(entries, c).map((f) => [f.path.slice(c.prefix.length), f.body]));
  return {
    rss: files.get('feed.xml') ?? '',
    atom: files.get('atom.xml') ?? '',
    json: files.get('feed.json') ?? '',
    html: files.get('index.html') ?? '',
  };
}

/** What any string becomes in every output: XML-illegal characters gone, CR/CRLF as LF. */
export function cleaned(s: string): string {
  return stripXmlIllegal(s).replace(/\r\n?/g, '\n');
}
