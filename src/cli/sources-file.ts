// What `add` and `import` both do before they edit sources.json: read it (or start a new one) and
// parse it, so an invalid file is refused (CONFIG_INVALID, exit 2) before any request or change.
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { NEW_SOURCES_FILE, parseConfig, readSourcesText, writeTextAtomic } from '../config/index.js';
import type { Config } from '../types.js';

export interface SourcesFile {
  readonly path: string;
  /** The file as it is on disk, or undefined when there is none yet. */
  readonly existing: string | undefined;
  /** The text to edit: the file, or the new-file template. */
  readonly text: string;
  readonly config: Config;
}

export async function openSourcesFile(cwd: string, configFlag: string): Promise<SourcesFile> {
  const path = resolve(cwd, configFlag);
  const existing = await readSourcesText(path);
  const text = existing ?? NEW_SOURCES_FILE;
  return { path, existing, text, config: parseConfig(text, path) };
}

/**
 * Replaces (or creates) the sources file atomically. A file that is created gets its folder too:
 * `add <url> --config new/sources.json` promises a file "created if missing", folder and all.
 */
export async function saveSourcesFile(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeTextAtomic(path, text);
}

/** `--tags news, tech` as a list: comma-separated, trimmed, empty ones dropped. */
export function tagList(flag: string | undefined): string[] {
  return (flag ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}
