// Shared helpers for the end-to-end tests: write a sources.json into a temp project, run the real
// `feedloom` bin (dist/cli.js, built once by tests/helpers/global-setup.ts) in a child process, and
// read the outputs back: raw bytes for greps, parsed entries for assertions on decoded text.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as cheerio from 'cheerio';
import { FIXTURES } from '../helpers/fixtures.js';
import { tempDir } from '../helpers/tmp.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');
export const E2E_FIXTURES = join(FIXTURES, 'e2e');

/** feedloom's record of the files it wrote in an output folder (src/emit/manifest.ts). */
export const MANIFEST_FILE = '.feedloom-manifest.json';

/** The files every run writes for one output named "all" (feed.xsl: the browser view of the XML feeds). */
export const OUTPUT_FILES = [
  'feed.xml',
  'atom.xml',
  'feed.json',
  'feed.xsl',
  'index.html',
  'sources.opml',
  'feeds.opml',
] as const;
/** The files that carry entries (sources.opml and feeds.opml list feeds only). */
export const ENTRY_FILES = ['feed.xml', 'atom.xml', 'feed.json', 'index.html'] as const;

/** Fast failure for tests where retries and long waits do not matter (a run stays well under 60 s). */
export const FAST = {
  defaults: { timeoutMs: 3000, retries: 0 },
  fetch: { backoffBaseMs: 10 },
} as const;

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node dist/cli.js ...args` in `cwd`; never throws on a non-zero exit. Bounded at 20 s. */
export function runCli(args: readonly string[], cwd: string, timeoutMs = 20_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      // No TTY and a plain environment: the summary goes to stdout, no progress line.
      { cwd, timeout: timeoutMs, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`feedloom ${args.join(' ')}: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

export interface Project {
  readonly dir: string;
  readonly configPath: string;
  readonly outDir: string;
  readonly stateDir: string;
  /** `feedloom run --config sources.json` in the project folder. */
  run(extra?: readonly string[]): Promise<CliResult>;
  /** Rewrites sources.json. */
  configure(config: unknown): Promise<void>;
  /** Every file of output/, as bytes. */
  outputs(): Promise<Map<string, Buffer>>;
  read(file: string): Promise<string>;
  feed(): Promise<ParsedOutputs>;
}

/** A temp folder with a sources.json built from `config` (FAST merged in unless it sets its own). */
export async function project(config: Record<string, unknown>): Promise<Project> {
  const dir = await tempDir('feedloom-e2e-');
  const configPath = join(dir, 'sources.json');
  const outDir = join(dir, 'output');
  const stateDir = join(dir, '.feedloom');
  const configure = async (c: unknown): Promise<void> => {
    await writeFile(configPath, `${JSON.stringify({ ...FAST, ...(c as object) }, null, 2)}\n`);
  };
  await configure(config);
  return {
    dir,
    configPath,
    outDir,
    stateDir,
    configure,
    run: (extra = []) => runCli(['run', '--config', 'sources.json', ...extra], dir),
    outputs: () => readTree(outDir),
    read: (file) => readFile(join(outDir, file), 'utf8'),
    feed: () => parseOutputs(outDir),
  };
}

/** Every file under `dir` (recursively), keyed by its /-separated relative path. */
export async function readTree(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  const walk = async (rel: string): Promise<void> => {
    for (const d of await readdir(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) await walk(path);
      // status.json is health data, rewritten every run: not part of "unchanged output". The manifest
      // is feedloom's record of the files it wrote, not an output.
      else if (path !== 'status.json' && path !== MANIFEST_FILE)
        out.set(path, await readFile(join(dir, path)));
    }
  };
  await walk('');
  return out;
}

/** Copies fixture files (relative to tests/fixtures/e2e) into `dir`, keeping sub-folders. */
export async function copyFixtures(dir: string, files: readonly string[]): Promise<void> {
  for (const f of files) {
    await mkdir(dirname(join(dir, f)), { recursive: true });
    await copyFile(join(E2E_FIXTURES, f), join(dir, f));
  }
}

export interface FileStamp {
  readonly ino: number;
  readonly mtimeMs: number;
}

/** Inode and mtime of each output file. */
export async function stamps(dir: string, files: readonly string[]): Promise<Map<string, FileStamp>> {
  const out = new Map<string, FileStamp>();
  for (const f of files) {
    const s = await stat(join(dir, f));
    out.set(f, { ino: s.ino, mtimeMs: s.mtimeMs });
  }
  return out;
}

/** Sets atime and mtime of each file to `when`, so a rewrite (even in the same second) shows. */
export async function backdate(dir: string, files: readonly string[], when: Date): Promise<void> {
  for (const f of files) await utimes(join(dir, f), when, when);
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One entry as a format says it, decoded (entities and CDATA undone). */
export interface OutEntry {
  readonly id: string;
  readonly title: string;
  readonly link: string;
  readonly content: string;
}

export interface ParsedOutputs {
  readonly rss: OutEntry[];
  readonly atom: OutEntry[];
  readonly json: (OutEntry & { readonly raw: Record<string, unknown> })[];
  /** index.html articles: heading text and the article's inner HTML. */
  readonly html: { readonly title: string; readonly html: string }[];
}

/** Parses feed.xml, atom.xml, feed.json and index.html of an output folder into entries. */
export async function parseOutputs(outDir: string): Promise<ParsedOutputs> {
  const rss$ = cheerio.load(await readFile(join(outDir, 'feed.xml'), 'utf8'), { xml: true });
  const rss = rss$('channel > item')
    .toArray()
    .map((el) => {
      const $e = rss$(el);
      return {
        id: $e.children('guid').text(),
        title: $e.children('title').text(),
        link: $e.children('link').text(),
        content: $e.children('content\\:encoded').text() || $e.children('description').text(),
      };
    });
  const atom$ = cheerio.load(await readFile(join(outDir, 'atom.xml'), 'utf8'), { xml: true });
  const atom = atom$('feed > entry')
    .toArray()
    .map((el) => {
      const $e = atom$(el);
      return {
        id: $e.children('id').text(),
        title: $e.children('title').text(),
        link: $e.children('link[rel="alternate"], link:not([rel])').first().attr('href') ?? '',
        content: $e.children('content').text(),
      };
    });
  const doc = JSON.parse(await readFile(join(outDir, 'feed.json'), 'utf8')) as {
    items: Record<string, unknown>[];
  };
  const json = doc.items.map((raw) => ({
    id: String(raw['id']),
    title: String(raw['title'] ?? ''),
    link: String(raw['url'] ?? ''),
    content: String(raw['content_html'] ?? raw['content_text'] ?? ''),
    raw,
  }));
  const page$ = cheerio.load(await readFile(join(outDir, 'index.html'), 'utf8'));
  const html = page$('main article')
    .toArray()
    .map((el) => ({ title: page$(el).find('h2').first().text().trim(), html: page$(el).html() ?? '' }));
  return { rss, atom, json, html };
}

/** The summary row of one source: `[id, status, items, new, time...]`, split on runs of spaces. */
export function summaryRow(stdout: string, sourceId: string): string[] | undefined {
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s{2,}/))
    .find((cells) => cells[0] === sourceId);
}
