import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderOpml } from '../../../src/emit/index.js';
import { tempDir } from '../../helpers/tmp.js';
import { kid, kids, parseXml, SITE } from './make-entry.js';
import { need, newsboat, run, xmllint, xmllintCheck } from './tools.js';

const sources = [
  {
    id: 'wire',
    title: 'Wire & "Co" <news>',
    kind: 'feed',
    url: 'https://wire.example.com/rss?a=1&b=2',
    siteUrl: 'https://wire.example.com/',
  },
  { id: 'daily', title: '', kind: 'feed', url: 'https://daily.example.net/atom.xml' },
  { id: 'blog', title: 'A Blog', kind: 'page', url: 'https://blog.example/news' },
  { id: 'local', title: 'Local files', kind: 'article' },
  { id: 'file-feed', title: 'Local feed', kind: 'feed', url: 'file:///srv/feeds/x.xml' },
];

describe('sources.opml', () => {
  const file = renderOpml({ site: SITE, sources });

  it('is named sources.opml with an OPML content type', () => {
    expect(file.path).toBe('sources.opml');
    expect(file.contentType).toBe('text/x-opml; charset=utf-8');
  });

  it('lists every feed source with a URL as an rss outline, escaped', async () => {
    const opml = kid(await parseXml(file.body), 'opml');
    expect(opml?.$?.['version']).toBe('2.0');
    const outlines = kids(kid(opml, 'body'), 'outline').map((o) => o.$);
    expect(outlines).toEqual([
      {
        type: 'rss',
        text: 'Wire & "Co" <news>',
        title: 'Wire & "Co" <news>',
        xmlUrl: 'https://wire.example.com/rss?a=1&b=2',
        htmlUrl: 'https://wire.example.com/',
      },
      // No title: the id stands in, since OPML requires `text`.
      { type: 'rss', text: 'daily', title: 'daily', xmlUrl: 'https://daily.example.net/atom.xml' },
    ]);
  });

  it('renders the same bytes every time (no date), so it is not rewritten', () => {
    expect(renderOpml({ site: SITE, sources }).body).toBe(file.body);
  });

  it.skipIf(xmllint().skip)('is well-formed XML for xmllint', () => {
    expect(xmllintCheck(file.body).status).toBe(0);
  });

  it.skipIf(newsboat().skip)('imports into newsboat with every feed URL', async () => {
    const home = await tempDir();
    await mkdir(join(home, '.newsboat'), { recursive: true });
    const opmlPath = join(home, 'sources.opml');
    await writeFile(opmlPath, file.body);
    const urls = join(home, 'urls');
    await writeFile(urls, '');
    const r = run(need(newsboat()), ['-u', urls, '-c', join(home, 'cache.db'), '-i', opmlPath], {
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: join(home, '.config'),
        XDG_DATA_HOME: join(home, '.local'),
      },
    });
    expect(r.status, r.stderr).toBe(0);
    const imported = (await readFile(urls, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ')[0]);
    expect(imported).toEqual(['https://wire.example.com/rss?a=1&b=2', 'https://daily.example.net/atom.xml']);
  });
});
