import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { atomId, rfc3339 } from '../../../src/emit/atom.js';
import { also, kid, kids, makeEntry, parseXml, SITE, textOf, type XNode } from './make-entry.js';
import { render } from './render.js';
import { xmllint, xmllintCheck } from './tools.js';

const RNG = fileURLToPath(new URL('../../schemas/atom.rng', import.meta.url));

async function feedOf(atom: string): Promise<XNode | undefined> {
  return kid(await parseXml(atom), 'feed');
}

const full = [
  makeEntry({
    entryId: 'e-1',
    item: {
      image: 'https://img.example/cdn/123?w=800',
      enclosures: [{ url: 'https://cdn.example/ep.mp3', type: 'audio/mpeg', length: 99 }],
      updated: new Date('2026-01-05T11:00:00Z'),
    },
    alsoFrom: [also('daily', 'The Daily', 'https://daily.example.net/s/1')],
  }),
  makeEntry({
    entryId: 'e-2',
    item: { authors: [], tags: [], summary: '', image: 'https://i.example/a.svg' },
  }),
];

describe('Atom 1.0 (atom.xml)', () => {
  it('gives entries urn:uuid ids derived from the entry id: stable, distinct, version 5', async () => {
    const entries = kids(await feedOf(render(full).atom), 'entry');
    const ids = entries.map((e) => textOf(kid(e, 'id')));
    expect(ids).toEqual([atomId('e-1'), atomId('e-2')]);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids)
      expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // Pinned: a change here re-issues every published id, and every reader shows every story twice.
    // The same value as Python's uuid.uuid5(UUID(ATOM_ID_NAMESPACE), 'entry-1'): a real RFC 4122 v5.
    expect(atomId('entry-1')).toBe('urn:uuid:d407849a-6bda-5216-9234-694dbc45540b');
  });

  it('has the required feed metadata: id, title, updated, author, self link', async () => {
    const feed = await feedOf(render(full).atom);
    expect(textOf(kid(feed, 'id'))).toMatch(/^urn:uuid:/);
    expect(textOf(kid(feed, 'title'))).toBe('World Desk');
    expect(textOf(kid(feed, 'updated'))).toBe('2026-01-05T11:00:00Z');
    expect(kids(feed, 'author').map((a) => textOf(kid(a, 'name')))).toEqual(['World Desk']);
    expect(feed?.$?.['xml:lang']).toBe('en');
    const links = kids(feed, 'link').map((l) => l.$);
    expect(links).toContainEqual({
      rel: 'self',
      type: 'application/atom+xml',
      href: 'https://news.example.org/feeds/atom.xml',
    });
    expect(links).toContainEqual({ rel: 'alternate', type: 'text/html', href: 'https://news.example.org/' });
    expect(textOf(kid(feed, 'generator'))).toBe('feedloom/0.1.0');
  });

  it('names the configured author, with uri and email', async () => {
    const site = {
      ...SITE,
      author: { name: 'Desk Team', email: 'desk@news.example.org', url: 'https://news.example.org/team' },
    };
    const author = kid(await feedOf(render(full, { site }).atom), 'author');
    expect(textOf(kid(author, 'name'))).toBe('Desk Team');
    expect(textOf(kid(author, 'email'))).toBe('desk@news.example.org');
    expect(textOf(kid(author, 'uri'))).toBe('https://news.example.org/team');
  });

  it('keeps the feed id when nothing but the clock changes, and per output', () => {
    const a = render(full).atom;
    expect(render(full, { now: new Date('2031-01-01T00:00:00Z') }).atom).toBe(a);
    const idOf = (xml: string): string => /<id>([^<]+)<\/id>/.exec(xml)?.[1] ?? '';
    expect(idOf(render(full, { prefix: 'asia/' }).atom)).not.toBe(idOf(a));
  });

  it('writes entry dates in RFC 3339 UTC, links, enclosures with real types, categories', async () => {
    const [first, second] = kids(await feedOf(render(full).atom), 'entry');
    expect(textOf(kid(first, 'updated'))).toBe('2026-01-05T11:00:00Z');
    expect(textOf(kid(first, 'published'))).toBe('2026-01-05T10:00:00Z');
    const links = kids(first, 'link').map((l) => l.$);
    expect(links).toEqual([
      { rel: 'alternate', type: 'text/html', href: 'https://wire.example.com/world/story-1' },
      // No extension: feed would have written type="image//cdn/123".
      { rel: 'enclosure', type: 'image/jpeg', href: 'https://img.example/cdn/123?w=800' },
      { rel: 'enclosure', type: 'audio/mpeg', href: 'https://cdn.example/ep.mp3', length: '99' },
    ]);
    expect(kids(second, 'link').find((l) => l.$?.['rel'] === 'enclosure')?.$?.['type']).toBe('image/svg+xml');
    expect(kids(first, 'category').map((c) => c.$?.['term'])).toEqual(['world']);
    expect(kids(first, 'author').map((a) => textOf(kid(a, 'name')))).toEqual(['Ann Reporter']);
    expect(kid(second, 'summary')).toBeUndefined();
    expect(kid(first, 'content')?.$).toEqual({ type: 'html' });
    expect(textOf(kid(first, 'content'))).toContain(
      '<p>Also reported by: <a href="https://daily.example.net/s/1">The Daily</a></p>',
    );
  });

  it("names the outlet an entry came from in atom:source, with the source's feed when it has one", async () => {
    const [first] = kids(await feedOf(render(full).atom), 'entry');
    const source = kid(first, 'source');
    expect(textOf(kid(source, 'title'))).toBe('Wire Service');
    const self = kid(source, 'link')?.$?.['href'];
    if (self) expect(textOf(kid(source, 'id'))).toBe(self);
  });

  it('rfc3339 drops milliseconds and always says Z', () => {
    expect(rfc3339(new Date('2026-01-05T10:00:00.123+02:00'))).toBe('2026-01-05T08:00:00Z');
  });

  describe.skipIf(xmllint().skip)('RELAX NG (tests/schemas/atom.rng) via xmllint', () => {
    const { feedBase: _f, url: _u, language: _l, description: _d, ...bare } = SITE;
    it.each([
      ['a full feed', render(full).atom],
      ['an empty feed', render([]).atom],
      ['a feed with no site url, feedBase, language or description', render(full, { site: bare }).atom],
      ['a per-tag output', render(full, { prefix: 'asia/' }).atom],
    ])('%s is valid', (_name, atom) => {
      const r = xmllintCheck(atom, RNG);
      expect(r.stderr.trim()).toMatch(/validates$/);
      expect(r.status).toBe(0);
    });

    it.each([
      ['no id', (x: string) => x.replace(/<id>[^<]*<\/id>/, '')],
      ['an id that is not an IRI', (x: string) => x.replace(/<id>urn:uuid:/, '<id>')],
      ['a date without a time zone', (x: string) => x.replace('2026-01-05T11:00:00Z', '2026-01-05T11:00:00')],
      ['an entry without a title', (x: string) => x.replace(/<title type="text">Quiet[^<]*<\/title>/, '')],
      [
        'a link without href',
        (x: string) => x.replace('href="https://img.example', 'hraf="https://img.example'),
      ],
    ])('the schema rejects %s (it can fail)', (_name, mutate) => {
      const atom = render(full).atom;
      const bad = mutate(atom);
      expect(bad).not.toBe(atom);
      expect(xmllintCheck(bad, RNG).status).not.toBe(0);
    });
  });
});
