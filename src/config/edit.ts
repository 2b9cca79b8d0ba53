// Adding a source to sources.json as a person would: the new element goes before the closing `]` of
// "sources", in the style of the elements already there, and not one other byte of the file changes.
// Re-serializing the parsed JSON would be simpler, but it would reorder nothing and still lose the
// user's indentation, inline arrays and line endings, and make `git diff` show the whole file.
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FeedloomError } from '../errors.js';
import type { Config, Location, PageSelectors } from '../types.js';
import { parseConfig } from './load.js';

/** A source as `add` writes it; keys are written in this order. */
export interface NewSource {
  readonly id: string;
  readonly kind: 'feed' | 'page';
  readonly url: string;
  readonly title?: string;
  readonly tags?: readonly string[];
  readonly select?: PageSelectors;
}

/** What a new sources.json holds when `add` creates one. */
export const NEW_SOURCES_FILE = '{\n  "sources": []\n}\n';

/**
 * Returns `text` with `source` appended to its "sources" array, formatted like its neighbours.
 * The result is validated with parseConfig (CONFIG_INVALID if it fails, which would be a bug here).
 *
 * @example
 * insertSource('{\n  "sources": []\n}\n', { id: 'blog', kind: 'feed', url: 'https://x.example/feed' }, 'sources.json');
 * // '{\n  "sources": [\n    {\n      "id": "blog",\n ...
 */
export function insertSource(text: string, source: NewSource, path: string): string {
  const value = sourceObject(source);
  const array = findSourcesArray(text, path);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const style = styleOf(text, array);
  let insertion: string;
  let at: number;
  const last = array.elements.at(-1);
  if (last) {
    // Copy the separator the file already uses between elements, else derive it from the layout.
    const between =
      array.elements.length > 1 ? text.slice(array.elements.at(-2)?.end, last.start) : undefined;
    const onOwnLines = /\n/.test(text.slice(array.open, array.elements[0]?.start));
    const separator =
      between !== undefined && /^\s*,\s*$/.test(between)
        ? between
        : onOwnLines
          ? `,${eol}${style.elementIndent}`
          : style.comma;
    insertion = `${separator}${format(value, style, style.elementIndent, eol)}`;
    at = last.end;
  } else if (style.multiLine) {
    const inner = text.slice(array.open + 1, array.close);
    // `[\n  ]`: keep what stood before `]` (its line's indentation) and put the element above it.
    const closing = /\r?\n([ \t]*)$/.exec(inner)?.[1] ?? style.keyIndent;
    insertion = `${eol}${style.elementIndent}${format(value, style, style.elementIndent, eol)}${eol}${closing}`;
    return `${text.slice(0, array.open + 1)}${insertion}${text.slice(array.close)}`;
  } else {
    insertion = format(value, style, '', eol);
    return `${text.slice(0, array.open + 1)}${insertion}${text.slice(array.close)}`;
  }
  return `${text.slice(0, at)}${insertion}${text.slice(at)}`;
}

/**
 * Inserts, checks that the file still says what it said plus the one source, validates and returns
 * the new text. Throws CONFIG_INVALID naming the file when anything does not add up.
 */
export function addSourceToText(text: string, source: NewSource, path: string): string {
  const before = parseJson(text, path);
  const next = insertSource(text, source, path);
  const after = parseJson(next, path) as { sources?: unknown[] };
  const expected = {
    ...(before as object),
    sources: [...((before as { sources: unknown[] }).sources ?? []), sourceObject(source)],
  };
  if (JSON.stringify(after) !== JSON.stringify(expected)) {
    throw new FeedloomError(
      'CONFIG_INVALID',
      `config: ${path}: could not insert the new source cleanly; add it by hand`,
    );
  }
  parseConfig(next, path);
  return next;
}

/** Why `source` cannot be added to `config` (its id or URL is already there), or undefined. */
export function sourceConflict(
  config: Config,
  source: Pick<NewSource, 'id' | 'url'>,
  alsoUrls: readonly string[] = [],
): string | undefined {
  const byId = config.sources.findIndex((s) => s.id === source.id);
  if (byId >= 0) return `the id "${source.id}" is already used by sources[${byId}]`;
  const wanted = new Set([source.url, ...alsoUrls].map(sameUrlKey));
  // A file: URL is resolved to a path (resolve.ts), as a "path" source is: compare them as paths.
  const keyOf = (l: Location): string =>
    'url' in l ? sameUrlKey(l.url) : sameUrlKey(pathToFileURL(l.path).href);
  const byUrl = config.sources.findIndex((s) => wanted.has(keyOf(s.location)));
  if (byUrl >= 0) {
    const s = config.sources[byUrl];
    const where = s ? ('url' in s.location ? s.location.url : s.location.path) : source.url;
    return `sources[${byUrl}] ("${s?.id}") already reads ${where}`;
  }
  return undefined;
}

