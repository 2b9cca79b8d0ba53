// index.html: a readable page of the latest entries. No script, no external stylesheet or font;
// a Content-Security-Policy in a meta tag makes "no script" enforceable, not just true today.
import { createHash } from 'node:crypto';
import { rfc3339 } from './atom.js';
import { escapeAttr as a, escapeText as t } from './escape.js';
import { ALSO_REPORTED_LABEL } from './policy.js';
import type { EmitEntry, EmitFeed, FeedLink } from './prepare.js';
import { othersToName } from './prepare.js';

/** The page's only styling. System fonts, ~70ch measure, contrast above WCAG AA in both schemes. */
export const PAGE_STYLE = `
:root { color-scheme: light dark; --fg: #1a1a1a; --muted: #555; --bg: #fdfdfc; --link: #0b57b0; --rule: #ddd; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8e6; --muted: #a8a8a4; --bg: #141414; --link: #8ab8ff; --rule: #333; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 1.05rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
header, main, nav.all, footer { max-width: 70ch; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; }
/* The rule inside the padding, so it lines up with the rules between entries. */
header::after { content: ""; display: block; border-bottom: 1px solid var(--rule); }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; line-height: 1.2; }
a { color: var(--link); }
.muted, .meta { color: var(--muted); }
.feeds { display: flex; flex-wrap: wrap; gap: .35rem 1rem; padding: 0; list-style: none; }
.feeds.urls { display: block; }
.feeds.urls li { margin: .2rem 0; }
code.url { font-size: .85rem; padding: 0 .25rem; border: 1px solid var(--rule); border-radius: 3px;
  overflow-wrap: anywhere; user-select: all; -webkit-user-select: all; }
nav.all { padding-bottom: 1.5rem; }
nav.all h2 { font-size: 1.25rem; }
nav.all h3 { margin: 1rem 0 .25rem; font-size: 1.05rem; }
nav.all > ul, nav.all details ul { padding: 0; list-style: none; }
.up { margin: 0; padding-bottom: .25rem; font-size: .9rem; }
article { padding: 1rem 0; border-bottom: 1px solid var(--rule); overflow-wrap: anywhere; }
article h2 { margin: 0 0 .25rem; font-size: 1.2rem; line-height: 1.3; }
article img { float: right; width: 7rem; height: 5rem; object-fit: cover; margin: 0 0 .5rem .75rem; border-radius: 4px; }
article p { margin: .35rem 0; }
.meta { font-size: .9rem; }
article::after { content: ""; display: block; clear: both; }
footer { padding: 1rem; color: var(--muted); }
footer p { margin: 0; font-size: .85rem; }
@media (max-width: 32rem) { article img { width: 5rem; height: 3.75rem; } }
`.trim();

const STYLE_HASH = createHash('sha256').update(PAGE_STYLE).digest('base64');

/** CSP: nothing runs, nothing loads but images (thumbnails) and our one inline style, by hash. */
export const PAGE_CSP = `default-src 'none'; img-src https: http: data:; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'`;

/** One output as the root page lists it: links relative to the root folder. */
export interface ListedOutput {
  readonly title: string;
  readonly description?: string;
  /** Its index.html, relative to the root page. */
  readonly page: string;
  /** Hrefs relative to the root page; `absolute` when feedBase is set. */
  readonly links: readonly FeedLink[];
  readonly children: readonly ListedOutput[];
}

/** Where the page sits and what else it lists. */
export interface PageContext {
  /** Every output, for the root page; undefined on the other pages. */
  readonly outputs?: readonly ListedOutput[];
  /** The root page, relative to this one (`../index.html`); undefined on the root page itself. */
  readonly home?: string;
}

/**
 * The HTML page of one output. The root page (`page.outputs`) also lists every output with links to
 * its feeds and announces them all for autodiscovery.
 */
export function renderHtml(meta: EmitFeed, entries: readonly EmitEntry[], page: PageContext = {}): string {
  const lang = meta.language || 'en';
  const head = [
    '<!doctype html>',
    `<html lang="${a(lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${a(PAGE_CSP)}">`,
    `<title>${t(meta.title)}</title>`,
  ];
  if (meta.description) head.push(`<meta name="description" content="${a(meta.description)}">`);
  head.push(`<meta name="generator" content="${a(meta.generator)}">`);
  const alternate = (title: string, l: FeedLink): string =>
    `<link rel="alternate" type="${a(l.type)}" title="${a(`${title} (${l.label})`)}" href="${a(l.href)}">`;
  // This page's own feeds first: readers that take one pick the first.
  for (const l of meta.links) head.push(alternate(meta.title, l));
  for (const o of everyOutput(page.outputs ?? []))
    for (const l of o.links) if (!meta.links.some((m) => m.href === l.href)) head.push(alternate(o.title, l));
  head.push(`<style>${PAGE_STYLE}</style>`, '</head>');

  const body = ['<body>', '<header>'];
  if (page.home) body.push(`<p class="up"><a href="${a(page.home)}">All feeds</a></p>`);
  body.push(`<h1>${t(meta.title)}</h1>`);
  if (meta.description) body.push(`<p class="muted">${t(meta.description)}</p>`);
  body.push(...feedList(meta.links, (l) => l.file));
  body.push('</header>', '<main>');
  if (entries.length === 0) body.push('<p class="muted">Nothing here yet.</p>');
  for (const e of entries) body.push(article(e));
  body.push('</main>');
  if (page.outputs?.length) body.push(...outputsNav(page.outputs));
  body.push(
    // The small print sits in a <p>: a smaller font on <footer> itself would shrink its 70ch box. The
    // time is the newest entry's, not the clock's: a run with nothing new leaves the page byte for byte.
    `<footer><p>Newest entry <time datetime="${rfc3339(meta.updated)}">${t(humanDate(meta.updated))}</time> · ${t(meta.generator)}</p></footer>`,
    '</body>',
    '</html>',
    '',
  );
  return [...head, ...body].join('\n');
}

