import { selectorsSchema } from '../../config/index.js';
import { isFeedloomError } from '../../errors.js';
import { type PagePreview, previewPage } from '../../pipeline/index.js';
import type { PageSelectors } from '../../types.js';
import type { CliIO } from '../io.js';
import { targetUrl } from './discover.js';

/** Items listed in the text output; --json has them all. */
export const PREVIEW_SHOWN = 10;

/** What each detection method read, for a user deciding whether to trust it. */
const METHOD_NOTES: Readonly<Record<NonNullable<PagePreview['method']>, string>> = {
  select: 'the selectors given',
  'json-ld': 'JSON-LD: the items the page lists in its <script type="application/ld+json">',
  'h-entry': 'h-entry microformats',
  article: '<article> elements with a heading link',
  'repeated-blocks': 'repeated blocks of heading + link',
};

/**
 * `feedloom preview <url> [--select JSON] [--json]`: shows what a page source would read from a page.
 * Exit codes: 0 items found, 1 none (or the page could not be fetched: thrown), 2 a bad argument.
 */
export async function previewCommand(
  input: string,
  opts: { select?: string; json?: boolean },
  io: CliIO,
): Promise<number> {
  const url = targetUrl(input, io.cwd);
  if (!url) return refuse(io, `${JSON.stringify(input)} is not an http(s) URL`);
  let select: PageSelectors | undefined;
  if (opts.select !== undefined) {
    const parsed = parseSelect(opts.select);
    if (typeof parsed === 'string') return refuse(io, `--select: ${parsed}`);
    select = parsed;
  }
  let preview: PagePreview;
  try {
    preview = await previewPage(url, select ? { select } : {});
  } catch (e) {
    // A selector that is not CSS is the user's argument, not the page's fault.
    if (isFeedloomError(e) && e.code === 'PARSE_PAGE') return refuse(io, e.message);
    throw e;
  }
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(preview, null, 2)}\n`);
    return preview.items.length > 0 ? 0 : 1;
  }
  if (preview.items.length === 0) {
    io.stderr.write(nothingFound(preview));
    return 1;
  }
  io.stdout.write(report(preview));
  return 0;
}

/** `--select` as JSON, checked like sources.json checks it; a string says what is wrong. */
export function parseSelect(text: string): PageSelectors | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return `not valid JSON (${(e as Error).message}); quote it: --select '{"item":".post","title":"h2","link":"h2 a@href"}'`;
  }
  const result = selectorsSchema.safeParse(json);
  if (result.success) return result.data;
  return result.error.issues
    .map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`)
    .join('; ');
}

/** The text report: method, selectors, the first items, and the sources.json entry that reads them. */
export function report(p: PagePreview): string {
  const lines: string[] = [];
  lines.push(`${p.url}${p.title ? ` "${p.title}"` : ''}`);
  const how = p.method ? METHOD_NOTES[p.method] : 'nothing';
  lines.push(
    `${p.items.length} item${p.items.length === 1 ? '' : 's'} found by ${p.method ?? 'nothing'} (${how})`,
  );
  if (p.incomplete > 0) lines.push(`${p.incomplete} more matched but had no title or no link`);
  if (p.method !== 'select') {
    lines.push(
      p.select
        ? `suggested selectors: ${JSON.stringify(p.select)}`
        : 'no selectors needed: a page source without "select" reads these items on every run',
    );
    const others = p.candidates.slice(1);
    if (others.length > 0)
      lines.push(`also found: ${others.map((c) => `${c.method} (${c.items} items)`).join(', ')}`);
  }
  if (p.next) lines.push(`next page: ${p.next}`);
  lines.push('');
  p.items.slice(0, PREVIEW_SHOWN).forEach((item, i) => {
    lines.push(`${String(i + 1).padStart(3)}. ${item.title}`);
    lines.push(`     ${item.link}`);
    const date = item.published ?? (item.rawDate ? unreadDate(item.rawDate) : 'no date');
    lines.push(`     ${date}`);
  });
  if (p.items.length > PREVIEW_SHOWN)
    lines.push(`     ... and ${p.items.length - PREVIEW_SHOWN} more (--json lists all)`);
  for (const w of p.warnings) lines.push(`warning: ${w.message}`);
  lines.push('', 'In sources.json:', `  ${JSON.stringify(entry(p))}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Dates printed relative to now ("2 hours ago", "gestern", "il y a 2 jours"): no pattern reads them,
 * so asking for a dateFormat would send the user after nothing.
 */
const RELATIVE_DATE =
  /\b(?:ago|yesterday|today|just now|gestern|heute|vorgestern|hier|aujourd'hui|ayer|hoy|ieri|oggi|gisteren|vandaag|ontem|hoje)\b|^(?:vor|il y a|hace|fa|geleden)\b|\b(?:fa|geleden|atrás)$|^\d+\s*(?:s|m|h|d|w|min|mins|hr|hrs)$/i;

/** What preview says of a date it could not read. */
function unreadDate(raw: string): string {
  return RELATIVE_DATE.test(raw.trim())
    ? `relative date ${JSON.stringify(raw)}: the time a run first sees the item is used`
    : `unreadable date ${JSON.stringify(raw)}: add "dateFormat"`;
}

/** Selectors pin what a run reads; without any (JSON-LD) the source detects its items on each run. */
function entry(p: PagePreview): Record<string, unknown> {
  return { kind: 'page', url: p.url, ...(p.select ? { select: p.select } : {}) };
}

/**
 * Why nothing was found and what to do instead: the feed the page links, an `article` source for a
 * page that is one story, or selectors. Never "run preview": the warnings that say so are for `run`.
 */
function nothingFound(p: PagePreview): string {
  const lines = [
    p.method === 'select'
      ? `feedloom: preview: the selectors found no items with a title and a link on ${p.url}`
      : `feedloom: preview: no list of items found on ${p.url} (tried JSON-LD, h-entry, <article> and repeated blocks)`,
  ];
  if (p.incomplete > 0)
    lines.push(`  ${p.incomplete} matched "item" but had no title or no link: check "title" and "link"`);
  for (const w of p.warnings) {
    if (w.code === 'PAGE_NO_LISTING') continue;
    if (w.code === 'PAGE_NO_MATCH') lines.push(`  "item" ${JSON.stringify(p.select?.item)} matched nothing`);
    else lines.push(`  ${w.message}`);
  }
  const feeds = p.feeds ?? [];
  if (feeds.length > 0) {
    lines.push(
      `The page links ${feeds.length === 1 ? 'a feed' : `${feeds.length} feeds`} (more reliable than scraping the page): ${feeds.slice(0, 3).join(', ')}`,
      `  feedloom discover ${p.url}     (lists them with their items; "feedloom add ${p.url}" adds the best)`,
    );
  }
  if (p.story) {
    lines.push(
      'The page looks like a single story, not a list of them; to follow just this page, add it as an article source:',
      `  ${JSON.stringify({ kind: 'article', url: p.url })}`,
    );
  }
  lines.push(
    `${feeds.length > 0 || p.story ? 'If it does list stories, give' : 'Give'} selectors for the items (see "Page sources" in README.md), for example:`,
    `  feedloom preview ${p.url} --select '{"item":".post","title":"h2","link":"h2 a@href","date":"time@datetime"}'`,
  );
  return `${lines.join('\n')}\n`;
}

function refuse(io: CliIO, message: string): number {
  io.stderr.write(`feedloom: preview: ${message}\n`);
  return 2;
}
