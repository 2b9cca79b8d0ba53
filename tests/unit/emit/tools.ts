// External tools some tests lean on (xmllint, python3 + feedparser, newsboat). A test that needs one
// skips when it is missing, unless FEEDLOOM_REQUIRE_TOOLS=1: then it runs and fails, so CI that
// installs the tools cannot silently skip them. Reusable by any stage's tests.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface Tool {
  readonly name: string;
  /** Command to run, or undefined when not found. */
  readonly command?: string;
  /** True when the test should skip: missing and not required. */
  readonly skip: boolean;
}

/** FEEDLOOM_REQUIRE_TOOLS=1: missing tools fail instead of skipping. */
export const REQUIRE_TOOLS = process.env['FEEDLOOM_REQUIRE_TOOLS'] === '1';

const cache = new Map<string, Tool>();

/**
 * Finds the first candidate command for which `args` exits 0 (bounded at 10 s).
 *
 * @example
 * const xmllint = findTool('xmllint', ['xmllint'], ['--version']);
 * it.skipIf(xmllint.skip)('validates', () => { const cmd = need(xmllint); … });
 */
export function findTool(
  name: string,
  candidates: readonly string[],
  args: readonly string[],
  /** A capability some versions lack: skip when missing even under FEEDLOOM_REQUIRE_TOOLS. */
  optional = false,
): Tool {
  const hit = cache.get(name);
  if (hit) return hit;
  let command: string | undefined;
  for (const c of candidates) {
    const r = spawnSync(c, args, { stdio: 'ignore', timeout: 10_000 });
    if (r.status === 0) {
      command = c;
      break;
    }
  }
  const tool: Tool = {
    name,
    ...(command ? { command } : {}),
    skip: !command && (optional || !REQUIRE_TOOLS),
  };
  cache.set(name, tool);
  return tool;
}

/** The tool's command; throws (failing the test) when it is missing but required. */
export function need(tool: Tool): string {
  if (!tool.command)
    throw new Error(
      `${tool.name} is required (FEEDLOOM_REQUIRE_TOOLS=1) but was not found: apt-get install -y ${APT[tool.name] ?? tool.name}`,
    );
  return tool.command;
}

const APT: Record<string, string> = {
  xmllint: 'libxml2-utils',
  feedparser: 'python3-feedparser',
  newsboat: 'newsboat',
};

export const xmllint = (): Tool => findTool('xmllint', ['xmllint'], ['--version']);

/** A python3 that can import feedparser (pyenv shims may shadow the Debian one that has it). */
export const feedparser = (): Tool =>
  findTool('feedparser', ['python3', '/usr/bin/python3', 'python'], ['-c', 'import feedparser']);

/**
 * feedparser with JSON Feed support (feedparser.parsers.json, after 6.0.x; Debian 12 ships 6.0.10
 * without it). Optional: the tool is there, the feature may not be.
 */
export const feedparserJson = (): Tool =>
  findTool(
    'feedparser-json',
    ['python3', '/usr/bin/python3', 'python'],
    ['-c', 'import feedparser.parsers.json'],
    true,
  );

export const newsboat = (): Tool => findTool('newsboat', ['newsboat'], ['--version']);

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a tool without a shell, bounded at 30 s; never throws on a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): RunResult {
  const r = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: 30_000,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
  });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}

/** xmllint's verdict on a document: strict XML 1.0 well-formedness (and a RELAX NG schema if given). */
export function xmllintCheck(xml: string, relaxng?: string): RunResult {
  const args = ['--noout', '--nonet', ...(relaxng ? ['--relaxng', relaxng] : []), '-'];
  return run(need(xmllint()), args, { input: xml });
}

/** feedparser's reading of a file, as JSON: bozo, version, entries (id, title, link, summary, content). */
export function feedparserRead(path: string): {
  bozo: number;
  bozo_exception: string;
  version: string;
  entries: {
    id?: string;
    title?: string;
    link?: string;
    summary?: string;
    content?: string[];
    tags?: string[];
  }[];
} {
  const script = [
    'import sys, json, feedparser',
    'd = feedparser.parse(sys.argv[1])',
    'out = {"bozo": int(bool(d.bozo)), "bozo_exception": str(d.get("bozo_exception", "")), "version": d.version or "",',
    ' "entries": [{"id": e.get("id"), "title": e.get("title"), "link": e.get("link"), "summary": e.get("summary"),',
    '   "content": [c.value for c in e.get("content", [])], "tags": [t.term for t in e.get("tags", [])]} for e in d.entries]}',
    'print(json.dumps(out))',
  ].join('\n');
  const python = feedparserJson().command ?? need(feedparser());
  const out = execFileSync(python, ['-c', script, path], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(out);
}

/**
 * newsboat fetching the feeds listed in `<home>/urls` into `cache`, with a home of its own (no user
 * config read): resolves to what `print-unread` prints.
 */
export function newsboatReload(cmd: string, home: string, cache: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(
      cmd,
      ['-u', join(home, 'urls'), '-c', cache, '-x', 'reload', 'print-unread'],
      {
        timeout: 30_000,
        encoding: 'utf8',
        env: {
          ...process.env,
          HOME: home,
          XDG_CONFIG_HOME: join(home, '.config'),
          XDG_DATA_HOME: join(home, '.local'),
        },
      },
      (error, so, se) => (error ? reject(new Error(`newsboat: ${error.message}\n${se}`)) : resolve(so)),
    );
  });
}
