// Near-duplicate dedupe at scale (issue 3): signatures + LSH lookups for 10k and 100k synthetic items,
// 20 % of them republished copies of earlier stories. Run after a build:
//   npx tsc -p tsconfig.build.json && node bench/dedupe.mjs [sizes...]
// Each size runs in its own child process so that peak memory (maxRSS) is that size's alone.
// Two modes per size: "1 thread" (signatures and index on the main thread, one after the other per
// item) and "pool" (signatures computed in chunks by one worker thread per spare core while the main
// thread indexes and scores the chunks already done; the main thread signs a chunk itself whenever the
// one it must index next is not back yet, so both cores stay busy). Pool mode is dedupe alone given
// a spare core; a feedloom run signs in its main thread, as its content worker is the busier one. The
// pool's time is the honest wall time of the whole, item generation excluded; its "signatures" is
// the wall time until the last chunk's signatures arrived, "index" the main thread's own work.
//   node bench/dedupe.mjs [sizes...] [--mode single|pool] [--runs 3]
// Each (mode, size) runs --runs times, each in a fresh child: the figures are medians, with the range,
// as this VM's speed drifts by tens of percent between one run and the next.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { mulberry32 } from './corpus.mjs';

const SELF = fileURLToPath(import.meta.url);
const REPUBLISHED = 0.2;

/** Deterministic news-like items: a skewed vocabulary (a few words very common, most rare), so that
 * different stories share common phrases as real ones do; copies are made the ways republishers do. */
