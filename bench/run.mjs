// Whole-pipeline benchmark (issue 7): the real CLI, in a child process, against a loopback corpus.
//   node bench/run.mjs [small] [medium] [large] [--runs 3] [--seed 1] [--profile] [--keep] [--no-peer]
// Default: small and medium. --profile adds one cold run under `node --cpu-prof` and writes the top
// self-time functions to bench/results/<workload>-profile.json; with --runs 0 it is the only run.
// Needs a build first (npm run build); `npm run bench` does both.
//
// For each workload and each of --runs repetitions: a fresh state folder, then
//   cold  (empty state, every feed answers 200),
//   warm  (nothing changed, every feed answers 304),
//   churn (10 % of the feeds changed, each with 5 new items),
// and, right after each cold run, the peers of issue 7 (bench/peers.mjs: the hand-written rss-parser +
// feed aggregator, and sfeed and newsboat where installed) on the same corpus, so that feedloom's cold
// time is judged against them in the same sitting (this VM's speed drifts by tens of percent within
// minutes). --no-peer leaves them out.
// Wall time is taken here; CPU time and peak RSS come from GNU time (wait4 rusage of the child), or,
// without /usr/bin/time, from polling /proc/<pid>. Requests and bytes are counted by the server.
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCorpus, WORKLOADS } from './corpus.mjs';
import { availablePeers } from './peers.mjs';
import { startCorpusServer } from './server.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CLI = join(ROOT, 'dist', 'cli.js');
const RESULTS = join(ROOT, 'bench', 'results');
const GNU_TIME = '/usr/bin/time';
const PHASES = ['cold', 'warm', 'churn'];
/** Every feed is on one loopback host; real feeds are spread over many, so the per-host cap is lifted
 * to the overall one (the default 4 would measure the cap, not feedloom). */
const FETCH = { concurrency: 16, perHost: 16 };

function parseArgs(argv) {
  const opts = { workloads: [], runs: 3, seed: 1, profile: false, keep: false, peer: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--seed') opts.seed = Number(argv[++i]);
    else if (a === '--profile') opts.profile = true;
    else if (a === '--keep') opts.keep = true;
    else if (a === '--no-peer') opts.peer = false;
    else if (a in WORKLOADS) opts.workloads.push(a);
    else {
      console.error(
        `bench: unknown argument ${JSON.stringify(a)}; workloads: ${Object.keys(WORKLOADS).join(', ')}`,
      );
      console.error(
        'usage: node bench/run.mjs [small] [medium] [large] [--runs 3] [--seed 1] [--profile] [--keep] [--no-peer]',
      );
      process.exit(2);
    }
  }
  if (!Number.isInteger(opts.runs) || opts.runs < (opts.profile ? 0 : 1)) {
    console.error('bench: --runs expects a positive integer (0 only with --profile)');
    process.exit(2);
  }
  if (!opts.workloads.length) opts.workloads = ['small', 'medium'];
  return opts;
}

/** Runs `command` ([file, ...args]) in `cwd` and measures it. */
async function measure(command, scratch, cwd = scratch) {
  const timeFile = join(scratch, 'time.txt');
  rmSync(timeFile, { force: true });
  const useTime = existsSync(GNU_TIME);
  const started = performance.now();
  const child = useTime
    ? spawn(GNU_TIME, ['-f', '%e %U %S %M', '-o', timeFile, ...command], {
        cwd,
        stdio: ['ignore', 'ignore', 'pipe'],
      })
    : spawn(command[0], command.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    if (stderr.length < 65_536) stderr += d;
  });
  const polled = useTime ? undefined : pollProc(child.pid);
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  });
  const wallMs = performance.now() - started;
  let usage;
  if (useTime) {
    // GNU time puts "Command exited with non-zero status N" before the format line.
    const line = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
    const [, user, sys, maxKiB] = line.split(' ').map(Number);
    usage = { userMs: user * 1000, sysMs: sys * 1000, maxRssKiB: maxKiB, source: 'gnu-time' };
  } else {
    usage = { ...polled.stop(), source: 'proc-poll' };
  }
  return { code, stderr, wallMs, ...usage };
}

/** Fallback without GNU time: VmHWM and utime/stime of the child, read every 20 ms until it exits. */
function pollProc(pid) {
  const tick = 1000 / 100; // USER_HZ is 100 on every Linux we run on
  let last = { userMs: 0, sysMs: 0, maxRssKiB: 0 };
  const read = () => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      last = {
        userMs: Number(fields[11]) * tick,
        sysMs: Number(fields[12]) * tick,
        maxRssKiB: Math.max(last.maxRssKiB, hwm),
      };
    } catch {
      // Exited between two polls: keep the last reading.
    }
  };
  const timer = setInterval(read, 20);
  return {
    stop() {
      clearInterval(timer);
      return last;
    },
  };
}

