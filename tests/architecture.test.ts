// The import rules of DESIGN.md: stages import down the line into shared leaves, never each other;
// only pipeline wires stages, only cli drives pipeline, nothing imports cli.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
const LEAVES = ['types', 'errors', 'util'];
const ALLOWED: Record<string, readonly string[]> = {
  types: [],
  errors: [],
  util: ['types'],
  config: LEAVES,
  fetch: LEAVES,
  ingest: LEAVES,
  normalize: LEAVES,
  dedupe: LEAVES,
  store: LEAVES,
  emit: LEAVES,
  serve: LEAVES,
  pipeline: [...LEAVES, 'config', 'fetch', 'ingest', 'normalize', 'dedupe', 'store', 'emit'],
  schedule: [...LEAVES, 'config', 'pipeline', 'store'],
  cli: [...LEAVES, 'config', 'pipeline', 'schedule', 'store', 'emit', 'fetch', 'ingest', 'serve'],
  'cli.ts': ['cli'],
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** `src/fetch/http.ts` -> `fetch`; `src/types.ts` -> `types`. */
function stageOf(file: string): string {
  const rel = relative(SRC, file).split('/');
  if (rel.length === 1) return rel[0] === 'cli.ts' ? 'cli.ts' : (rel[0] ?? '').replace(/\.(ts|js)$/, '');
  return rel[0] ?? '';
}

describe('architecture', () => {
  const files = walk(SRC);

  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [relative(SRC, f), f]))('%s imports only what its stage may', (_name, file) => {
    const from = stageOf(file);
    const text = readFileSync(file, 'utf8');
    const bad: string[] = [];
    for (const m of text.matchAll(/from\s+'(\.[^']+)'/g)) {
      const target = stageOf(join(file, '..', m[1] ?? ''));
      if (target !== from && !(ALLOWED[from] ?? []).includes(target))
        bad.push(`${from} -> ${target} (${m[1]})`);
    }
    expect(bad).toEqual([]);
  });
});
