import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { applyImport, parseOpml, planImport } from '../../config/opml.js';
import type { CliIO } from '../io.js';
import { openSourcesFile, saveSourcesFile, tagList } from '../sources-file.js';

export interface ImportFlags {
  readonly config: string;
  readonly tags?: string;
  readonly dryRun?: boolean;
}

/**
 * `feedloom import <file.opml>`: adds the feeds of a reader's OPML export to sources.json, keeping the
 * file's formatting. Category folders become tags; URLs already there are skipped and listed; outlines
 * with unusable URLs are listed. With --dry-run the new file goes to stdout and the report to stderr.
 * Exit codes: 0 done (even when every feed was already there), 1 the file lists no usable feed,
 * 2 the OPML or the sources file is unreadable or invalid.
 */
export async function importCommand(file: string, flags: ImportFlags, io: CliIO): Promise<number> {
  const opmlPath = resolve(io.cwd, file);
  let opml: string;
  try {
    opml = await readFile(opmlPath, 'utf8');
  } catch (e) {
    // Not CONFIG_READ: main.ts would suggest creating a sources file, which is not what is missing.
    io.stderr.write(`feedloom: import: cannot read ${file}: ${(e as Error).message}\nNothing was added.\n`);
    return 2;
  }
  const list = parseOpml(opml, file);
  const extra = tagList(flags.tags);
  const { path, text, config } = await openSourcesFile(io.cwd, flags.config);
  const plan = planImport(list, config, extra);
  const shown = relative(io.cwd, path) || path;

  // The report goes where the user reads it: stdout normally, stderr when stdout carries the file.
  const report = flags.dryRun ? io.stderr : io.stdout;
  const lines: string[] = [];
  for (const s of plan.add)
    lines.push(`  + ${s.id}  ${s.url}${s.tags?.length ? `  [${s.tags.join(', ')}]` : ''}`);
  for (const s of plan.skipped) lines.push(`  = ${s.url}: ${s.reason} (skipped)`);
  for (const p of list.problems) lines.push(`  ! ${p.where}: ${p.message}`);

  if (list.feeds.length === 0) {
    io.stderr.write(`feedloom: import: ${file}: no feed outline with a usable xmlUrl\n${lines.join('\n')}\n`);
    io.stderr.write('Nothing was added.\n');
    return 1;
  }
  const next = plan.add.length ? applyImport(text, plan, path) : text;
  const verb = flags.dryRun ? 'would add' : 'added';
  const counts = [
    `${verb} ${plan.add.length} feed${plan.add.length === 1 ? '' : 's'} to ${shown}`,
    plan.skipped.length ? `${plan.skipped.length} skipped` : '',
    list.problems.length ? `${list.problems.length} unusable` : '',
  ].filter(Boolean);
  report.write(`${counts.join(', ')}\n${lines.length ? `${lines.join('\n')}\n` : ''}`);
  if (flags.dryRun) {
    io.stdout.write(next);
    return 0;
  }
  if (plan.add.length) await saveSourcesFile(path, next);
  return 0;
}
