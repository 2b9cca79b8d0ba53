// Near-duplicate stories through the real bin (issue 3, "Done when"): one wire story republished by
// a partner (dateline, footer, new headline) and excerpted by an aggregator (three paragraphs, "Read
// more", tracking link), in three feed formats, must come out as one entry naming every outlet; other
// stories on the same negotiation and two "Morning briefing"s must stay apart; a copy arriving in a
// later run joins the entry without changing its id or link.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.js';
import { tempDir } from '../helpers/tmp.js';
import {
  copyFixtures,
  type OutEntry,
  type ParsedOutputs,
  type Project,
  parseOutputs,
  project,
  runCli,
  summaryRow,
} from './cli.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const FIXTURES = ['near/wire.xml', 'near/partner.atom', 'near/newsbrief.json', 'near/ledger.xml'] as const;

/** The Lake Orun story: the wire's original and its three copies. */
const STORY = {
  title: 'Lake Orun water talks collapse after Kastania walks out',
  wire: 'https://wire.example.com/world/2026/11/lake-orun-talks-collapse',
  partner: 'https://partnerdaily.example.org/news/kastania-quits-geneva-water-negotiations',
  partnerTitle: 'Kastanian delegation quits Geneva water negotiations with Veloria',
  /** As the aggregator's feed gives it; published without the utm_ parameters. */
  newsbrief: 'https://newsbrief.example.net/item/88412?utm_source=feed&utm_medium=json&utm_campaign=world',
  newsbriefClean: 'https://newsbrief.example.net/item/88412',
  ledger: 'https://ledger.example.com/2026/11/24/geneva-water-talks-end-without-deal',
} as const;

/** Same negotiation, same names, different stories. */
const MINISTRY = 'https://wire.example.com/world/2026/11/kastania-ministry-blames-veloria';
const PRESIDENT = 'https://partnerdaily.example.org/news/roslev-door-open-lake-treaty';
const BRIEFINGS = [
  'https://wire.example.com/briefing/2026-11-23',
  'https://newsbrief.example.net/item/88390',
];

/** Items in wire.xml + partner.atom + newsbrief.json: 3 + 2 + 3. */
const ITEMS = 8;
/** Stories among them: the Lake Orun story is carried three times. */
const STORIES = ITEMS - 2;

interface Setup {
  readonly p: Project;
  readonly server: TestServer;
  /** sources.json with the fourth outlet (ledger) added. */
  readonly withLedger: (extra?: Record<string, unknown>) => Record<string, unknown>;
}

async function setup(extra: Record<string, unknown> = {}): Promise<Setup> {
  const root = await tempDir();
  await copyFixtures(root, FIXTURES);
  const server = await startServer(root);
  servers.push(server);
  // The original is listed last, so a copy is stored first and opens the entry: the wire must still
  // become the representative because it was published earliest, not because it came first.
  const sources = [
    { id: 'newsbrief', kind: 'feed', title: 'Newsbrief', url: server.at('near/newsbrief.json') },
    { id: 'partner', kind: 'feed', title: 'Partner Daily', url: server.at('near/partner.atom') },
    { id: 'wire', kind: 'feed', title: 'Wire Service', url: server.at('near/wire.xml') },
  ];
  const ledger = { id: 'ledger', kind: 'feed', title: 'Evening Ledger', url: server.at('near/ledger.xml') };
  const p = await project({ ...extra, sources });
  return { p, server, withLedger: (more = {}) => ({ ...extra, ...more, sources: [...sources, ledger] }) };
}

/** Text of the last paragraph of an entry's content: where "Also reported by" goes. */
function lastParagraph(html: string): string {
  return cheerio.load(html)('p').last().text().trim();
}

/** href of every link in the "Also reported by" paragraph. */
function alsoLinks(html: string): string[] {
  const $ = cheerio.load(html);
  const p = $('p').last();
  return p
    .find('a')
    .toArray()
    .map((a) => $(a).attr('href') ?? '');
}

function entriesOf(f: ParsedOutputs): [string, OutEntry[]][] {
  return [
    ['rss', f.rss],
    ['atom', f.atom],
    ['json', f.json],
  ];
}

/** Entries whose link is on the given page (query ignored: tracking parameters are stripped). */
function at<E extends OutEntry>(entries: readonly E[], url: string): E[] {
  return entries.filter((e) => e.link.split('?')[0] === url.split('?')[0]);
}