/** The id config would derive for a source with this URL and no "id" (host and path). */
export function derivedSourceId(url: string): string {
  const config = parseConfig(JSON.stringify({ sources: [{ kind: 'feed', url }] }), 'sources.json');
  return config.sources[0]?.id ?? 'source';
}

/** A short id from the URL's host: `https://www.example.com/feed` -> `example.com`. */
export function hostSourceId(url: string): string {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return derivedSourceId(url);
  }
  const id = host.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+|-+$/g, '');
  return id || derivedSourceId(url);
}

/**
 * Writes `text` to `path` atomically: a temp file in the same folder, then a rename, so a crash or a
 * concurrent `run` never sees half a file. Keeps the old file's permissions.
 */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let mode: number | undefined;
  try {
    mode = (await stat(path)).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  try {
    await writeFile(tmp, text, { encoding: 'utf8', flag: 'wx' });
    if (mode !== undefined) await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new FeedloomError('CONFIG_READ', `config: ${path}: could not write: ${(e as Error).message}`, {
      cause: e,
    });
  }
}

/** The text of sources.json, or undefined when there is no such file. */
export async function readSourcesText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new FeedloomError('CONFIG_READ', `config: ${path}: ${(e as Error).message}`, { cause: e });
  }
}

// --- locating "sources" --------------------------------------------------------------------------

interface Span {
  readonly start: number;
  readonly end: number;
}
interface SourcesArray {
  /** Offsets of `[` and `]`. */
  readonly open: number;
  readonly close: number;
  /** Start of the line holding the "sources" key. */
  readonly keyLineStart: number;
  readonly elements: readonly Span[];
}

/** Finds the top-level "sources" array and the spans of its elements, by scanning the JSON text. */
function findSourcesArray(text: string, path: string): SourcesArray {
  parseJson(text, path);
  const s = new Scanner(text);
  s.skipWs();
  if (text[s.pos] !== '{') throw notObject(path);
  s.pos++;
  for (;;) {
    s.skipWs();
    if (text[s.pos] === '}') break;
    const keyStart = s.pos;
    const key = JSON.parse(text.slice(keyStart, s.skipString())) as string;
    s.skipWs();
    s.pos++; // ':'
    s.skipWs();
    if (key === 'sources' && text[s.pos] === '[') {
      const open = s.pos;
      s.pos++;
      const elements: Span[] = [];
      for (;;) {
        s.skipWs();
        if (text[s.pos] === ']') break;
        const start = s.pos;
        s.skipValue();
        elements.push({ start, end: s.pos });
        s.skipWs();
        if (text[s.pos] === ',') s.pos++;
      }
      return { open, close: s.pos, keyLineStart: text.lastIndexOf('\n', keyStart) + 1, elements };
    }
    s.skipValue();
    s.skipWs();
    if (text[s.pos] === ',') s.pos++;
  }
  throw new FeedloomError(
    'CONFIG_INVALID',
    `config: ${path}: no "sources" list to add to: add "sources": [] at the top level`,
  );
}

/** Just enough of a JSON reader to step over values; the text is known to be valid JSON. */
class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  skipWs(): void {
    while (/[ \t\r\n\uFEFF]/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  /** Steps over a string starting at `pos`; returns the offset after its closing quote. */
  skipString(): number {
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '\\') this.pos += 2;
      else if (c === '"') return ++this.pos;
      else this.pos++;
    }
    return this.pos;
  }

  skipValue(): void {
    const c = this.text[this.pos];
    if (c === '"') {
      this.skipString();
      return;
    }
    if (c === '{' || c === '[') {
      let depth = 0;
      while (this.pos < this.text.length) {
        const d = this.text[this.pos];
        if (d === '"') {
          this.skipString();
          continue;
        }
        if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') depth--;
        this.pos++;
        if (depth === 0) return;
      }
      return;
    }
    // number, true, false, null
    while (this.pos < this.text.length && !/[\s,\]}]/.test(this.text[this.pos] ?? '')) this.pos++;
  }
}

// --- formatting like the neighbours --------------------------------------------------------------

