// Local sources through the real bin: a feed file and a folder of articles named by relative paths,
// and a real-world text article (shared sample, read-only) whose lost characters must stay lost, not
// multiply or vanish.
import { readFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { sharedSample } from '../helpers/fixtures.js';
import { copyFixtures, project, summaryRow } from './cli.js';

const countFffd = (s: string): number => s.split('\uFFFD').length - 1;

describe('local sources', () => {
  it('reads a feed file and a folder of .html, .md and .txt articles by relative path', async () => {
    const p = await project({
      sources: [
        { id: 'parish', kind: 'feed', path: 'local/feed.xml' },
        { id: 'desk', kind: 'article', title: 'Town Desk', path: './local/articles' },
      ],
    });
    await copyFixtures(p.dir, [
      'local/feed.xml',
      'local/articles/canal-walk.html',
      'local/articles/allotment-news.md',
      'local/articles/library-hours.txt',
    ]);
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    expect(summaryRow(r.stdout, 'parish')?.slice(0, 3)).toEqual(['parish', 'ok', '1']);
    expect(summaryRow(r.stdout, 'desk')?.slice(0, 3)).toEqual(['desk', 'ok', '3']);

    const f = await p.feed();
    const byTitle = new Map(f.json.map((e) => [e.title, e]));
    expect([...byTitle.keys()].sort()).toEqual([
      'A winter walk along the old canal',
      'Allotment society opens its waiting list',
      'Bell ringers practise on Thursdays',
      'Library opening hours change in February',
    ]);
    const text = (title: string) => cheerio.load(byTitle.get(title)?.content ?? '').text();
    expect(text('A winter walk along the old canal')).toContain('herons fish by the weir');
    // Page furniture of the HTML article stays out.
    expect(text('A winter walk along the old canal')).not.toMatch(/Walks|© Town Desk/);
    expect(byTitle.get('Allotment society opens its waiting list')?.content).toContain(
      '<strong>Applications</strong>',
    );
    expect(text('Library opening hours change in February')).toContain('Sunday afternoon hours');
    expect(byTitle.get('Bell ringers practise on Thursdays')?.link).toBe('https://parish.example.org/bells');
    expect(f.rss.map((e) => e.title)).toEqual(f.json.map((e) => e.title));

    // A second run: the files did not change, so nothing is read again and nothing is rewritten.
    const second = await p.run();
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/output\/ unchanged/);
  });

  it('keeps the title, the credit and exactly the U+FFFD count of a real-world text article', async () => {
    const sample = sharedSample('article-as-received.txt');
    const input = readFileSync(sample, 'utf8');
    const lost = countFffd(input);
    expect(lost).toBeGreaterThan(0);
    const title = input.split('\n')[0]?.trim() ?? '';
    expect(title).toBe('After North Korea Walks Away From Talks, Experts See Familiar Tactic');

    const p = await project({
      sources: [
        { id: 'by-absolute-path', kind: 'article', path: sample },
        { id: 'copied', kind: 'article', path: 'copy/article-as-received.txt' },
      ],
    });
    await cp(sample, join(p.dir, 'copy', 'article-as-received.txt'));
    const r = await p.run();
    expect(r.code, r.stderr).toBe(0);
    expect(summaryRow(r.stdout, 'by-absolute-path')?.slice(0, 3)).toEqual(['by-absolute-path', 'ok', '1']);
    expect(summaryRow(r.stdout, 'copied')?.slice(0, 3)).toEqual(['copied', 'ok', '1']);

    const f = await p.feed();
    // The same story twice: one entry.
    expect(f.json).toHaveLength(1);
    const entry = f.json[0];
    expect(entry?.title).toBe(title);
    // The closing "Source: Voice of America" line is the credit: it becomes the byline.
    expect(entry?.raw['authors']).toEqual([{ name: 'Voice of America' }]);
    for (const e of [...f.rss, ...f.atom, ...f.json]) {
      expect(e.title).toBe(title);
      // Content is the article's body: every lost character kept, none added (the title has none).
      const body = e.content.replace(/<p>Also reported by:[\s\S]*$/, '');
      expect(countFffd(body), e.id).toBe(lost);
      expect(cheerio.load(body).text()).toContain('8\uFFFD hour discussion');
    }
    expect(await p.read('index.html')).toContain(title);
    expect(await p.read('feed.xml')).toContain('<dc:creator>Voice of America</dc:creator>');
    expect(await p.read('atom.xml')).toMatch(/<author>\s*<name>Voice of America<\/name>/);
  });
});
