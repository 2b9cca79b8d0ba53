// Local sources: one file, or a folder of article files. Validators come from names, sizes and mtimes,
// so an unchanged file or folder answers "not modified" without being read, as a 304 would.
import type { Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FeedloomError } from '../errors.js';
import type { FetchedDocument, Validators } from '../types.js';
import { hashOf } from '../util/hash.js';
import { decodeBody } from './decode.js';
import { ARTICLE_EXTENSIONS, LOCAL_CONTENT_TYPES } from './limits.js';

interface LocalFile {
  readonly path: string;
  readonly size: number;
  readonly mtime: Date;
}

export type LocalResult =
  | {
      readonly status: 'ok';
      /** `file:` URL of the file or folder. */
      readonly url: string;
      readonly documents: readonly FetchedDocument[];
      readonly validators: Validators;
      readonly bytes: number;
    }
  | { readonly status: 'not-modified'; readonly url: string; readonly validators: Validators };

export interface LocalRequest {
  /** Absolute path (config resolves relative ones against sources.json). */
  readonly path: string;
  /** Whether a folder is acceptable (article sources only). */
  readonly allowFolder: boolean;
  readonly maxBytes: number;
  readonly previous: Validators;
  /** Who asks, for messages: `source 'blog'`. */
  readonly label: string;
}

/**
 * Reads a local file, or every article file of a folder (.html, .htm, .txt, .md, .markdown; hidden files
 * skipped; not recursive; sorted by name), unless the validators match `previous`.
 */
export async function fetchLocal(req: LocalRequest): Promise<LocalResult> {
  const { path, label } = req;
  const top = await statOrFail(path, label);
  let files: LocalFile[];
  if (top.isDirectory()) {
    if (!req.allowFolder) {
      throw new FeedloomError(
        'FETCH_FILE',
        `fetch: ${label}: ${path} is a folder; only 'article' sources read a folder of files (point this source at one file)`,
      );
    }
    files = await listArticleFiles(path, label);
  } else {
    files = [{ path, size: top.size, mtime: top.mtime }];
  }
  const url = pathToFileURL(path).href;
  const validators = localValidators(path, files);
  // Both validators come from the same listing, so the ETag alone decides (Last-Modified has 1 s grain).
  if (req.previous.etag !== undefined && req.previous.etag === validators.etag) {
    return { status: 'not-modified', url, validators: { ...req.previous, ...validators } };
  }
  const documents: FetchedDocument[] = [];
  let bytes = 0;
  for (const f of files) {
    const body = await readCapped(f.path, req.maxBytes, label);
    bytes += body.byteLength;
    const contentType = LOCAL_CONTENT_TYPES[extname(f.path).toLowerCase()] ?? 'application/octet-stream';
    const decoded = decodeBody(body, contentType);
    documents.push({
      url: pathToFileURL(f.path).href,
      contentType,
      charset: decoded.charset,
      text: decoded.text,
      modifiedAt: f.mtime,
    });
  }
  return { status: 'ok', url, documents, validators, bytes };
}

async function statOrFail(path: string, label: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (e) {
    throw fileError(e, path, label);
  }
}

function fileError(e: unknown, path: string, label: string): FeedloomError {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new FeedloomError(
      'FETCH_FILE',
      `fetch: ${label}: no such file or folder: ${path} (check the path in sources.json; relative paths are resolved against its folder)`,
      { cause: e },
    );
  }
  const detail = e instanceof Error ? e.message : String(e);
  return new FeedloomError('FETCH_FILE', `fetch: ${label}: cannot read ${path}: ${detail}`, { cause: e });
}

async function listArticleFiles(dir: string, label: string): Promise<LocalFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw fileError(e, dir, label);
  }
  const files: LocalFile[] = [];
  // Code-unit order, not locale order: the same folder gives the same order on every machine.
  for (const name of names.sort()) {
    // Dotfiles are editor swap files, .DS_Store and the like, never articles.
    if (name.startsWith('.') || !ARTICLE_EXTENSIONS.has(extname(name).toLowerCase())) continue;
    const path = join(dir, name);
    const s = await statOrFail(path, label);
    if (s.isFile()) files.push({ path, size: s.size, mtime: s.mtime });
  }
  return files;
}

/** Validators for local content: any rename, resize or touch changes the ETag. */
export function localValidators(root: string, files: readonly LocalFile[]): Validators {
  const etag = `"local-${hashOf([root, ...files.flatMap((f) => [f.path, String(f.size), String(f.mtime.getTime())])])}"`;
  const newest = files.reduce<Date | undefined>((m, f) => (m && m >= f.mtime ? m : f.mtime), undefined);
  return newest ? { etag, lastModified: newest.toUTCString() } : { etag };
}

const READ_CHUNK = 1024 * 1024;

/** Reads at most `maxBytes`; a bigger file (even one that grew since stat) fails without being slurped. */
async function readCapped(path: string, maxBytes: number, label: string): Promise<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw fileError(e, path, label);
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw tooLargeFile(path, maxBytes, label);
    // Read to EOF rather than to `size`: the file may be growing while we read it.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(size - total, 0) + 1, READ_CHUNK));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLargeFile(path, maxBytes, label);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof FeedloomError) throw e;
    throw fileError(e, path, label);
  } finally {
    await handle.close();
  }
}

function tooLargeFile(path: string, maxBytes: number, label: string): FeedloomError {
  return new FeedloomError(
    'FETCH_TOO_LARGE',
    `fetch: ${label}: ${path} is larger than ${maxBytes} bytes (maxBytes, set per source or in defaults); raise the limit for this source if that is intended`,
  );
}