describe('one story from three outlets in three feed formats', () => {
  it('is one entry with the original title and link, naming the other two outlets, in every output', async () => {
    const { p } = await setup();
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    for (const id of ['wire', 'partner', 'newsbrief']) expect(summaryRow(r.stdout, id)?.[1], id).toBe('ok');
    const f = await p.feed();

    for (const [format, entries] of entriesOf(f)) {
      const links = JSON.stringify(entries.map((e) => `${e.title} <${e.link}>`));
      expect(entries, `${format}: ${links}`).toHaveLength(STORIES);
      // One entry for the story, under the wire's (earliest) title and link; no copy has its own.
      const story = at(entries, STORY.wire);
      expect(story, `${format}: ${links}`).toHaveLength(1);
      expect(
        entries.filter((e) => /Lake Orun|Geneva water/.test(e.title)),
        `${format}: ${links}`,
      ).toHaveLength(1);
      expect(at(entries, STORY.partner), format).toHaveLength(0);
      expect(at(entries, STORY.newsbrief), format).toHaveLength(0);
      expect(
        entries.some((e) => e.title === STORY.partnerTitle),
        format,
      ).toBe(false);
      const [entry] = story;
      expect(entry?.title, format).toBe(STORY.title);
      expect(entry?.link, format).toBe(STORY.wire);

      const also = lastParagraph(entry?.content ?? '');
      expect(also, format).toMatch(/^Also reported by:/);
      expect(also, format).toContain('Partner Daily');
      expect(also, format).toContain('Newsbrief');
      // The representative is not named as its own "also".
      expect(also, format).not.toContain('Wire Service');
      const hrefs = alsoLinks(entry?.content ?? '');
      expect(hrefs.sort(), format).toEqual([STORY.newsbriefClean, STORY.partner].sort());
      // The wire's text is what is published: the partner's wrapper is nowhere.
      expect(entry?.content, format).not.toContain('GENEVA (Partner Daily)');
      expect(entry?.content, format).not.toContain('originally appeared');
    }

    const story = at(f.json, STORY.wire)[0];
    const ext = story?.raw['_feedloom'] as
      | { sources: { id: string; title: string; url?: string }[] }
      | undefined;
    expect(ext, JSON.stringify(story?.raw)).toBeDefined();
    expect(ext?.sources.map((s) => s.id)).toEqual(['wire', expect.any(String), expect.any(String)]);
    expect(ext?.sources.map((s) => s.id).sort()).toEqual(['newsbrief', 'partner', 'wire']);
    expect(new Map(ext?.sources.map((s) => [s.id, [s.title, s.url]]))).toEqual(
      new Map([
        ['wire', ['Wire Service', STORY.wire]],
        ['partner', ['Partner Daily', STORY.partner]],
        ['newsbrief', ['Newsbrief', STORY.newsbriefClean]],
      ]),
    );
    expect(await p.read('feed.json')).not.toContain('utm_');

    // index.html: one article for the story, with the other outlets.
    const articles = f.html.filter((a) => a.title === STORY.title);
    expect(articles, JSON.stringify(f.html.map((a) => a.title))).toHaveLength(1);
    expect(f.html).toHaveLength(STORIES);
    expect(f.html.some((a) => a.title === STORY.partnerTitle)).toBe(false);
    const page = cheerio.load(articles[0]?.html ?? '').text();
    expect(page).toMatch(
      /Also reported by:[\s\S]*(Partner Daily[\s\S]*Newsbrief|Newsbrief[\s\S]*Partner Daily)/,
    );
  });

  it('keeps different stories on the same negotiation, with the same names, apart', async () => {
    const { p } = await setup();
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    const f = await p.feed();
    for (const [format, entries] of entriesOf(f)) {
      const links = JSON.stringify(entries.map((e) => e.link));
      // Talks broke down / the ministry's statement the next day / the president's comments.
      for (const url of [STORY.wire, MINISTRY, PRESIDENT])
        expect(at(entries, url), `${format} ${url}: ${links}`).toHaveLength(1);
      for (const url of [MINISTRY, PRESIDENT]) {
        const e = at(entries, url)[0];
        expect(e?.content, `${format} ${url}`).not.toContain('Also reported by');
      }
      expect(lastParagraph(at(entries, STORY.wire)[0]?.content ?? ''), format).not.toContain('Wire Service');
    }
    expect(at(f.json, MINISTRY)[0]?.title).toBe(
      'Kastanian foreign ministry blames Veloria for failed Geneva round',
    );
    // One outlet each: the extension names that one only.
    for (const url of [MINISTRY, PRESIDENT]) {
      const ext = at(f.json, url)[0]?.raw['_feedloom'] as { sources: unknown[] } | undefined;
      expect(ext?.sources, url).toHaveLength(1);
    }
  });

  it('keeps two "Morning briefing"s with different texts from two outlets apart', async () => {
    const { p } = await setup();
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    const f = await p.feed();
    for (const [format, entries] of entriesOf(f)) {
      const briefings = entries.filter((e) => e.title === 'Morning briefing');
      expect(briefings.map((e) => e.link.split('?')[0]).sort(), format).toEqual([...BRIEFINGS].sort());
      for (const b of briefings) expect(b.content, `${format} ${b.link}`).not.toContain('Also reported by');
    }
    expect(f.html.filter((a) => a.title === 'Morning briefing')).toHaveLength(2);
  });
});

