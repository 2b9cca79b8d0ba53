// Near-duplicate dedupe at scale (issue 3): signatures + LSH lookups for 10k and 100k synthetic items,
// 20 % of them republished copies of earlier stories. Run after a build:
//   npx tsc -p tsconfig.build.json && node bench/dedupe.mjs [sizes...]
// Each size runs in its own child process so that peak memory (maxRSS) is that size's alone.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from './corpus.mjs';

const SELF = fileURLToPath(import.meta.url);
const REPUBLISHED = 0.2;

/** Deterministic news-like items: a skewed vocabulary (a few words very common, most rare), so that
 * different stories share common phrases as real ones do; copies are made the ways republishers do. */
function makeItems(n, seed) {
  const rand = mulberry32(seed);
  const syll = [
    'ka',
    'lo',
    'mi',
    'ne',
    'ra',
    'tu',
    'vo',
    'se',
    'di',
    'an',
    'or',
    'el',
    'ip',
    'us',
    'ter',
    'mon',
    'gal',
    'res',
  ];
  const vocab = [];
  for (let i = 0; i < 30000; i++) {
    let w = '';
    const len = 1 + Math.floor(rand() * 3);
    for (let j = 0; j < len; j++) w += syll[Math.floor(rand() * syll.length)];
    vocab.push(`${w}${i % 7 === 0 ? 's' : ''}`);
  }
  const common = [
    'the',
    'of',
    'and',
    'to',
    'a',
    'in',
    'said',
    'on',
    'that',
    'for',
    'was',
    'with',
    'he',
    'it',
    'by',
    'at',
  ];
  // Log-uniform word ranks: rank r has probability ~1/r, the shape of word frequencies in prose.
  const word = () =>
    rand() < 0.3
      ? common[Math.floor(rand() * common.length)]
      : vocab[Math.floor(Math.exp(rand() * Math.log(vocab.length))) - 1];
  const paragraph = () => {
    const words = 30 + Math.floor(rand() * 25);
    let s = '';
    for (let i = 0; i < words; i++) s += (i ? ' ' : '') + word() + (rand() < 0.08 ? ',' : '');
    return `${s[0].toUpperCase()}${s.slice(1)}.`;
  };
  const originals = [];
  const items = [];
  let copies = 0;
  for (let i = 0; i < n; i++) {
    if (originals.length > 10 && rand() < REPUBLISHED) {
      // A copy of a recent story (within the last ~2000 originals: the dedupe window).
      const o = originals[originals.length - 1 - Math.floor(rand() * Math.min(2000, originals.length))];
      const kind = Math.floor(rand() * 4);
      let paras = o.paras;
      if (kind === 0)
        paras = [
          `WASHINGTON (Reuters) — ${paras[0]}`,
          ...paras.slice(1),
          'This article originally appeared on Reuters.',
        ];
      else if (kind === 1)
        paras = [...paras.slice(0, 2), '<a href="https://x.example/?utm_source=feed">Read more</a>'];
      else if (kind === 2) paras = paras.slice(0, -1);
      else paras = paras.map((p) => p.replace(/ the /, ' a ').replace(/,/g, ''));
      items.push({
        story: o.story,
        title: `${o.title} (updated)`,
        contentHtml: paras.map((p) => `<p>${p}</p>`).join(''),
        summary: '',
      });
      copies++;
    } else {
      const paras = Array.from({ length: 3 + Math.floor(rand() * 3) }, paragraph);
      const title = Array.from({ length: 6 }, word).join(' ');
      const o = { story: i, title, paras };
      originals.push(o);
      items.push({ story: i, title, contentHtml: paras.map((p) => `<p>${p}</p>`).join('\n'), summary: '' });
    }
  }
  return { items, copies };
}

async function runOne(n) {
  const { signatureOf, findNearEntry, MemoryNearIndex, DEFAULT_NEAR_THRESHOLD } = await import(
    '../dist/dedupe/index.js'
  );
  const warm = makeItems(2000, 7);
  const wIndex = new MemoryNearIndex();
  for (const it of warm.items) wIndex.add(String(it.story), signatureOf(it));

  const { items, copies } = makeItems(n, 42);
  const words = items.reduce((s, it) => s + it.contentHtml.split(' ').length, 0);
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const index = new MemoryNearIndex();
  const entryOf = new Map();
  let joined = 0;
  let correct = 0;
  let wrong = 0;
  const opts = { threshold: DEFAULT_NEAR_THRESHOLD };
  const t0 = performance.now();
  let sigMs = 0;
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const s0 = performance.now();
    const sig = signatureOf(it);
    sigMs += performance.now() - s0;
    const found = findNearEntry(sig, index, opts);
    const entryId = found ? found.entryId : `e${i}`;
    if (found) {
      joined++;
      if (entryOf.get(entryId) === it.story) correct++;
      else wrong++;
    } else entryOf.set(entryId, it.story);
    index.add(entryId, sig);
  }
  const ms = performance.now() - t0;
  const rssAfter = process.memoryUsage().rss;
  return {
    n,
    ms,
    signatureMs: sigMs,
    itemsPerSecond: Math.round((n / ms) * 1000),
    avgWords: Math.round(words / n),
    copies,
    joined,
    correct,
    wrong,
    bands: index.size,
    rssBeforeMB: Math.round(rssBefore / 2 ** 20),
    rssAfterMB: Math.round(rssAfter / 2 ** 20),
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

const arg = process.argv.indexOf('--one');
if (arg > 0) {
  console.log(JSON.stringify(await runOne(Number(process.argv[arg + 1]))));
} else {
  const sizes = process.argv.slice(2).map(Number).filter(Boolean);
  const results = [];
  for (const n of sizes.length ? sizes : [10_000, 100_000]) {
    const out = execFileSync(process.execPath, ['--expose-gc', SELF, '--one', String(n)], {
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').pop());
    results.push(r);
    console.log(
      `dedupe ${String(n).padStart(7)} items: ${r.ms.toFixed(0).padStart(6)} ms (signatures ${r.signatureMs.toFixed(0)} ms), ` +
        `${r.itemsPerSecond} items/s, ~${r.avgWords} words/item; ` +
        `copies ${r.copies}, joined ${r.joined} (right ${r.correct}, wrong ${r.wrong}); ` +
        `rss ${r.rssBeforeMB} -> ${r.rssAfterMB} MB, peak ${r.maxRssMB} MB`,
    );
  }
  const small = results.find((r) => r.n === 10_000);
  const big = results.find((r) => r.n === 100_000);
  if (small && big) {
    console.log(
      `ratio t(100k)/t(10k) = ${(big.ms / small.ms).toFixed(2)} (linear = 10); target 100k < 2000 ms: ${big.ms < 2000 ? 'met' : 'NOT met'}`,
    );
  }
}
