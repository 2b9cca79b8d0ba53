import { describe, expect, it } from 'vitest';
import { renderOutput } from '../../../src/emit/index.js';
import { makeContext, makeEntry, makeOutput } from './make-entry.js';

const entries = [makeEntry({ entryId: 'a' }), makeEntry({ entryId: 'b' })];

describe('renderOutput', () => {
  it('writes the formats the output asks for, plus feed.xsl and index.html, with content types', () => {
    const files = renderOutput(entries, makeContext());
    expect(files.map((f) => [f.path, f.contentType])).toEqual([
      ['feed.xml', 'application/rss+xml; charset=utf-8'],
      ['atom.xml', 'application/atom+xml; charset=utf-8'],
      ['feed.json', 'application/feed+json; charset=utf-8'],
      ['feed.xsl', 'text/xsl; charset=utf-8'],
      ['index.html', 'text/html; charset=utf-8'],
    ]);
  });

  it('writes only the listed formats, once each, under the output prefix', () => {
    const ctx = makeContext({
      prefix: 'asia/',
      output: makeOutput({ name: 'asia', formats: ['json', 'json'] }),
    });
    expect(renderOutput(entries, ctx).map((f) => f.path)).toEqual(['asia/feed.json', 'asia/index.html']);
  });

  it('titles a secondary output after the site and its name unless it has a title', () => {
    const ctx = makeContext({ prefix: 'asia/', output: makeOutput({ name: 'asia', formats: ['json'] }) });
    expect(JSON.parse(renderOutput(entries, ctx)[0]?.body ?? '').title).toBe('World Desk: asia');
    const titled = makeContext({
      prefix: 'asia/',
      output: makeOutput({ name: 'asia', title: 'Asia', formats: ['json'] }),
    });
    expect(JSON.parse(renderOutput(entries, titled)[0]?.body ?? '').title).toBe('Asia');
  });

  it('renders the same bytes for the same entries whatever the clock says', () => {
    const a = renderOutput(entries, makeContext());
    const b = renderOutput(entries, makeContext({ now: new Date('2040-01-01T00:00:00Z') }));
    expect(b).toEqual(a);
  });

  it('keeps the order it is given: the store query decides it', () => {
    const older = makeEntry({ entryId: 'old', item: { published: new Date('2026-01-01T00:00:00Z') } });
    const newer = makeEntry({ entryId: 'new', item: { published: new Date('2026-01-04T00:00:00Z') } });
    const json =
      renderOutput([older, newer], makeContext({ output: makeOutput({ formats: ['json'] }) }))[0]?.body ?? '';
    expect(JSON.parse(json).items.map((i: { id: string }) => i.id)).toEqual(['old', 'new']);
  });
});
