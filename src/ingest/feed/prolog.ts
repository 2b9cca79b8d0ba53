// Reads what stands before the root element of an XML document: BOM, whitespace, the XML declaration,
// processing instructions, comments and the DOCTYPE. Linear in the prolog's length and never
// interprets a DOCTYPE, so it is safe to run on hostile input before any parser sees it.

export interface Doctype {
  readonly start: number;
  readonly end: number;
  /** The text between `[` and `]`, when the DOCTYPE has an internal subset. */
  readonly internalSubset?: string;
}

export interface Prolog {
  readonly doctype?: Doctype;
  /** Offset of the first character that is not prolog (`<` of the root, or anything unexpected). */
  readonly rootStart: number;
}

/** Skips BOM, whitespace, `<?...?>`, `<!--...-->` and `<!DOCTYPE ...>`; reports where the DOCTYPE is. */
export function readProlog(text: string): Prolog {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let doctype: Doctype | undefined;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return { doctype, rootStart: i };
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return { doctype, rootStart: i };
      i = end + 3;
    } else if (text.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
      const found = scanDoctype(text, i);
      if (!found) return { doctype, rootStart: i };
      doctype = found;
      i = found.end;
    } else {
      return { doctype, rootStart: i };
    }
  }
}

// A DOCTYPE ends at the first `>` outside quotes and outside its `[...]` internal subset.
function scanDoctype(text: string, start: number): Doctype | undefined {
  let quote = '';
  let subsetStart = -1;
  let subsetEnd = -1;
  for (let i = start + 9; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '[' && subsetStart < 0) {
      subsetStart = i + 1;
    } else if (c === ']' && subsetStart >= 0 && subsetEnd < 0) {
      subsetEnd = i;
    } else if (c === '>' && (subsetStart < 0 || subsetEnd >= 0)) {
      return {
        start,
        end: i + 1,
        ...(subsetStart >= 0 ? { internalSubset: text.slice(subsetStart, subsetEnd) } : {}),
      };
    } else if (c === '<' && subsetStart >= 0 && subsetEnd < 0 && text.startsWith('<!--', i)) {
      // Comments inside the subset may hold quotes or brackets: jump over them.
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return undefined;
      i = end + 2;
    }
  }
  return undefined;
}

/** Name and raw attribute text of the start tag at `at`, or undefined when none is there. */
export function readStartTag(text: string, at: number): { name: string; attrs: string } | undefined {
  const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(
    text.slice(at, at + 4096),
  );
  if (!m) return undefined;
  return { name: m[1] ?? '', attrs: m[2] ?? '' };
}

/** Attributes of a start tag's raw attribute text, as written (entities not decoded). */
export function parseAttrs(attrs: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of attrs.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    out.set(m[1] ?? '', m[2] ?? m[3] ?? '');
  }
  return out;
}