function dirBytes(dir) {
  let total = 0;
  if (!existsSync(dir)) return 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : statSync(p).size;
  }
  return total;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function writeConfig(dir, server, corpus) {
  const config = {
    site: { title: 'feedloom bench', url: 'http://127.0.0.1:8080/', feedBase: 'http://127.0.0.1:8080/' },
    fetch: FETCH,
    sources: corpus.feeds.map((spec, f) => ({ id: spec.id, kind: 'feed', url: server.feedUrl(f) })),
    outputs: [{ name: 'all', limit: 100 }],
  };
  const file = join(dir, 'sources.json');
  writeFileSync(file, JSON.stringify(config, null, 1));
  return file;
}

async function runWorkload(name, opts) {
  const { feeds, items } = WORKLOADS[name];
  const baseTime = Date.now();
  process.stdout.write(`\n${name}: ${feeds} feeds x ${items} items, generating corpus... `);
  const corpus = createCorpus({ feeds, items, seed: opts.seed, baseTime });
  const server = await startCorpusServer(corpus);
  const size = server.size();
  const formats = {};
  for (const f of corpus.feeds) formats[f.format] = (formats[f.format] ?? 0) + 1;
  console.log(
    `${(size.rawBytes / 2 ** 20).toFixed(1)} MiB of feeds (${(size.gzipBytes / 2 ** 20).toFixed(1)} MiB gzipped), ${corpus.copies} republished copies`,
  );
  const scratch = mkdtempSync(join(tmpdir(), `feedloom-bench-${name}-`));
  const configFile = writeConfig(scratch, server, corpus);
  const runs = Object.fromEntries(PHASES.map((p) => [p, []]));
  const peers = opts.peer ? availablePeers(configFile, feeds) : [];
  const peerRuns = Object.fromEntries(peers.map((p) => [p.key, []]));
  const runPeer = async (peer, rep, coldWallMs) => {
    const { command, cwd } = peer.prepare(join(scratch, `rep-${rep}`, `peer-${peer.key}`));
    server.resetStats();
    const m = await measure(command, scratch, cwd);
    const s = server.stats();
    if (m.code !== 0)
      throw new Error(`bench: ${name} ${peer.name} run ${rep}: exited with ${m.code}\n${m.stderr}`);
    const run = {
      rep,
      wallMs: Math.round(m.wallMs),
      cpuMs: Math.round(m.userMs + m.sysMs),
      peakRssMiB: Math.round((m.maxRssKiB / 1024) * 10) / 10,
      requests: s.requests,
      responses200: s.ok,
      // feedloom's cold wall time over the peer's, measured one after the other.
      coldRatio: Math.round((coldWallMs / m.wallMs) * 100) / 100,
    };
    console.log(
      `  run ${rep} ${peer.name}: ${(run.wallMs / 1000).toFixed(2)} s wall, ` +
        `${(run.cpuMs / 1000).toFixed(2)} s CPU, ${run.peakRssMiB.toFixed(0)} MiB, ` +
        `${run.requests} requests; feedloom cold / it = ${run.coldRatio.toFixed(2)}`,
    );
    return run;
  };
  const cliArgs = (rep) => [
    process.execPath,
    CLI,
    'run',
    // The corpus server sends Cache-Control max-age, which `run` honours by skipping sources not due:
    // warm and churn measure the fetch path (304s), so every source is fetched.
    '--all',
    '--config',
    configFile,
    '--state',
    join(scratch, rep, 'state'),
    '--out',
    join(scratch, rep, 'output'),
    '--quiet',
  ];

  try {
    for (let rep = 1; rep <= opts.runs; rep++) {
      server.reset();
      const repDir = `rep-${rep}`;
      for (const phase of PHASES) {
        // The same churn round every repetition, so the repetitions are the same work.
        const changed = phase === 'churn' ? server.churn(1) : [];
        server.resetStats();
        const m = await measure(cliArgs(repDir), scratch);
        const s = server.stats();
        if (m.code !== 0) {
          throw new Error(`bench: ${name} ${phase} run ${rep}: feedloom exited with ${m.code}\n${m.stderr}`);
        }
        const expected =
          phase === 'cold'
            ? s.ok === feeds
            : phase === 'warm'
              ? s.notModified === feeds
              : s.ok === changed.length && s.notModified === feeds - changed.length;
        const run = {
          rep,
          wallMs: Math.round(m.wallMs),
          cpuMs: Math.round(m.userMs + m.sysMs),
          userMs: Math.round(m.userMs),
          sysMs: Math.round(m.sysMs),
          peakRssMiB: Math.round((m.maxRssKiB / 1024) * 10) / 10,
          itemsFetched: s.items,
          newItems: phase === 'cold' ? s.items : phase === 'churn' ? changed.length * 5 : 0,
          itemsPerSecond: s.items ? Math.round(s.items / (m.wallMs / 1000)) : 0,
          requests: s.requests,
          responses200: s.ok,
          responses304: s.notModified,
          bodyBytes: s.bodyBytes,
          wireBytesOut: s.wireBytesOut,
          wireBytesIn: s.wireBytesIn,
          stateBytes: dirBytes(join(scratch, repDir, 'state')),
          measuredWith: m.source,
          ...(expected ? {} : { unexpected: `server saw ${s.ok} x 200 and ${s.notModified} x 304` }),
          ...(m.stderr.trim() ? { stderr: m.stderr.trim().slice(0, 2000) } : {}),
        };
        runs[phase].push(run);
        console.log(
          `  run ${rep} ${phase.padEnd(5)} ${(run.wallMs / 1000).toFixed(2).padStart(7)} s wall, ` +
            `${(run.cpuMs / 1000).toFixed(2).padStart(7)} s CPU, ${run.peakRssMiB.toFixed(0).padStart(5)} MiB, ` +
            `${run.requests} requests (${run.responses200} x 200, ${run.responses304} x 304)` +
            (run.unexpected ? `  UNEXPECTED: ${run.unexpected}` : ''),
        );
        if (phase === 'cold')
          for (const peer of peers) peerRuns[peer.key].push(await runPeer(peer, rep, run.wallMs));
      }
      if (!opts.keep) rmSync(join(scratch, repDir), { recursive: true, force: true });
    }

    if (opts.profile) {
      server.reset();
      const profDir = join(scratch, 'profile');
      const m = await measure(
        [process.execPath, `--cpu-prof`, `--cpu-prof-dir=${profDir}`, ...cliArgs('profile-rep').slice(1)],
        scratch,
      );
      if (m.code !== 0)
        throw new Error(`bench: ${name} profile run: feedloom exited with ${m.code}\n${m.stderr}`);
      // One profile per thread: CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile, thread 0 the main one.
      const files = readdirSync(profDir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => ({ f, thread: Number(f.split('.')[4]) }))
        .sort((a, b) => a.thread - b.thread);
      const threads = files.map(({ f, thread }) => ({
        thread: thread === 0 ? 'main' : `worker ${thread}`,
        file: join(profDir, f),
        ...summarizeProfile(join(profDir, f)),
      }));
      const profile = {
        workload: name,
        generatedAt: new Date().toISOString(),
        feedloom: feedloomVersion(),
        machine: machine(),
        wallMs: Math.round(m.wallMs),
        threads,
      };
      mkdirSync(RESULTS, { recursive: true });
      writeFileSync(join(RESULTS, `${name}-profile.json`), `${JSON.stringify(profile, null, 2)}\n`);
      for (const t of threads) {
        console.log(`\n${name} cold under --cpu-prof, ${t.thread} thread (${t.file}):`);
        console.log(profileMarkdown(t));
      }
      rmSync(join(scratch, 'profile-rep'), { recursive: true, force: true });
    }
    if (!opts.runs) return;

    const phases = {};
    for (const phase of PHASES) {
      const rs = runs[phase];
      const mid = rs.find((r) => r.wallMs === median(rs.map((x) => x.wallMs))) ?? rs[0];
      phases[phase] = {
        median: {
          wallMs: median(rs.map((r) => r.wallMs)),
          cpuMs: median(rs.map((r) => r.cpuMs)),
          peakRssMiB: median(rs.map((r) => r.peakRssMiB)),
          itemsPerSecond: median(rs.map((r) => r.itemsPerSecond)),
          itemsFetched: mid.itemsFetched,
          newItems: mid.newItems,
          requests: mid.requests,
          responses200: mid.responses200,
          responses304: mid.responses304,
          bodyBytes: mid.bodyBytes,
          wireBytesOut: mid.wireBytesOut,
          stateBytes: mid.stateBytes,
        },
        runs: rs,
      };
    }
    const result = {
      workload: name,
      feeds,
      itemsPerFeed: items,
      items: feeds * items,
      seed: opts.seed,
      runs: opts.runs,
      baseTime: new Date(corpus.baseTime).toISOString(),
      generatedAt: new Date().toISOString(),
      feedloom: feedloomVersion(),
      machine: machine(),
      corpus: {
        rawBytes: size.rawBytes,
        gzipBytes: size.gzipBytes,
        republishedCopies: corpus.copies,
        formats,
      },
      fetch: FETCH,
      phases,
      ...(peers.length && opts.runs
        ? {
            peers: peers.map((p) => {
              const rs = peerRuns[p.key];
              return {
                name: p.name,
                key: p.key,
                median: {
                  wallMs: median(rs.map((r) => r.wallMs)),
                  cpuMs: median(rs.map((r) => r.cpuMs)),
                  peakRssMiB: median(rs.map((r) => r.peakRssMiB)),
                  coldRatio: median(rs.map((r) => r.coldRatio)),
                },
                runs: rs,
              };
            }),
          }
        : {}),
    };
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, `${name}.json`), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  } finally {
    await server.close();
    if (!opts.keep && !opts.profile) rmSync(scratch, { recursive: true, force: true });
    else console.log(`  kept ${scratch}`);
  }
}

