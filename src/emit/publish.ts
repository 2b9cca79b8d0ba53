// Publishing a run's files into an output folder: written atomically (write.ts), recorded in the
// folder's manifest (manifest.ts), and the files an earlier run wrote that this one no longer writes
// (a source or output removed or renamed, perSource switched off) removed, with the folders they
// leave empty. Nothing else in the folder is ever touched.
import { lstat, readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { RenderedFile, Warning } from '../types.js';
import { contentDigest, MANIFEST_FILE, manifestFile, readManifest } from './manifest.js';
import { targetOf, writeFiles } from './write.js';

export interface Published {
  /** Files written (relative paths); unchanged ones and the manifest are not listed. */
  readonly written: string[];
  /** Files of earlier runs removed because no output writes them any more. */
  readonly removed: string[];
  /** Files that could not be removed, or were left because someone changed them. */
  readonly warnings: Warning[];
}

/** Warning.sourceId of the folder's housekeeping: no source is at fault. */
export const OUTPUT_WARNING_SOURCE = 'output';

/**
 * Writes `files` under `dir` and removes what an earlier run of the same sources file (`writer`, see
 * writerOf) wrote there and this one does not: only files the manifest lists, only while their bytes
 * are still the ones feedloom wrote, and only after every new file is in place, so a failed write
 * removes nothing. A folder without a manifest (first run, or written by a version without one)
 * loses nothing.
 *
 * @example
 * const { written, removed } = await publishFiles('/srv/output', files, writerOf(config.path));
 */
export async function publishFiles(
  dir: string,
  files: readonly RenderedFile[],
  writer: string,
): Promise<Published> {
  const root = resolve(dir);
  const previous = await readManifest(root);
  const current = new Map(files.map((f) => [f.path, contentDigest(f.body)]));
  const stale = previous?.writer === writer ? [...previous.files].filter(([path]) => !current.has(path)) : [];
  // The stale files stay listed until they are gone: a run killed before removing them, or one that
  // could not, leaves them on the record for the next run to remove.
  const listed = new Map([...stale, ...current]);
  const written = await writeFiles(root, [...files, manifestFile({ writer, files: listed })]);
  const { removed, kept, warnings } = await removeStale(root, stale);
  if (kept.length < stale.length)
    await writeFiles(root, [manifestFile({ writer, files: new Map([...kept, ...current]) })]);
  return { written: written.filter((p) => p !== MANIFEST_FILE), removed, warnings };
}

/**
 * Removes each listed file that still holds the bytes feedloom wrote, then the folders that leaves
 * empty. `kept`: the files still ours and still there (their removal failed), to stay on the record.
 */
async function removeStale(
  root: string,
  stale: readonly (readonly [string, string])[],
): Promise<{ removed: string[]; kept: [string, string][]; warnings: Warning[] }> {
  const removed: string[] = [];
  const kept: [string, string][] = [];
  const warnings: Warning[] = [];
  const warn = (message: string): void => {
    warnings.push({ sourceId: OUTPUT_WARNING_SOURCE, code: 'OUTPUT_CLEANUP', message });
  };
  for (const [path, digest] of stale) {
    let target: string;
    try {
      target = targetOf(root, path);
    } catch {
      continue; // not a path feedloom writes: an edited manifest; dropped from the record
    }
    try {
      // Only regular files: feedloom never writes a folder or a link in a file's place.
      if (!(await lstat(target)).isFile()) continue;
      if (contentDigest(await readFile(target)) !== digest) {
        warn(`output: ${target} is no longer written by feedloom but was changed since; left in place`);
        continue;
      }
      await rm(target);
      removed.push(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // gone already
      kept.push([path, digest]);
      warn(
        `output: cannot remove ${target}, which feedloom no longer writes: ${(e as Error).message}; the next run tries again`,
      );
    }
  }
  for (const path of removed) await removeEmptyFolders(root, path);
  return { removed, kept, warnings };
}

/** Removes the folders of `path` from the deepest up, while they are empty; never `root` itself. */
async function removeEmptyFolders(root: string, path: string): Promise<void> {
  for (let folder = dirname(path); folder !== '.' && folder !== '/'; folder = dirname(folder)) {
    try {
      // rmdir removes only an empty folder: one holding anything of the user's stays.
      await rmdir(join(root, folder));
    } catch {
      return;
    }
  }
}
