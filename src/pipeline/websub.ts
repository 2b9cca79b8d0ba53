// WebSub publishing (W3C Recommendation, 2018, §7 "Publishing" as hubs implement it): after a run
// that changed feed files, tell the hub which feed URLs changed, so it fetches them and pushes the
// news to subscribers. A hub that is down or refuses costs a warning, never the run: the feeds are
// already written, and subscribers still poll.
import { FEED_FILES } from '../emit/policy.js';
import { describeError } from '../errors.js';
import type { Warning } from '../types.js';

/** What a ping's transport answers (fetch's postForm). */
export type PostForm = (
  url: string,
  fields: Readonly<Record<string, string>>,
) => Promise<{ readonly status: number; readonly body: string }>;

/** The `sourceId` of warnings about the hub: they belong to no source. */
export const WEBSUB_WARNING_SOURCE = 'websub';

const FEED_FILE_NAMES: ReadonlySet<string> = new Set(Object.values(FEED_FILES));

/**
 * Public URLs of the feed files among `written` (relative paths under output/); pages, OPML and the
 * stylesheet are not feeds and are left out. One URL per file, in the order written.
 *
 * @example
 * changedFeedUrls(['feed.xml', 'index.html', 'asia/atom.xml'], 'https://x.example/feeds/')
 * // ['https://x.example/feeds/feed.xml', 'https://x.example/feeds/asia/atom.xml']
 */
export function changedFeedUrls(written: readonly string[], feedBase: string): string[] {
  const base = feedBase.endsWith('/') ? feedBase : `${feedBase}/`;
  const urls = written
    .filter((path) => FEED_FILE_NAMES.has(path.slice(path.lastIndexOf('/') + 1)))
    .map((path) => new URL(path, base).href);
  return [...new Set(urls)];
}

/**
 * POSTs `hub.mode=publish&hub.url=<feed>` to `hub` once per URL. Returns a warning for every ping the
 * hub did not accept with a 2xx (or that did not reach it); never throws.
 *
 * @example
 * const warnings = await pingHub('https://hub.example/', urls, (u, f) => postForm(u, f, client));
 */
export async function pingHub(hub: string, urls: readonly string[], post: PostForm): Promise<Warning[]> {
  const results = await Promise.all(
    urls.map(async (url): Promise<Warning | undefined> => {
      try {
        const r = await post(hub, { 'hub.mode': 'publish', 'hub.url': url });
        if (r.status >= 200 && r.status < 300) return undefined;
        const said = r.body.replace(/\s+/g, ' ').trim().slice(0, 200);
        return warning(
          'WEBSUB_REFUSED',
          `websub: hub ${hub} answered ${r.status} to the publish ping for ${url}${said ? `: ${said}` : ''}`,
        );
      } catch (e) {
        return warning(
          'WEBSUB_UNREACHABLE',
          `websub: publish ping for ${url} failed: ${describeError(e).message}`,
        );
      }
    }),
  );
  const warnings = results.filter((w): w is Warning => w !== undefined);
  // A hub that is down fails every ping the same way: one line says it, with the count.
  const unreachable = warnings.filter((w) => w.code === 'WEBSUB_UNREACHABLE');
  if (unreachable.length < 2) return warnings;
  const first = unreachable[0] as Warning;
  return [
    ...warnings.filter((w) => w.code !== 'WEBSUB_UNREACHABLE'),
    {
      ...first,
      message: `${first.message} (and ${unreachable.length - 1} more changed feeds not announced)`,
    },
  ];
}

function warning(code: string, message: string): Warning {
  return { sourceId: WEBSUB_WARNING_SOURCE, code, message };
}
