// index.html: a readable page of the latest entries. No script, no external stylesheet or font;
// a Content-Security-Policy in a meta tag makes "no script" enforceable, not just true today.
import { createHash } from 'node:crypto';
import { rfc3339 } from './atom.js';
import { escapeAttr as a, escapeText as t } from './escape.js';
import { ALSO_REPORTED_LABEL } from './policy.js';
import type { EmitEntry, EmitFeed } from './prepare.js';

/** The page's only styling. System fonts, ~70ch measure, contrast above WCAG AA in both schemes. */
export const PAGE_STYLE = `
:root { color-scheme: light dark; --fg: #1a1a1a; --muted: #555; --bg: #fdfdfc; --link: #0b57b0; --rule: #ddd; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8e6; --muted: #a8a8a4; --bg: #141414; --link: #8ab8ff; --rule: #333; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 1.05rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
header, main, footer { max-width: 70ch; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; border-bottom: 1px solid var(--rule); }
h1 { margin: 0 0 .25rem; font-size: 1.6rem; line-height: 1.2; }
a { color: var(--link); }
.muted, .meta { color: var(--muted); }
.feeds { display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; list-style: none; }
article { padding: 1rem 0; border-bottom: 1px solid var(--rule); overflow-wrap: anywhere; }
article h2 { margin: 0 0 .25rem; font-size: 1.2rem; line-height: 1.3; }
article img { float: right; width: 7rem; height: 5rem; object-fit: cover; margin: 0 0 .5rem .75rem; border-radius: 4px; }
article p { margin: .35rem 0; }
.meta { font-size: .9rem; }
article::after { content: ""; display: block; clear: both; }
footer { padding: 1rem; font-size: .85rem; color: var(--muted); }
@media (max-width: 32rem) { article img { width: 5rem; height: 3.75rem; } }
`.trim();

const STYLE_HASH = createHash('sha256').update(PAGE_STYLE).digest('base64');

/** CSP: nothing runs, nothing loads but images (thumbnails) and our one inline style, by hash. */
export const PAGE_CSP = `default-src 'none'; img-src https: http: data:; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; form-action 'none'`;

/** The HTML page of one output. */
export function renderHtml(meta: EmitFeed, entries: readonly EmitEntry[]): string {
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
  for (const l of meta.links)
    head.push(
      `<link rel="alternate" type="${a(l.type)}" title="${a(`${meta.title} (${l.label})`)}" href="${a(l.href)}">`,
    );
  head.push(`<style>${PAGE_STYLE}</style>`, '</head>');

  const body = ['<body>', '<header>', `<h1>${t(meta.title)}</h1>`];
  if (meta.description) body.push(`<p class="muted">${t(meta.description)}</p>`);
  if (meta.links.length) {
    body.push('<ul class="feeds">');
    for (const l of meta.links)
      body.push(`<li><a href="${a(l.file)}" type="${a(l.type)}">${t(l.label)}</a></li>`);
    body.push('</ul>');
  }
  body.push('</header>', '<main>');
  if (entries.length === 0) body.push('<p class="muted">Nothing here yet.</p>');
  for (const e of entries) body.push(article(e));
  body.push(
    '</main>',
    `<footer>Updated <time datetime="${rfc3339(meta.updated)}">${t(humanDate(meta.updated))}</time> · ${t(meta.generator)}</footer>`,
    '</body>',
    '</html>',
    '',
  );
  return [...head, ...body].join('\n');
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
  const [origin, ...others] = e.outlets;
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
