// The peers issue 7 measures feedloom's cold run against, run on the same corpus in the same sitting.
// Each one does less than feedloom (no state, no sanitizing, no near-dedupe); they are the yardsticks:
//   rss-parser + feed  bench/peer.mjs, the aggregator written by hand on our own stack: the cold
//                      target is at most 0.8 x its wall time. Always run.
//   sfeed + curl       curl --parallel fetches every feed, sfeed (C) parses each into TSV, the newest
//                      entries are sorted out. Only when both are on PATH (apt-get install sfeed curl).
//                      sfeed reads RSS and Atom only, so the JSON feeds of the corpus yield nothing.
//   newsboat           `newsboat -x reload` into an empty cache, 16 reload threads. Only when on PATH,
//                      and only up to NEWSBOAT_MAX_FEEDS feeds: its time grows faster than the corpus
//                      (medium 21 s, large 207 s here), and three large runs took ten minutes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HAND_WRITTEN = join(dirname(fileURLToPath(import.meta.url)), 'peer.mjs');
/** Downloads at once, as feedloom's bench config allows (fetch.concurrency). */
const PARALLEL = 16;
const NEWSBOAT_MAX_FEEDS = 500;

const onPath = (tool) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/**
 * The peers available here for a corpus of `feeds` feeds, each with `prepare(dir)`, which empties its
 * working folder and returns the command to time: [file, ...args] run with `cwd`.
 */
export function availablePeers(configFile, feeds) {
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  const urls = config.sources.map((s) => s.url);
  const limit = config.outputs?.[0]?.limit ?? 100;
  const fresh = (dir) => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  const peers = [
    {
      name: 'rss-parser + feed',
      key: 'handWritten',
      prepare: (dir) => ({ command: [process.execPath, HAND_WRITTEN, configFile, fresh(dir)], cwd: dir }),
    },
  ];
  if (onPath('sfeed') && onPath('curl')) {
    peers.push({
      name: 'sfeed + curl',
      key: 'sfeed',
      prepare: (dir) => {
        fresh(dir);
        mkdirSync(join(dir, 'dl'));
        mkdirSync(join(dir, 'tsv'));
        writeFileSync(
          join(dir, 'curl.cfg'),
          urls.map((u, i) => `url = "${u}"\noutput = "dl/${String(i).padStart(5, '0')}"\n`).join(''),
        );
        // sfeed's TSV starts with the UNIX time: newest first by a numeric sort of the first field.
        const script =
          `curl -s --parallel --parallel-max ${PARALLEL} --compressed -K curl.cfg && ` +
          `for f in dl/*; do sfeed < "$f" > "tsv/\${f#dl/}"; done && ` +
          `cat tsv/* | sort -t "$(printf '\\t')" -k1,1rn | head -n ${limit} > newest.tsv`;
        return { command: ['sh', '-c', script], cwd: dir };
      },
    });
  }
  if (onPath('newsboat') && feeds <= NEWSBOAT_MAX_FEEDS) {
    peers.push({
      name: 'newsboat',
      key: 'newsboat',
      prepare: (dir) => {
        fresh(dir);
        writeFileSync(join(dir, 'urls'), `${urls.join('\n')}\n`);
        writeFileSync(join(dir, 'config'), `reload-threads ${PARALLEL}\n`);
        return {
          command: ['newsboat', '-x', 'reload', '-u', 'urls', '-c', 'cache.db', '-C', 'config'],
          cwd: dir,
        };
      },
    });
  }
  return peers;
}