describe('a copy arriving in a later run', () => {
  it('joins the published entry: same number of entries, same id and link, the new outlet named', async () => {
    const { p, withLedger } = await setup();
    const first = await p.run();
    expect(first.code, first.stderr).toBe(0);
    const f1 = await p.feed();

    await p.configure(withLedger());
    const second = await p.run();
    expect(second.code, second.stderr).toBe(0);
    expect(summaryRow(second.stdout, 'ledger')?.slice(0, 3)).toEqual(['ledger', 'ok', '1']);
    const f2 = await p.feed();

    for (const format of ['rss', 'atom', 'json'] as const) {
      const before = f1[format];
      const after = f2[format];
      expect(after, `${format}: ${JSON.stringify(after.map((e) => e.link))}`).toHaveLength(before.length);
      expect(at(after, STORY.ledger), format).toHaveLength(0);
      const was = at(before, STORY.wire);
      const now = at(after, STORY.wire);
      expect(now, format).toHaveLength(1);
      expect(now[0]?.id, format).toBe(was[0]?.id);
      expect(now[0]?.link, format).toBe(was[0]?.link);
      expect(now[0]?.title, format).toBe(STORY.title);
      const also = lastParagraph(now[0]?.content ?? '');
      expect(also, format).toMatch(/^Also reported by:/);
      for (const outlet of ['Partner Daily', 'Newsbrief', 'Evening Ledger'])
        expect(also, format).toContain(outlet);
      expect(alsoLinks(now[0]?.content ?? ''), format).toContain(STORY.ledger);
      // Every other entry keeps its id too.
      const ids = new Map(after.map((e) => [e.link, e.id]));
      for (const e of before) expect(ids.get(e.link), `${format} ${e.link}`).toBe(e.id);
    }
    const ext = at(f2.json, STORY.wire)[0]?.raw['_feedloom'] as { sources: { id: string }[] };
    expect(ext.sources.map((s) => s.id).sort()).toEqual(['ledger', 'newsbrief', 'partner', 'wire']);
    expect(f2.html).toHaveLength(f1.html.length);
  });
});

describe("one source's own items that share only a template", () => {
  // Show notes: a line of their own, then the footer every episode carries.
  const FOOTER =
    '<p>Support the show on Patreon and get every episode a day early, with no ads, plus a monthly bonus episode for members only.</p>' +
    '<p>Rate and review us wherever you listen: it helps new listeners find the show. Follow us on Mastodon and Bluesky for clips, corrections and notes from the studio.</p>' +
    '<p>This episode is brought to you by Harbour Mattress Company. Use the code HARBOUR for twenty percent off your first order, shipped free within the country.</p>' +
    '<p>Our theme music is by the Tidewater Quartet. Produced and edited by the Harbour Audio collective. Transcripts are on the website a week after each episode airs.</p>';
  const EPISODES = [
    [118, 'Ann Okoro', 'tidal energy'],
    [119, 'Ben Lund', 'harbour dredging'],
    [120, 'Dev Rao', 'ferry timetables'],
    [121, 'Cara Moss', 'sea walls'],
  ] as const;
  const episode = ([n, guest, topic]: (typeof EPISODES)[number]): string => `
    <item><title>Ep. ${n}: ${guest} on ${topic}</title><link>https://pod.example/ep${n}</link><guid>https://pod.example/ep${n}</guid>
      <pubDate>${new Date(Date.UTC(2026, 10, n - 100)).toUTCString()}</pubDate>
      <description><![CDATA[<p>This week ${guest} joins us to talk about ${topic}.</p>${FOOTER}]]></description></item>`;
  // Hacker News: every item's text is the same link to its comments.
  const hn = (id: number, title: string): string => `
    <item><title>${title}</title><link>https://story${id}.example/post</link>
      <pubDate>${new Date(Date.UTC(2026, 10, 20, id)).toUTCString()}</pubDate>
      <comments>https://news.ycombinator.com/item?id=${id}</comments>
      <description><![CDATA[<a href="https://news.ycombinator.com/item?id=${id}">Comments</a>]]></description></item>`;
  const rss = (title: string, items: string): string =>
    `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><link>https://pod.example/</link>${items}</channel></rss>`;

  it('stay apart, and a new episode in a later run is a new entry', async () => {
    const root = await tempDir();
    const write = (n: number) =>
      writeFile(join(root, 'pod.xml'), rss('Harbour Pod', EPISODES.slice(0, n).map(episode).join('')));
    await write(3);
    await writeFile(
      join(root, 'hn.xml'),
      rss(
        'Hacker News',
        [
          hn(1, 'The C++ memory model, explained'),
          hn(2, 'Show HN: Tinyq, a job queue in one file'),
          hn(3, 'Ask HN: What are you reading?'),
        ].join(''),
      ),
    );
    const server = await startServer(root);
    servers.push(server);
    const p = await project({
      sources: [
        { id: 'pod', kind: 'feed', url: server.at('pod.xml') },
        { id: 'hn', kind: 'feed', url: server.at('hn.xml') },
      ],
    });
    const first = await p.run();
    expect(first.code, first.stderr).toBe(0);
    const titles = (await p.feed()).json.map((e) => e.title);
    expect(titles, JSON.stringify(titles)).toHaveLength(6);

    await write(4);
    const second = await p.run();
    expect(second.code, second.stderr).toBe(0);
    const after = (await p.feed()).json.map((e) => e.title);
    expect(after, JSON.stringify(after)).toContain('Ep. 121: Cara Moss on sea walls');
    expect(after).toHaveLength(7);
  });
});