interface Style {
  /** Elements (and the objects inside them) go on lines of their own. */
  readonly multiLine: boolean;
  readonly keyIndent: string;
  readonly elementIndent: string;
  /** One level of indentation inside an element. */
  readonly unit: string;
  /** `": "` or `":"`. */
  readonly colon: string;
  /** `{ "a": 1 }` rather than `{"a": 1}` for single-line objects. */
  readonly padBraces: boolean;
  /** Arrays of strings (tags) written on one line. */
  readonly inlineArrays: boolean;
  /** Between the parts of a one-line object or array: `", "`, or `","` in a minified file. */
  readonly comma: string;
}

function styleOf(text: string, array: SourcesArray): Style {
  const keyIndent = /^[ \t]*/.exec(text.slice(array.keyLineStart))?.[0] ?? '';
  const body = text.slice(array.open, array.close + 1);
  const whole = text.includes('\n');
  const first = array.elements[0];
  const colon = /"\s*:( ?)/.exec(first ? text.slice(first.start, first.end) : text)?.[1] === '' ? ':' : ': ';
  const comma = colon === ':' ? ',' : ', ';
  if (!first) {
    // No element to copy: one level deeper than the key, the key's own indentation being one level.
    const unit = keyIndent || (whole ? '  ' : '');
    return {
      multiLine: whole,
      keyIndent,
      elementIndent: keyIndent + unit,
      unit,
      colon,
      padBraces: /\{ "/.test(text),
      inlineArrays: !whole,
      comma,
    };
  }
  const element = text.slice(first.start, first.end);
  const lineStart = text.lastIndexOf('\n', first.start) + 1;
  const before = text.slice(lineStart, first.start);
  const elementIndent = /^[ \t]*$/.test(before) ? before : '';
  const multiLine = element.includes('\n');
  const propIndent = /\n([ \t]*)"/.exec(element)?.[1];
  const unit =
    propIndent?.startsWith(elementIndent) && propIndent.length > elementIndent.length
      ? propIndent.slice(elementIndent.length)
      : keyIndent || '  ';
  return {
    multiLine,
    keyIndent,
    elementIndent,
    unit,
    colon,
    padBraces: /^\{ /.test(element),
    // A hand-written file keeps `"tags": ["a", "b"]` on one line; JSON.stringify(x, null, 2) does not.
    inlineArrays: !/"\s*:\s*\[\s*\r?\n/.test(body),
    comma,
  };
}

type Json = string | number | boolean | null | readonly Json[] | { readonly [k: string]: Json };

function format(value: Json, style: Style, indent: string, eol: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = (value as readonly Json[]).map((v) => format(v, style, indent + style.unit, eol));
    if (items.length === 0) return '[]';
    if (!style.multiLine || style.inlineArrays) return `[${items.join(style.comma)}]`;
    return `[${eol}${items.map((i) => `${indent}${style.unit}${i}`).join(`,${eol}`)}${eol}${indent}]`;
  }
  const entries = Object.entries(value as { readonly [k: string]: Json }).map(
    ([k, v]) => `${JSON.stringify(k)}${style.colon}${format(v, style, indent + style.unit, eol)}`,
  );
  if (entries.length === 0) return '{}';
  if (!style.multiLine) {
    return style.padBraces ? `{ ${entries.join(style.comma)} }` : `{${entries.join(style.comma)}}`;
  }
  const inner = entries.map((e) => `${indent}${style.unit}${e}`).join(`,${eol}`);
  return `{${eol}${inner}${eol}${indent}}`;
}

function sourceObject(source: NewSource): { readonly [k: string]: Json } {
  return {
    id: source.id,
    kind: source.kind,
    url: source.url,
    ...(source.title ? { title: source.title } : {}),
    ...(source.tags?.length ? { tags: [...source.tags] } : {}),
    ...(source.select ? { select: { ...source.select } } : {}),
  };
}

/** `https://Example.com/feed#x` and `https://example.com/feed` are the same source. */
function sameUrlKey(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    return u.href;
  } catch {
    return url;
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    const json: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw notObject(path);
    return json;
  } catch (e) {
    if (e instanceof FeedloomError) throw e;
    throw new FeedloomError(
      'CONFIG_INVALID',
      `config: ${path}: not valid JSON (${(e as Error).message}): fix it first, then add`,
      { cause: e },
    );
  }
}

function notObject(path: string): FeedloomError {
  return new FeedloomError('CONFIG_INVALID', `config: ${path}: expected a JSON object with a "sources" list`);
}
