// The baseline issue 7 sets feedloom's cold target against: the aggregator a developer writes by hand
// in an afternoon with rss-parser and feed. It fetches every source at once, parses each body (JSON
// Feed by hand, XML with rss-parser), keeps the newest items and writes RSS 2.0, Atom and JSON Feed.
// No state, no conditional GET, no sanitizing, no normalizing, no near-dedupe: only the work every
// aggregator must do. It renders as many entries as feedloom's output limit, never more, so that the
// baseline is as fast as such a script can honestly be.
//   node bench/peer.mjs <sources.json> <output dir>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Feed } from 'feed';
import Parser from 'rss-parser';

const [configFile, outDir] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configFile, 'utf8'));
const limit = config.outputs?.[0]?.limit ?? 100;
const parser = new Parser();

async function fetchSource(source) {
  const res = await fetch(source.url);
  if (!res.ok) throw new Error(`${source.url}: HTTP ${res.status}`);
  const body = await res.text();
  if (body.trimStart().startsWith('{')) {
    const feed = JSON.parse(body);
    return feed.items.map((it) => ({
      title: it.title ?? '',
      link: it.url ?? it.id,
      date: new Date(it.date_published ?? it.date_modified ?? 0),
      content: it.content_html ?? it.content_text ?? '',
      source: feed.title,
    }));
  }
  const feed = await parser.parseString(body);
  return feed.items.map((it) => ({
    title: it.title ?? '',
    link: it.link ?? it.guid,
    date: new Date(it.isoDate ?? it.pubDate ?? 0),
    content: it['content:encoded'] ?? it.content ?? '',
    source: feed.title,
  }));
}

const perSource = await Promise.all(config.sources.map(fetchSource));
const seen = new Set();
const items = perSource
  .flat()
  .filter((it) => !seen.has(it.link) && seen.add(it.link))
  .sort((a, b) => b.date - a.date)
  .slice(0, limit);

const feed = new Feed({
  title: config.site?.title ?? 'peer',
  id: config.site?.url ?? 'http://localhost/',
  link: config.site?.url ?? 'http://localhost/',
  copyright: '',
  updated: items[0]?.date ?? new Date(0),
});
for (const it of items) {
  feed.addItem({
    title: it.title,
    id: it.link,
    link: it.link,
    date: it.date,
    content: it.content,
    author: [{ name: it.source }],
  });
}
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'feed.xml'), feed.rss2());
writeFileSync(join(outDir, 'feed.atom'), feed.atom1());
writeFileSync(join(outDir, 'feed.json'), feed.json1());
console.log(`${items.length} of ${perSource.flat().length} items from ${perSource.length} sources`);