/**
 * `<ul class="feeds">`: each feed by name, and its public URL in a `<code>` that one click selects
 * whole (user-select: all) for pasting into a reader, where the URL is known. No script needed.
 */
function feedList(links: readonly FeedLink[], href: (l: FeedLink) => string): string[] {
  if (links.length === 0) return [];
  const withUrls = links.some((l) => l.absolute);
  const out = [withUrls ? '<ul class="feeds urls">' : '<ul class="feeds">'];
  for (const l of links) {
    const url = l.absolute ? ` <code class="url">${t(l.absolute)}</code>` : '';
    out.push(`<li><a href="${a(href(l))}" type="${a(l.type)}">${t(l.label)}</a>${url}</li>`);
  }
  out.push('</ul>');
  return out;
}

/** The root page's list of every output, per-source feeds folded away in a `<details>`. */
function outputsNav(outputs: readonly ListedOutput[]): string[] {
  const out = ['<nav class="all" aria-labelledby="all-feeds">', '<h2 id="all-feeds">All feeds</h2>', '<ul>'];
  for (const o of outputs) {
    out.push('<li>', `<h3><a href="${a(o.page)}">${t(o.title)}</a></h3>`);
    if (o.description) out.push(`<p class="muted">${t(o.description)}</p>`);
    out.push(...feedList(o.links, (l) => l.href));
    if (o.children.length) {
      out.push(`<details><summary>One feed per source (${o.children.length})</summary>`, '<ul>');
      for (const c of o.children) {
        const formats = c.links.map((l) => `<a href="${a(l.href)}" type="${a(l.type)}">${t(l.label)}</a>`);
        out.push(`<li><a href="${a(c.page)}">${t(c.title)}</a>: ${formats.join(' · ')}</li>`);
      }
      out.push('</ul>', '</details>');
    }
    out.push('</li>');
  }
  out.push('</ul>', '</nav>');
  return out;
}

function everyOutput(outputs: readonly ListedOutput[]): ListedOutput[] {
  return outputs.flatMap((o) => [o, ...everyOutput(o.children)]);
}

function article(e: EmitEntry): string {
  const title = e.title || e.summary.slice(0, 80) || e.link || 'Untitled';
  const out = ['<article>'];
  if (e.image)
    // alt="": the thumbnail is decorative beside the linked title; repeating the title makes screen
    // readers say it twice and shows it as text when the image cannot load.
    // no-referrer: thumbnails are hotlinked; publishers need not learn who showed them.
    out.push(
      `<img src="${a(e.image.url)}" alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer" width="112" height="80">`,
    );
  // dir="auto": each title and summary takes its own direction, so RTL text (or a stray U+202E from a
  // source) cannot reorder the text around it.
  out.push(
    e.link ? `<h2 dir="auto"><a href="${a(e.link)}">${t(title)}</a></h2>` : `<h2 dir="auto">${t(title)}</h2>`,
  );
  const [origin] = e.outlets;
  const others = othersToName(e.outlets);
  const line = [`<bdi class="source">${t(origin.sourceTitle)}</bdi>`];
  line.push(`<time datetime="${rfc3339(e.published)}">${t(humanDate(e.published))}</time>`);
  out.push(`<p class="meta">${line.join(' · ')}</p>`);
  if (e.summary) out.push(`<p dir="auto">${t(e.summary)}</p>`);
  if (others.length) {
    const names = others.map((o) =>
      o.link ? `<a href="${a(o.link)}"><bdi>${t(o.sourceTitle)}</bdi></a>` : `<bdi>${t(o.sourceTitle)}</bdi>`,
    );
    out.push(`<p class="meta also">${t(ALSO_REPORTED_LABEL)} ${names.join(', ')}</p>`);
  }
  out.push('</article>');
  return out.join('\n');
}

/** `2026-01-05 10:00 UTC`: the same on every machine and locale, so unchanged runs write nothing. */
function humanDate(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
