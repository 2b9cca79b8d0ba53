// The record of what feedloom wrote into an output folder: `.feedloom-manifest.json`, beside the files
// it lists. It is what lets a later run remove the files of a source or output that is gone while
// leaving alone everything else in the folder (the user's robots.txt, their CSS, a sibling site).
//
// It lives in the output folder, not the state folder: it describes that folder's files and must
// follow them. The state folder may be deleted to start over (README), may serve several output
// folders (`--out`), and is not there at all for `serve --out`; a record kept there would be lost or
// would describe another folder. A dot file, so `feedloom serve` never serves it; it holds only the
// names and digests of files that are public anyway.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RenderedFile } from '../types.js';
import { hashOf, hashOfBytes } from '../util/hash.js';

export const MANIFEST_FILE = '.feedloom-manifest.json';

/** Bumped when the shape changes; a manifest of another version counts as none (nothing is removed). */
const MANIFEST_VERSION = 1;

export interface OutputManifest {
  /**
   * Who wrote the files: a digest of the sources file's path. Two sources files pointed at one folder
   * never remove each other's files: a run only removes what its own sources file had written.
   */
  readonly writer: string;
  /** Relative, /-separated path -> digest of the bytes written there (see contentDigest). */
  readonly files: ReadonlyMap<string, string>;
}

/** The digest a manifest keeps of a file's bytes: a file whose bytes differ was changed by someone else. */
export function contentDigest(body: string | Uint8Array): string {
  return typeof body === 'string' ? hashOf([body]) : hashOfBytes(body);
}

/** The writer id of a sources file (its absolute path), as OutputManifest.writer holds it. */
export function writerOf(configPath: string): string {
  return hashOf(['sources file', configPath], 16);
}

/**
 * The manifest in `dir`, or undefined when there is none, it cannot be read, or it is not one this
 * version wrote: a folder from a version without manifests, or a damaged one, is then treated as
 * holding nothing of ours, so nothing in it is removed.
 */
export async function readManifest(dir: string): Promise<OutputManifest | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const doc = JSON.parse(text) as unknown;
    if (!isRecord(doc) || doc['version'] !== MANIFEST_VERSION) return undefined;
    const { writer, files } = doc;
    if (typeof writer !== 'string' || !isRecord(files)) return undefined;
    const map = new Map<string, string>();
    for (const [path, digest] of Object.entries(files)) if (typeof digest === 'string') map.set(path, digest);
    return { writer, files: map };
  } catch {
    return undefined;
  }
}

/** The manifest as the file to write: keys sorted, so the same files always give the same bytes. */
export function manifestFile(manifest: OutputManifest): RenderedFile {
  const files: Record<string, string> = {};
  for (const path of [...manifest.files.keys()].sort()) files[path] = manifest.files.get(path) as string;
  const doc = {
    version: MANIFEST_VERSION,
    about: 'Files feedloom wrote here; a later run removes those it no longer writes. Do not edit.',
    writer: manifest.writer,
    files,
  };
  return { path: MANIFEST_FILE, contentType: 'application/json', body: `${JSON.stringify(doc, null, 1)}\n` };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