describe('feedloom explain', () => {
  it('prints the entry of the partner copy: every item, the representative, and near-duplicate scores', async () => {
    const { p } = await setup();
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    const x = await runCli(['explain', STORY.partner, '--config', 'sources.json'], p.dir);
    expect(x.code, x.stderr).toBe(0);
    const out = x.stdout;
    expect(out).toMatch(/^entry \S+: 3 items$/m);
    // The entry explained is the published one.
    const json = (await p.feed()).json;
    const id = at(json, STORY.wire)[0]?.id ?? '';
    expect(out).toContain(id);
    for (const url of [STORY.wire, STORY.partner, STORY.newsbriefClean]) expect(out).toContain(url);
    for (const source of ['wire', 'partner', 'newsbrief'])
      expect(out).toMatch(new RegExp(`^[* ] ${source}: `, 'm'));
    // Exactly one representative, and it is the wire's original.
    const reps = out.split('\n').filter((l) => l.startsWith('* ') && !l.startsWith('* the representative'));
    expect(reps).toEqual([`* wire: ${STORY.title}`]);
    // One item opened the entry; the two others were joined as near-duplicates, with numbers.
    expect(out.match(/opened the entry/g)).toHaveLength(1);
    const scores = [
      ...out.matchAll(/near-duplicate, score (\d+\.\d+) \(jaccard (\d+\.\d+), containment (\d+\.\d+)/g),
    ];
    expect(scores, out).toHaveLength(2);
    for (const [, score] of scores) expect(Number(score)).toBeGreaterThanOrEqual(0.45);
  });

  it('fails with a message for a link no entry has', async () => {
    const { p } = await setup();
    expect((await p.run()).code).toBe(0);
    const x = await runCli(['explain', 'https://nowhere.example.com/x', '--config', 'sources.json'], p.dir);
    expect(x.code).toBe(1);
    expect(x.stderr).toMatch(/no stored entry/);
  });
});

describe('dedupe.near: false', () => {
  it('leaves the three copies three entries (their links differ, so no exact key joins them)', async () => {
    const { p } = await setup({ dedupe: { near: false } });
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    const f = await p.feed();
    for (const [format, entries] of entriesOf(f)) {
      expect(entries, format).toHaveLength(ITEMS);
      for (const url of [STORY.wire, STORY.partner, STORY.newsbrief])
        expect(at(entries, url), `${format} ${url}`).toHaveLength(1);
      for (const e of entries) expect(e.content, `${format} ${e.link}`).not.toContain('Also reported by');
    }
    expect(at(f.json, STORY.partner)[0]?.title).toBe(STORY.partnerTitle);
    expect(f.html).toHaveLength(ITEMS);
  });
});

describe('outputs[].dedupe.near: false', () => {
  it('keeps copies apart in that output only, while the main output merges them', async () => {
    const { p } = await setup({ outputs: [{ name: 'all' }, { name: 'apart', dedupe: { near: false } }] });
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    const merged = await p.feed();
    const apart = await parseOutputs(join(p.outDir, 'apart'));
    for (const [format, entries] of entriesOf(merged)) expect(entries, format).toHaveLength(STORIES);
    // The summary counts the main feed's entries, not the larger output's.
    expect(r.stdout).toContain(`${STORIES} entries in the main feed`);
    for (const [format, entries] of entriesOf(apart)) {
      expect(entries, format).toHaveLength(ITEMS);
      for (const e of entries) expect(e.content, `${format} ${e.link}`).not.toContain('Also reported by');
    }
    // Ids in the separate output are as stable as in the main one.
    expect((await p.run()).code).toBe(0);
    const again = await parseOutputs(join(p.outDir, 'apart'));
    expect(again.json.map((e) => e.id)).toEqual(apart.json.map((e) => e.id));
  });
});
