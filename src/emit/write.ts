// Atomic, change-only writes: readers and static servers never see half a file, and an unchanged file
// keeps its bytes and its mtime (so Last-Modified and ETag-by-mtime servers answer 304).
import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { FeedloomError } from '../errors.js';
import type { RenderedFile } from '../types.js';

/**
 * Writes the files under `dir`, each through a temporary file in its own folder and a rename, skipping
 * any whose bytes on disk are already the same. Returns the relative paths actually written.
 * Every path is checked before anything is written: one bad path writes nothing.
 *
 * Two steps: every temporary file is written and flushed first, and only then renamed over its
 * target. A full disk (ENOSPC), a file-size limit (EFBIG) or a failing device stops the first step,
 * which removes its temporary files and leaves every output as it was: never a new feed.xml beside
 * an old atom.xml.
 *
 * @example
 * await writeFiles('/srv/output', renderOutput(entries, ctx)) // ['feed.xml', 'index.html']
 */
export async function writeFiles(dir: string, files: readonly RenderedFile[]): Promise<string[]> {
  const root = resolve(dir);
  const targets = files.map((f) => ({ file: f, target: targetOf(root, f.path) }));
  const staged: { path: string; temp: string; target: string }[] = [];
  try {
    for (const { file, target } of targets) {
      const bytes = Buffer.from(file.body, 'utf8');
      if (await sameBytes(target, bytes)) continue;
      staged.push({ path: file.path, temp: await writeTemp(root, target, bytes), target });
    }
  } catch (e) {
    await removeTemps(staged.map((s) => s.temp));
    throw e;
  }
  for (const [i, s] of staged.entries()) {
    try {
      await rename(s.temp, s.target);
    } catch (e) {
      // Renames need no space; this is a permission or device fault. The files before it are in place.
      await removeTemps(staged.slice(i).map((t) => t.temp));
      throw writeError(
        root,
        s.target,
        'rename over target',
        e,
        staged.slice(0, i).map((t) => t.path),
      );
    }
  }
  return staged.map((s) => s.path);
}

async function removeTemps(temps: readonly string[]): Promise<void> {
  for (const t of temps) await rm(t, { force: true }).catch(() => undefined);
}

/** The names atomicWrite gives its temporary files: `.<file>.<pid>.<12 hex>.tmp`. */
const TEMP_FILE = /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/;

/**
 * Removes temporary files that a killed writer left in `dir` and its subfolders. Call it only while
 * holding the run lock, when no other writer can be mid-write. Returns the relative paths removed.
 */
export async function sweepTempFiles(dir: string): Promise<string[]> {
  const root = resolve(dir);
  const removed: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(join(root, rel), { withFileTypes: true });
    } catch {
      return; // no output yet
    }
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path);
      else if (e.isFile() && TEMP_FILE.test(e.name)) {
        await rm(join(root, path), { force: true });
        removed.push(path);
      }
    }
  };
  await walk('');
  return removed;
}

/** Absolute target inside `root`, or EMIT_WRITE for a path that is empty, absolute or climbs out. */
export function targetOf(root: string, path: string): string {
  const bad = (why: string): FeedloomError =>
    new FeedloomError('EMIT_WRITE', `emit: refusing to write ${JSON.stringify(path)}: ${why}`);
  if (!path || path.includes('\0')) throw bad('empty path or NUL byte');
  // Backslashes and drive letters are absolute or separators on Windows; RenderedFile paths use '/'.
  if (isAbsolute(path) || path.startsWith('/') || path.includes('\\') || /^[a-zA-Z]:/.test(path))
    throw bad('paths must be relative and /-separated');
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..'))
    throw bad('empty, "." or ".." segment: the path must stay inside the output folder');
  const target = join(root, ...segments);
  const rel = relative(root, target);
  if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw bad('outside the output folder');
  return target;
}

async function sameBytes(target: string, bytes: Buffer): Promise<boolean> {
  try {
    return (await readFile(target)).equals(bytes);
  } catch {
    // Missing or unreadable: write it; a real problem surfaces from the write itself.
    return false;
  }
}

/** Writes and flushes `bytes` to a new temporary file beside `target`; returns its path. */
async function writeTemp(root: string, target: string, bytes: Buffer): Promise<string> {
  const folder = dirname(target);
  // Same folder as the target: rename(2) is atomic only within one file system.
  const temp = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let step = 'create folder';
  try {
    await mkdir(folder, { recursive: true });
    step = 'write temporary file';
    // 'wx': never follow or clobber something already at the temp name.
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(bytes);
      // Flush before the rename, or a crash can leave the new name pointing at an empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    return temp;
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw writeError(root, target, step, e, []);
  }
}

/**
 * EMIT_WRITE naming the file, the step and the OS error (its errno code, such as ENOSPC or EFBIG,
 * leads Node's message), and saying what was left in place.
 */
function writeError(
  root: string,
  target: string,
  step: string,
  e: unknown,
  renamed: readonly string[],
): FeedloomError {
  const os = e instanceof Error ? e.message : String(e);
  const left = renamed.length
    ? `only ${renamed.join(', ')} were replaced in ${root}`
    : `the files in ${root} were left as they were`;
  return new FeedloomError('EMIT_WRITE', `emit: cannot write ${target} (${step}): ${os}; ${left}`, {
    cause: e,
  });
}
