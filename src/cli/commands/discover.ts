import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type DiscoveredFeed,
  type Discovery,
  discoverFeeds,
  type PageSuggestion,
} from '../../pipeline/index.js';
import type { CliIO } from '../io.js';

/**
 * `example.com/blog` -> `https://example.com/blog`; a file that exists under `cwd` (`pages/news.html`)
 * -> its file: URL, rather than a request to a host named "pages"; undefined for what cannot be fetched.
 */
export function targetUrl(input: string, cwd: string): string | undefined {
  const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(input);
  if (!hasScheme && isFile(resolve(cwd, input))) return pathToFileURL(resolve(cwd, input)).href;
  const withScheme = hasScheme ? input : `https://${input}`;
  try {
    const u = new URL(withScheme);
    return ['http:', 'https:', 'file:'].includes(u.protocol) ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `feedloom discover <url>`: lists the feeds of a page with format, item count and title.
 * Exit codes: 0 at least one feed found, 1 none (or the page could not be fetched: thrown), 2 a bad URL.
 */
export async function discoverCommand(input: string, opts: { json?: boolean }, io: CliIO): Promise<number> {
  const url = targetUrl(input, io.cwd);
  if (!url) {
    io.stderr.write(`feedloom: discover: ${JSON.stringify(input)} is not an http(s) URL\n`);
    return 2;
  }
  const found = await discoverFeeds(url);
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
    return found.feeds.length > 0 ? 0 : 1;
  }
  if (found.feeds.length === 0) {
    io.stderr.write(noFeedMessage(found));
    return 1;
  }
  io.stdout.write(listing(found));
  return 0;
}

/** The table of found feeds, with a heading that says what the URL was. */
export function listing(found: Discovery): string {
  const head = found.self
    ? `${found.pageUrl} is itself a feed:`
    : `${found.feeds.length} feed${found.feeds.length === 1 ? '' : 's'} for ${found.pageUrl}:`;
  return `${head}\n${table(found.feeds)}`;
}

export function table(feeds: readonly DiscoveredFeed[]): string {
  const rows = feeds.map((f) => [
    f.format,
    `${f.items} item${f.items === 1 ? '' : 's'}`,
    f.origin,
    f.title ?? f.linkTitle ?? '(no title)',
    f.url,
  ]);
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => `  ${r.map((cell, c) => (c < 4 ? cell.padEnd(widths[c] ?? 0) : cell)).join('  ')}\n`)
    .join('');
}

/** Says what was tried and what to do instead: a page source, with selectors when some were found. */
export function noFeedMessage(found: Discovery): string {
  const advertised = found.rejected.filter((r) => r.origin === 'advertised');
  const probed = found.rejected.filter((r) => r.origin === 'common-path').length;
  const lines = [
    `feedloom: no feed found for ${found.pageUrl} (${advertised.length} advertised, ${probed} common paths tried)`,
  ];
  for (const r of advertised) lines.push(`  advertised ${r.url}: ${r.reason}`);
  lines.push(...pageHint(found.pageUrl, found.page));
  return `${lines.join('\n')}\n`;
}

export function pageHint(url: string, page: PageSuggestion | undefined): string[] {
  if (!page) {
    return [
      'Read it as a "page" source instead, with CSS selectors for its items (see "Page sources" in README.md):',
      `  { "kind": "page", "url": ${JSON.stringify(url)}, "select": { "item": "...", "title": "...", "link": "a@href" } }`,
    ];
  }
  if (!page.select) {
    return [
      `The page lists ${page.items} items (found by ${page.method}); "feedloom add" would add it as a page source:`,
      `  { "kind": "page", "url": ${JSON.stringify(url)} }`,
    ];
  }
  return [
    `These selectors find ${page.items} items on the page (${page.method}); "feedloom add" would add it as a page source:`,
    `  { "kind": "page", "url": ${JSON.stringify(url)}, "select": ${JSON.stringify(page.select)} }`,
  ];
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