/** Self time per function and per area (feedloom stage, package, node internals) of a .cpuprofile. */
function summarizeProfile(file) {
  const prof = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  // timeDeltas[i] is the gap before sample i; it is spent in the sample before it.
  for (let i = 1; i < prof.samples.length; i++) {
    self.set(prof.samples[i - 1], (self.get(prof.samples[i - 1]) ?? 0) + prof.timeDeltas[i]);
  }
  const fns = new Map();
  const areas = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const { callFrame: cf } = byId.get(id);
    total += us;
    const where = cf.url ? `${shortUrl(cf.url)}:${cf.lineNumber + 1}` : '';
    const key = `${cf.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const area = areaOf(cf);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const top = (m, n) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({
        name,
        selfMs: Math.round(us / 1000),
        share: Math.round((us / total) * 1000) / 10,
      }));
  return { totalMs: Math.round(total / 1000), topFunctions: top(fns, 10), areas: top(areas, 15) };
}

function shortUrl(url) {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const d = url.indexOf('/dist/');
  if (d >= 0) return url.slice(d + 1);
  return url.startsWith('file://') ? basename(url) : url;
}

function areaOf(cf) {
  if (!cf.url) return cf.functionName.startsWith('(') ? cf.functionName : '(native)';
  const nm = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(cf.url);
  if (nm) return `package ${nm[1]}`;
  const stage = /\/dist\/([^/]+)\//.exec(cf.url);
  if (stage) return `feedloom ${stage[1]}`;
  if (cf.url.startsWith('node:')) return `node ${cf.url.slice(5).split('/')[0]}`;
  return basename(cf.url);
}

function profileMarkdown(p) {
  const lines = [
    `Top self time of ${(p.totalMs / 1000).toFixed(2)} s sampled:`,
    '',
    '| function | self ms | share |',
    '|---|---:|---:|',
    ...p.topFunctions.map((f) => `| \`${f.name}\` | ${f.selfMs} | ${f.share} % |`),
    '',
    '| area | self ms | share |',
    '|---|---:|---:|',
    ...p.areas.map((a) => `| ${a.name} | ${a.selfMs} | ${a.share} % |`),
  ];
  return lines.join('\n');
}

