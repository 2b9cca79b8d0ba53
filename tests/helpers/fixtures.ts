import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
/** The shared sample material beside the repository (read-only, real-world input). */
export const SHARED_SAMPLES = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'shared',
  'samples',
);

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
