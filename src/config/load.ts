import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type * as z from 'zod';
import { FeedloomError } from '../errors.js';
import type { Config } from '../types.js';
import { formatIssue } from './format.js';
import { jsonErrorOffset } from './json-error.js';
import { duplicateIdProblems, type Overrides, resolveConfig } from './resolve.js';
import { configSchema } from './schema.js';

/**
 * Reads and validates sources.json. Throws CONFIG_READ or CONFIG_INVALID with every problem, each
 * named by its JSON path, so a user fixes them all in one go.
 * @example
 * const config = loadConfig('sources.json', { outDir: 'public' });
 */
export function loadConfig(path: string, overrides: Overrides = {}): Config {
  const abs = resolve(path);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? `a folder, not a file: name the sources file in it, as ${join(abs, 'sources.json')}`
          : (e as Error).message;
    throw new FeedloomError('CONFIG_READ', `config: ${abs}: ${reason}`, { cause: e });
  }
  return parseConfig(text, abs, overrides);
}

/** Validates the text of a sources.json found at `path` (used for relative paths and messages). */
export function parseConfig(text: string, path: string, overrides: Overrides = {}): Config {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    // V8 quotes the text around the error, line breaks and all: one problem stays one line.
    const said = (e as Error).message.replace(/\s+/g, ' ').trim();
    const problem = `${jsonErrorPlace(text, (e as Error).message)}: not valid JSON: ${said}`;
    throw invalid(path, [problem]);
  }
  const parsed = configSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    // resolve.ts finds duplicate ids only once the schema passes; list them now too, or the user
    // fixes every line shown and then meets one more problem.
    throw invalid(path, [
      ...parsed.error.issues.flatMap((i) => formatIssue(i, knownKeys).split('\n')),
      ...duplicateIds(json),
    ]);
  }
  const { config, problems } = resolveConfig(parsed.data, path, overrides);
  if (problems.length) throw invalid(path, problems);
  return config;
}

/** Duplicate explicit ids, read from the raw JSON when the schema failed and resolve never ran. */
function duplicateIds(json: unknown): string[] {
  const sources = (json as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(sources)) return [];
  return duplicateIdProblems(
    sources.map((s: unknown) => {
      const id = (s as { id?: unknown } | null)?.id;
      return { id: typeof id === 'string' ? id : undefined, derived: false };
    }),
  );
}

function invalid(path: string, problems: string[]): FeedloomError {
  const head = `config: ${path}: ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}`;
  return new FeedloomError('CONFIG_INVALID', `${head}\n${problems.map((p) => `  ${p}`).join('\n')}`, {
    problems,
  });
}

/** V8 reports "at position N" (and on newer versions "line L column C"); a person wants the line. */
function jsonErrorPlace(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  const pos = m ? Number(m[1]) : jsonErrorOffset(text);
  if (pos === undefined) return '(top level)';
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/** The keys the schema knows at a path, for "did you mean" hints on typos. */
function knownKeys(path: readonly PropertyKey[]): readonly string[] {
  let node: z.core.$ZodType | undefined = configSchema;
  for (const part of path) {
    node = unwrap(node);
    const def: z.core.$ZodTypeDef | undefined = node?._zod.def;
    if (def?.type === 'array' && typeof part === 'number') node = (def as z.core.$ZodArrayDef).element;
    else if (def?.type === 'object') node = (def as z.core.$ZodObjectDef).shape[String(part)];
    else return [];
  }
  const def = unwrap(node)?._zod.def;
  return def?.type === 'object' ? Object.keys((def as z.core.$ZodObjectDef).shape) : [];
}

function unwrap(node: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let n = node;
  while (n && (n._zod.def.type === 'optional' || n._zod.def.type === 'default')) {
    n = (n._zod.def as z.core.$ZodOptionalDef).innerType;
  }
  return n;
}