function feedloomVersion() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return pkg.version;
}

function machine() {
  const c = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: c.length,
    cpuModel: c[0]?.model ?? 'unknown',
    memoryMiB: Math.round(totalmem() / 2 ** 20),
  };
}

const fmtS = (ms) => (ms / 1000).toFixed(2);
const fmtBytes = (b) => (b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 1024).toFixed(0)} KiB`);

/** One table over every results file present, so running one workload keeps the others' rows. */
function resultsTable() {
  const results = Object.keys(WORKLOADS)
    .map((w) => join(RESULTS, `${w}.json`))
    .filter((f) => existsSync(f))
    .map((f) => JSON.parse(readFileSync(f, 'utf8')));
  const rows = [
    '| workload | corpus | phase | wall s | CPU s | peak RSS MiB | items/s | requests (200 / 304) | bytes sent |',
    '|---|---|---|---:|---:|---:|---:|---|---:|',
  ];
  for (const r of results) {
    for (const phase of PHASES) {
      const m = r.phases[phase].median;
      rows.push(
        `| ${r.workload} | ${r.feeds} x ${r.itemsPerFeed}, ${fmtBytes(r.corpus.rawBytes)} | ${phase} | ${fmtS(m.wallMs)} | ${fmtS(m.cpuMs)} | ` +
          `${m.peakRssMiB.toFixed(0)} | ${m.itemsPerSecond ? m.itemsPerSecond.toLocaleString('en-US') : '–'} | ` +
          `${m.requests} (${m.responses200} / ${m.responses304}) | ${fmtBytes(m.wireBytesOut)} |`,
      );
    }
    for (const p of r.peers ?? []) {
      const m = p.median;
      rows.push(
        `| ${r.workload} | ${r.feeds} x ${r.itemsPerFeed}, ${fmtBytes(r.corpus.rawBytes)} | peer: ${p.name}, cold | ${fmtS(m.wallMs)} | ${fmtS(m.cpuMs)} | ` +
          `${m.peakRssMiB.toFixed(0)} | – | ${p.runs[0] ? `${p.runs[0].requests} (${p.runs[0].responses200} / 0)` : '–'} | – |`,
      );
    }
  }
  const ratios = results.flatMap((r) =>
    (r.peers ?? []).map(
      (p) =>
        `- ${r.workload}: feedloom cold / ${p.name} = ${p.median.coldRatio.toFixed(2)} ` +
        `(median of the per-run ratios ${p.runs.map((x) => x.coldRatio.toFixed(2)).join(', ')}` +
        `${p.key === 'handWritten' ? '; issue 7 asks for at most 0.8' : ''}).`,
    ),
  );
  const notes = results.map(
    (r) =>
      `- ${r.workload}: median of ${r.runs} runs, ${r.generatedAt.slice(0, 16).replace('T', ' ')} UTC, feedloom ${r.feedloom}, ` +
      `node ${r.machine.node}, ${r.machine.cpus} x ${r.machine.cpuModel}; corpus ${fmtBytes(r.corpus.rawBytes)} ` +
      `(${fmtBytes(r.corpus.gzipBytes)} gzipped), ${r.corpus.republishedCopies} republished copies, formats ${JSON.stringify(r.corpus.formats)}.`,
  );
  return {
    table: rows.join('\n'),
    ratios: ratios.join('\n'),
    notes: [...ratios, ...notes].join('\n'),
    results,
  };
}

const opts = parseArgs(process.argv.slice(2));
if (!existsSync(CLI)) {
  console.error(`bench: ${CLI} is missing; run "npm run build" first (or "npm run bench", which does).`);
  process.exit(2);
}
console.log(
  `feedloom whole-pipeline benchmark: ${opts.workloads.join(', ')}; ${opts.runs} runs each; ` +
    `CPU and RSS from ${existsSync(GNU_TIME) ? GNU_TIME : '/proc polling (no /usr/bin/time)'}`,
);
for (const w of opts.workloads) await runWorkload(w, opts);

const { table, ratios, notes } = resultsTable();
const profiles = Object.keys(WORKLOADS)
  .map((w) => join(RESULTS, `${w}-profile.json`))
  .filter((f) => existsSync(f))
  .map((f) => JSON.parse(readFileSync(f, 'utf8')))
  .map(
    (p) =>
      `## ${p.workload}, one cold run under \`node --cpu-prof\` (${p.generatedAt.slice(0, 16).replace('T', ' ')} UTC, ` +
      `${fmtS(p.wallMs)} s wall)\n\n` +
      // Files from before the worker threads hold one profile at the top level.
      (p.threads ?? [{ thread: 'main', ...p }])
        .map((t) => `### ${t.thread} thread\n\n${profileMarkdown(t)}\n`)
        .join('\n'),
  );
const md = [
  '# feedloom benchmark results',
  '',
  'Written by `node bench/run.mjs` (see ../README.md). Wall, CPU (user + system) and peak RSS of the',
  '`feedloom run` child process: median of the runs. Items/s: items in the 200 responses per wall second.',
  'Bytes sent: what the server wrote to the sockets, headers included. "peer" rows: the yardsticks of',
  'issue 7 (bench/peers.mjs), each run on the same corpus right after each feedloom cold run.',
  '',
  table,
  '',
  notes,
  '',
  ...profiles,
].join('\n');
writeFileSync(join(RESULTS, 'README.md'), md);
const written = opts.workloads.flatMap((w) => [
  ...(opts.runs ? [`bench/results/${w}.json`] : []),
  ...(opts.profile ? [`bench/results/${w}-profile.json`] : []),
]);
console.log(
  `\n${table}\n${ratios ? `\n${ratios}\n` : ''}\nwritten: ${[...written, 'bench/results/README.md'].join(', ')}`,
);
