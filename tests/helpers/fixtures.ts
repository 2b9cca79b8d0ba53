import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
/**
 * The shared sample material beside the repository (read-only, real-world input): ../shared/samples,
 * or FEEDLOOM_SHARED_SAMPLES for a clone that does not sit beside it.
 */
export const SHARED_SAMPLES =
  process.env['FEEDLOOM_SHARED_SAMPLES'] ??
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'samples');

/** The path of a shared sample; fails saying where it was looked for and how to point elsewhere. */
export function sharedSample(name: string): string {
  const path = join(SHARED_SAMPLES, name);
  if (!existsSync(path))
    throw new Error(
      `shared sample ${path} is missing: clone the repository beside shared/, or set FEEDLOOM_SHARED_SAMPLES to the samples folder`,
    );
  return path;
}

export function fixturePath(rel: string): string {
  return join(FIXTURES, rel);
}

export function readFixture(rel: string): string {
  return readFileSync(fixturePath(rel), 'utf8');
}

export function readFixtureBytes(rel: string): Buffer {
  return readFileSync(fixturePath(rel));
}

/** Fixture files in a folder, sidecars (`.headers.json`, `.expected.*`) left out. */
export function listFixtures(folder: string): string[] {
  return readdirSync(fixturePath(folder))
    .filter((f) => !f.endsWith('.headers.json') && !f.includes('.expected.'))
    .sort();
}
