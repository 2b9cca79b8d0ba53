import { resolve } from 'node:path';
import { loadConfig } from '../../config/index.js';
import { openSqliteStore } from '../../store/index.js';
import type { CliIO } from '../io.js';

/** Prints which items form the entry of a link, guid or entry id, and the scores that joined them. */
export function explainCommand(ref: string, opts: { config: string; state?: string }, io: CliIO): number {
  const config = loadConfig(
    resolve(io.cwd, opts.config),
    opts.state ? { stateDir: resolve(io.cwd, opts.state) } : {},
  );
  const store = openSqliteStore(config.stateDir);
  try {
    const found = store.explain(ref);
    if (!found) {
      io.stderr.write(`feedloom: no stored entry has the id, link or guid ${JSON.stringify(ref)}\n`);
      return 1;
    }
    const lines = [
      `entry ${found.entryId}: ${found.items.length} item${found.items.length === 1 ? '' : 's'}`,
    ];
    for (const item of found.items) {
      lines.push(
        '',
        `${item.representative ? '* ' : '  '}${item.sourceId}: ${item.title}`,
        `    ${item.link || '(no link)'}`,
        `    published ${item.published.toISOString()}, first seen ${item.firstSeen.toISOString()}`,
        `    ${joinedBy(item.matchedBy, item.matchDetail)}`,
      );
    }
    lines.push('', '* the representative: its title and link are what the feeds publish');
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    store.close();
  }
}

function joinedBy(matchedBy: string | undefined, detail: string | undefined): string {
  switch (matchedBy) {
    case undefined:
      return 'opened the entry';
    case 'key':
      return 'joined: same source and guid as an earlier copy';
    case 'link':
      return 'joined: same canonical link';
    case 'fingerprint':
      return 'joined: same text';
    case 'near': {
      const s = detail ? (JSON.parse(detail) as Record<string, number | string>) : {};
      const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number).toFixed(2) : '?');
      return `joined: near-duplicate, score ${n('score')} (jaccard ${n('jaccard')}, containment ${n('containment')}, title ${n('title')})${s['reason'] ? `: ${s['reason']}` : ''}`;
    }
    default:
      return `joined: ${matchedBy}`;
  }
}
