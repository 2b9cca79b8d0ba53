// The output folder checked before a command fetches anything: a file in its place or a folder this
// user cannot write would otherwise surface only at the end of a run, after every source was fetched
// and stored, as a bare EEXIST or EACCES from deep inside the writer.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { FeedloomError } from '../errors.js';

const FIX = 'or choose another folder with --out (or "output" in sources.json)';

/**
 * Throws EMIT_WRITE, saying what to change, unless `outDir` is a folder this process can write files
 * in, or a folder it can create (its nearest existing parent is a writable folder).
 *
 * @example
 * assertOutputFolder(config.outDir); // throws when /srv/feeds/output is a file
 */
export function assertOutputFolder(outDir: string): void {
  const fail = (why: string): never => {
    throw new FeedloomError('EMIT_WRITE', `output folder ${outDir}: ${why}; nothing was fetched or written`);
  };
  let existing = outDir;
  for (;;) {
    const kind = kindOf(existing);
    if (kind === 'folder') break;
    if (kind === 'unreachable') fail(`this user cannot reach ${existing}: change its permissions, ${FIX}`);
    if (kind === 'file')
      fail(
        existing === outDir
          ? `it is a file, not a folder: remove it, ${FIX}`
          : `cannot be created: ${existing} is a file, not a folder: remove it, ${FIX}`,
      );
    const parent = dirname(existing);
    if (parent === existing) fail(`cannot be created: no folder above it exists, ${FIX}`);
    existing = parent;
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    const what =
      existing === outDir ? 'this user cannot write in it' : `this user cannot create it in ${existing}`;
    fail(`${what}: change the folder's owner or permissions, ${FIX}`);
  }
}

function kindOf(path: string): 'folder' | 'file' | 'missing' | 'unreachable' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // A path through a file (ENOTDIR) is found as that file one step up.
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    return 'unreachable';
  }
}