export function makeItems(n, seed) {
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

/** Items sent to a worker per message: big enough that messaging costs little, small enough to overlap. */
const CHUNK = 2000;
/**
 * Chunks a worker holds at once: with two, it went idle whenever the main thread was busy signing a
 * chunk of its own and had not yet read the results in (BENCH_DEBUG showed chunks arriving in pairs).
 */
const IN_FLIGHT = 4;

/**
 * Signatures packed for postMessage: per signature [shingleCount, sketch length, sketch...] in one
 * transferred Uint32Array (not the MinHash: the index needs only its bands, and scoring the sketch), their LSH bands in one transferred Float64Array (computed where the
 * signature is), title words in one string. Structured clone of 2000 signature objects (arrays,
 * views, strings) cost the main thread more than indexing them.
 */
function pack(sigs) {
  let size = 0;
  let bandCount = 0;
  for (const s of sigs) {
    size += 2 + s.sketch.length;
    bandCount += 1 + s.bands.length;
  }
  const out = new Uint32Array(size);
  const bands = new Float64Array(bandCount);
  let o = 0;
  let b = 0;
  for (const s of sigs) {
    out[o++] = s.shingleCount;
    out[o++] = s.sketch.length;
    out.set(s.sketch, o);
    o += s.sketch.length;
    bands[b++] = s.bands.length;
    for (const band of s.bands) bands[b++] = band;
  }
  return { data: out, bands, titles: sigs.map((s) => s.titleTokens.join(' ')).join('\n') };
}

function unpack({ data, bands, titles }) {
  const words = titles.split('\n');
  const sigs = [];
  for (let o = 0, b = 0, k = 0; o < data.length; k++) {
    const shingleCount = data[o++];
    const sketchLength = data[o++];
    const sketch = data.subarray(o, o + sketchLength);
    o += sketchLength;
    const bandCount = bands[b++];
    const sigBands = Array.from(bands.subarray(b, b + bandCount));
    b += bandCount;
    const t = words[k];
    sigs.push({ bands: sigBands, shingleCount, sketch, titleTokens: t ? t.split(' ') : [] });
  }
  return sigs;
}

/**
 * Worker side of the pool. Each worker makes the run's items itself, from the same seed, before the
 * clock starts: copying 100k items' text to a worker cost the main thread more than indexing them.
 * It then signs the chunks it is sent and posts them back packed in one transferred buffer.
 */
async function serveSignatures() {
  const { signatureOf } = await import('../dist/dedupe/index.js');
  let items = [];
  parentPort.on('message', ({ id, make }) => {
    if (make) {
      items = makeItems(make.n, make.seed).items;
      parentPort.postMessage({ made: true });
      return;
    }
    const t0 = performance.now();
    const packed = pack(items.slice(id * CHUNK, (id + 1) * CHUNK).map((it) => signatureOf(it)));
    parentPort.postMessage({ id, packed, ms: performance.now() - t0 }, [
      packed.data.buffer,
      packed.bands.buffer,
    ]);
  });
  parentPort.postMessage({ ready: true });
}

async function runOne(n, mode) {
  const { signatureOf, findNearEntry, MemoryNearIndex, MAX_PER_BAND, DEFAULT_NEAR_THRESHOLD } = await import(
    '../dist/dedupe/index.js'
  );
  const warm = makeItems(2000, 7);
  // A pipeline keeps its pool for the whole run: starting it (and its warm-up) is not dedupe time.
  const pool = [];
  if (mode === 'pool') {
    for (let k = 0; k < Math.max(1, availableParallelism() - 1); k++) {
      const w = new Worker(SELF, { workerData: 'signatures' });
      await new Promise((resolve) => w.once('message', resolve));
      // Warmed like the main thread is (the JIT has seen the code), as a pipeline's pool is after its first batches.
      const reply = () => new Promise((resolve) => w.once('message', resolve));
      w.postMessage({ make: { n: 2000, seed: 7 } });
      await reply();
      for (let r = 0; r < 3; r++) {
        w.postMessage({ id: 0 });
        await reply();
      }
      w.postMessage({ make: { n, seed: 42 } });
      pool.push({ w, made: reply() });
    }
  }
  const wIndex = new MemoryNearIndex();
  for (const it of warm.items) wIndex.add(String(it.story), signatureOf(it));

  const { items, copies } = makeItems(n, 42);
  for (const { made } of pool) await made;
  const workerOf = pool.map(({ w }) => w);
  const words = items.reduce((s, it) => s + it.contentHtml.split(' ').length, 0);
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  // Sized for n items, as the store's band table is sized for the window it loads.
  const index = new MemoryNearIndex(MAX_PER_BAND, n);
  const entryOf = new Map();
  let joined = 0;
  let correct = 0;
  let wrong = 0;
  const opts = { threshold: DEFAULT_NEAR_THRESHOLD };
  const t0 = performance.now();
  let sigMs = 0;
  let indexMs = 0;
  const place = (i, sig) => {
    const it = items[i];
    const found = findNearEntry(sig, index, opts);
    const entryId = found ? found.entryId : `e${i}`;
    if (found) {
      joined++;
      if (entryOf.get(entryId) === it.story) correct++;
      else wrong++;
    } else entryOf.set(entryId, it.story);
    index.add(entryId, sig);
  };
  let workers = 0;
  let mainSigned = 0;
  if (mode === 'pool') {
    workers = workerOf.length;
    const chunks = Math.ceil(items.length / CHUNK);
    /** Signatures by chunk, from a worker (packed) or from the main thread itself. */
    const done = new Map();
    const inFlight = new Map(workerOf.map((w) => [w, 0]));
    let arrived;
    for (const w of workerOf)
      w.on('message', (m) => {
        inFlight.set(w, inFlight.get(w) - 1);
        done.set(m.id, unpack(m.packed));
        if (process.env.BENCH_DEBUG)
          console.error(`chunk ${m.id} ${m.ms.toFixed(0)} ms at ${(performance.now() - t0).toFixed(0)}`);
        arrived?.();
      });
    // Workers take chunks from the front, two in flight each so that none waits for the main thread;
    // the main thread takes them from the back while the chunk it must index next is not back yet.
    let front = 0;
    let back = chunks;
    const feed = () => {
      for (const w of workerOf)
        while (front < back && inFlight.get(w) < IN_FLIGHT) {
          inFlight.set(w, inFlight.get(w) + 1);
          w.postMessage({ id: front++ });
        }
    };
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    feed();
    for (let c = 0; c < chunks; c++) {
      while (!done.has(c)) {
        await tick(); // let finished chunks in before deciding to sign one here
        if (done.has(c)) break;
        if (front < back) {
          const own = --back;
          done.set(
            own,
            items.slice(own * CHUNK, (own + 1) * CHUNK).map((it) => signatureOf(it)),
          );
          mainSigned++;
        } else await new Promise((resolve) => (arrived = resolve));
        feed();
      }
      const sigs = done.get(c);
      done.delete(c);
      if (c === chunks - 1) sigMs = performance.now() - t0;
      feed();
      const s0 = performance.now();
      for (let k = 0; k < sigs.length; k++) place(c * CHUNK + k, sigs[k]);
      indexMs += performance.now() - s0;
    }
    await Promise.all(workerOf.map((w) => w.terminate()));
  } else {
    for (let i = 0; i < items.length; i++) {
      const s0 = performance.now();
      const sig = signatureOf(items[i]);
      const s1 = performance.now();
      sigMs += s1 - s0;
      place(i, sig);
      indexMs += performance.now() - s1;
    }
  }
  const ms = performance.now() - t0;
  const rssAfter = process.memoryUsage().rss;
  return {
    n,
    mode,
    workers,
    mainSigned,
    ms,
    signatureMs: sigMs,
    indexMs,
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
const modeArg = process.argv.indexOf('--mode');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;

/** The run whose time is the median of `runs` (the lower middle one for an even count). */
function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  return sorted[(sorted.length - 1) >> 1];
}
if (!isMainThread && workerData === 'signatures') {
  await serveSignatures();
} else if (process.argv[1] !== SELF) {
  // Imported (by a profiling script): the caller runs what it needs.
} else if (arg > 0) {
  const mode = modeArg > 0 ? process.argv[modeArg + 1] : 'single';
  console.log(JSON.stringify(await runOne(Number(process.argv[arg + 1]), mode)));
} else {
  const sizes = process.argv
    .slice(2)
    .filter((_a, i, all) => all[i - 1] !== '--mode' && all[i - 1] !== '--runs')
    .map(Number)
    .filter(Boolean);
  const modes = modeArg > 0 ? [process.argv[modeArg + 1]] : ['single', 'pool'];
  for (const mode of modes) {
    const results = [];
    for (const n of sizes.length ? sizes : [10_000, 100_000]) {
      const runs = [];
      for (let k = 0; k < RUNS; k++) {
        const out = execFileSync(
          process.execPath,
          ['--expose-gc', SELF, '--one', String(n), '--mode', mode],
          {
            encoding: 'utf8',
          },
        );
        runs.push(JSON.parse(out.trim().split('\n').pop()));
      }
      const r = medianRun(runs);
      const times = runs.map((x) => x.ms).sort((a, b) => a - b);
      results.push(r);
      const how =
        mode === 'pool'
          ? `${r.workers} worker(s) + main (main signed ${r.mainSigned} of ${Math.ceil(n / CHUNK)} chunks)`
          : '1 thread';
      console.log(
        `dedupe ${String(n).padStart(7)} items, ${how}: ${r.ms.toFixed(0).padStart(6)} ms ` +
          `(median of ${runs.length}, ${times[0].toFixed(0)}-${times[times.length - 1].toFixed(0)} ms) ` +
          `(signatures ${r.signatureMs.toFixed(0)} ms, index ${r.indexMs.toFixed(0)} ms), ` +
          `${r.itemsPerSecond} items/s, ~${r.avgWords} words/item; ` +
          `copies ${r.copies}, joined ${r.joined} (right ${r.correct}, wrong ${r.wrong}); ` +
          `rss ${r.rssBeforeMB} -> ${r.rssAfterMB} MB, peak ${r.maxRssMB} MB`,
      );
    }
    const small = results.find((r) => r.n === 10_000);
    const big = results.find((r) => r.n === 100_000);
    if (small && big) {
      console.log(
        `${mode}: ratio t(100k)/t(10k) = ${(big.ms / small.ms).toFixed(2)} (linear = 10; medians); ` +
          `target 100k < 2000 ms: ${big.ms < 2000 ? 'met' : 'NOT met'} (median)`,
      );
    }
  }
}
