// Atom 1.0 (RFC 4287), written here rather than through `feed`: its Atom writer cannot be made correct.
// It hard-codes type="html" on entry titles, derives enclosure types from the file extension with no
// override (`image//img/123` for an extensionless URL, `image/jpg`, `image/svg`), passes category and
// enclosure attributes through unescaped, and carries xml-js's CDATA and `&amp;` traps (see feed.ts).
// Atom is the strict format we validate against RELAX NG, so we own its every byte.
import { createHash } from 'node:crypto';
import { escapeAttr as a, escapeText as t } from './escape.js';
import { ATOM_ID_NAMESPACE } from './policy.js';
import type { EmitEnclosure, EmitEntry, EmitFeed } from './prepare.js';
import { STYLESHEET_PI } from './xsl.js';

/**
 * Name-based (SHA-1, version 5) UUID URN of `name` (RFC 4122 §4.3).
 *
 * RFC 4287 §4.2.6: atom:id is a permanent, universally unique IRI, and readers key on it. We derive it
 * from the entry id, which never changes, under a fixed feedloom namespace: the same entry gets the
 * same atom:id on every run and every machine. A tag: URI (RFC 4151) would embed the site's host, so
 * moving the site would re-issue every id and show each story twice; `urn:feedloom:` is not a
 * registered URN namespace (RFC 8141), which strict validators flag. `urn:uuid:` is registered.
 *
 * @example
 * atomId('e-123') // 'urn:uuid:…' (always the same for 'e-123')
 */
export function atomId(name: string): string {
  const ns = Buffer.from(ATOM_ID_NAMESPACE.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50; // version 5
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const h = hash.subarray(0, 16).toString('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** RFC 3339 in UTC, whole seconds (the milliseconds are noise and some readers choke on them). */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Atom 1.0 document for the prepared entries. */
export function renderAtom(meta: EmitFeed, entries: readonly EmitEntry[]): string {
  const self = meta.links.find((l) => l.format === 'atom')?.absolute;
  const lang = meta.language ? ` xml:lang="${a(meta.language)}"` : '';
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    // The browser view (xsl.ts); RFC 4287's RELAX NG and every reader allow a PI before the root.
    STYLESHEET_PI,
    `<feed xmlns="http://www.w3.org/2005/Atom"${lang}>`,
    `  <id>${t(atomId(`feed\u0000${meta.idSeed}`))}</id>`,
    `  <title type="text">${t(meta.title)}</title>`,
  ];
  if (meta.description) out.push(`  <subtitle type="text">${t(meta.description)}</subtitle>`);
  out.push(`  <updated>${rfc3339(meta.updated)}</updated>`);
  // RFC 4287 §4.1.1: a feed without a feed-level author needs one in every entry; we always give one.
  out.push(person('author', meta.author, '  '));
  if (meta.homeUrl) out.push(`  <link rel="alternate" type="text/html" href="${a(meta.homeUrl)}"/>`);
  if (self) out.push(`  <link rel="self" type="application/atom+xml" href="${a(self)}"/>`);
  // WebSub §4: subscribers find the hub beside the self link they subscribe with.
  if (self && meta.hub) out.push(`  <link rel="hub" href="${a(meta.hub)}"/>`);
  for (const l of meta.links)
    if (l.format !== 'atom' && l.absolute)
      out.push(`  <link rel="alternate" type="${a(l.type)}" href="${a(l.absolute)}"/>`);
  out.push(`  <generator>${t(meta.generator)}</generator>`);
  if (meta.icon) out.push(`  <icon>${t(meta.icon)}</icon>`);
  for (const e of entries) out.push(entry(e));
  out.push('</feed>', '');
  return out.join('\n');
}

function entry(e: EmitEntry): string {
  const out = [
    '  <entry>',
    `    <id>${t(atomId(e.id))}</id>`,
    // Our titles are plain text: type="text" says so, and no reader decodes entities twice.
    `    <title type="text">${t(e.title)}</title>`,
    `    <updated>${rfc3339(e.updated)}</updated>`,
    `    <published>${rfc3339(e.published)}</published>`,
  ];
  for (const name of e.authors) out.push(person('author', { name }, '    '));
  if (e.link) out.push(`    <link rel="alternate" type="text/html" href="${a(e.link)}"/>`);
  const enclosures: EmitEnclosure[] = e.image ? [e.image] : [];
  for (const x of e.enclosures) if (!enclosures.some((y) => y.url === x.url)) enclosures.push(x);
  for (const x of enclosures) {
    const len = x.length !== undefined ? ` length="${x.length}"` : '';
    out.push(`    <link rel="enclosure" type="${a(x.type)}" href="${a(x.url)}"${len}/>`);
  }
  for (const tag of e.tags) out.push(`    <category term="${a(tag)}"/>`);
  out.push(...source(e.outlets[0]));
  if (e.summary) out.push(`    <summary type="text">${t(e.summary)}</summary>`);
  // type="html": the content is HTML, escaped once as text. No CDATA, so `]]>` needs no care.
  out.push(`    <content type="html">${t(e.contentHtml)}</content>`, '  </entry>');
  return out.join('\n');
}

/**
 * RFC 4287 §4.2.11: the feed an aggregated entry came from, so a reader of the combined feed can
 * tell which outlet it is reading (RSS carries <source> for the same reason).
 */
function source(outlet: EmitEntry['outlets'][number]): string[] {
  const out = ['    <source>'];
  if (outlet.feedUrl) out.push(`      <id>${t(outlet.feedUrl)}</id>`);
  out.push(`      <title type="text">${t(outlet.sourceTitle)}</title>`);
  if (outlet.feedUrl) out.push(`      <link rel="self" href="${a(outlet.feedUrl)}"/>`);
  out.push('    </source>');
  return out;
}

function person(
  tag: string,
  p: { readonly name: string; readonly email?: string; readonly url?: string },
  indent: string,
): string {
  const parts = [`${indent}<${tag}>`, `${indent}  <name>${t(p.name)}</name>`];
  if (p.url) parts.push(`${indent}  <uri>${t(p.url)}</uri>`);
  if (p.email) parts.push(`${indent}  <email>${t(p.email)}</email>`);
  parts.push(`${indent}</${tag}>`);
  return parts.join('\n');
}
