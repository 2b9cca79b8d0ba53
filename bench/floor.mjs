// The floor under issue 7's cold target: the CPU time of the least work any aggregator of the corpus
// must do with our chosen parsers, each stage done the cheapest way a well-kept library offers, with
// no policy at all (no sanitizing rules, no dedupe, no state beyond one row per item). It answers
// "how fast could a cold run be here", which no profile of feedloom itself can.
//   node bench/floor.mjs [small|medium|large] [--runs N]
// Every stage runs in this one thread over the whole corpus and is timed by process.cpuUsage; the
// figure per stage is the median over the runs. HTTP is left out (the loopback server would run in
// this process and count too); the peers pay for it as well.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createCorpus, WORKLOADS } from './corpus.mjs';

const require = createRequire(import.meta.url);
const Parser = require('rss-parser');
const Database = require('better-sqlite3');
const { parseDocument, DomUtils } = await import('htmlparser2');

const args = process.argv.slice(2);
const workload = args.find((a) => a in WORKLOADS) ?? 'medium';
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;

const { feeds, items } = WORKLOADS[workload];
const corpus = createCorpus({ feeds, items, seed: 1, baseTime: Date.parse('2026-12-01T00:00:00Z') });
// What the server sends: each feed gzipped, as in bench/server.mjs.
const bodies = corpus.feeds.map((f) =>
  gzipSync(Buffer.from(corpus.render(f.index, 'http://127.0.0.1:8080/feeds/').body)),
);

const cpuMs = (fn) => {
  const start = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, result };
};

async function once() {
  const stages = {};
  const bytes = cpuMs(() => bodies.map((b) => gunzipSync(b)));
  stages['gunzip (zlib)'] = bytes.ms;
  const texts = cpuMs(() => bytes.result.map((b) => b.toString('utf8')));
  stages['decode UTF-8 (Buffer)'] = texts.ms;

  // rss-parser for XML, JSON.parse for JSON Feed: what bench/peer.mjs does.
  let start = process.cpuUsage();
  const parsed = [];
  for (const text of texts.result) {
    if (text.trimStart().startsWith('{')) {
      parsed.push(JSON.parse(text).items.map((it) => it.content_html ?? it.summary ?? ''));
    } else {
      const feed = await new Parser().parseString(text);
      parsed.push(feed.items.map((it) => it['content:encoded'] ?? it.content ?? ''));
    }
  }
  let used = process.cpuUsage(start);
  stages['parse feeds (rss-parser, JSON.parse)'] = (used.user + used.system) / 1000;

  // One parse and one serialization per item: the least a sanitizer must do to the content.
  const html = cpuMs(() => parsed.flat().map((h) => DomUtils.getOuterHTML(parseDocument(h))));
  stages['parse + serialize item HTML (htmlparser2)'] = html.ms;

  // One row per item, one index, batched commits in WAL mode: the least state a cold run can keep.
  const dir = mkdtempSync(join(tmpdir(), 'feedloom-floor-'));
  try {
    start = process.cpuUsage();
    const db = new Database(join(dir, 'floor.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE items (key TEXT PRIMARY KEY, html TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO items (key, html) VALUES (?, ?)');
    const rows = html.result;
    const perFeed = items;
    const batch = db.transaction((from, to) => {
      for (let i = from; i < to; i++) insert.run(`feed-item-${i}`, rows[i]);
    });
    for (let i = 0; i < rows.length; i += perFeed * 64) batch(i, Math.min(rows.length, i + perFeed * 64));
    db.close();
    used = process.cpuUsage(start);
    stages['store one row per item (better-sqlite3)'] = (used.user + used.system) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { stages, items: html.result.length };
}

const results = [];
for (let r = 0; r < runs; r++) results.push(await once());
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = Object.keys(results[0].stages);
const rows = names.map((name) => [name, median(results.map((r) => r.stages[name]))]);
const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
const mib = bodies.reduce((n, b) => n + b.length, 0) / 2 ** 20;
console.log(
  `floor, ${workload} (${feeds} x ${items}, ${results[0].items} items, ${mib.toFixed(1)} MiB gzipped)`,
);
console.log(`CPU ms, median of ${runs} runs, one thread:\n`);
console.log('| stage | CPU ms |\n|---|---:|');
for (const [name, ms] of rows) console.log(`| ${name} | ${ms.toFixed(0)} |`);
console.log(`| **total** | **${total.toFixed(0)}** |`);
console.log(
  `\nSpread perfectly over 2 cores, at least ${(total / 2000).toFixed(2)} s of wall time, before HTTP.`,
);
