// Known feed items are cut out of the text before parsing (issue 7). Whatever is cut, the items that
// remain must be exactly the items a whole read gives, and a cut that could change them must not happen.
import { describe, expect, it } from 'vitest';
import { type ItemLayout, itemSpans } from '../../../src/ingest/feed/item-spans.js';
import { ingest } from '../../../src/ingest/index.js';
import type { Ingested, RawItem } from '../../../src/types.js';
import { listFixtures, readFixture } from '../../helpers/fixtures.js';
import { ctx, doc, fetched } from './build.js';

const URL = 'https://feeds.example.test/feed.xml';

async function read(text: string, known?: readonly string[], maxItems?: number): Promise<Ingested> {
  const f = fetched('feed', [doc(URL, text)], maxItems ? { maxItems } : {});
  return ingest(f, known ? { ...ctx, known: new Set(known) } : ctx);
}

const hashes = (r: Ingested): string[] => r.items.map((i) => i.rawHash ?? '');

function rss(items: readonly string[], channel = '<channel>'): string {
  return `<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">${channel}
<title>Wire</title><link>https://wire.example/</link><lastBuildDate>Tue, 01 Dec 2026 10:00:00 GMT</lastBuildDate>
${items.join('\n')}
</channel></rss>`;
}

function item(n: number, extra = ''): string {
  return `<item><title>Story ${n}</title><link>/story/${n}</link><guid>s${n}</guid>${extra}
<description><![CDATA[<p>Body of story ${n}: </item> is text here.</p>]]></description></item>`;
}

describe('itemSpans', () => {
  const found = (text: string, layout: ItemLayout) =>
    itemSpans(text, layout)?.map((s) => text.slice(s.start, s.end));

  it('finds the items the parser reads, skipping comments, CDATA and processing instructions', () => {
    const text =
      '<rss><channel><!-- <item> in a comment --><items/><item a="x>y"><x><item>nested</item></x>' +
      '<d><![CDATA[</item><item>]]></d></item><?pi <item>?><item/><item\n>b</item ></channel></rss>';
    expect(found(text, 'rss')).toEqual([
      '<item a="x>y"><x><item>nested</item></x><d><![CDATA[</item><item>]]></d></item>',
      '<item/>',
      '<item\n>b</item >',
    ]);
    expect(found('<feed><title>t</title><entry><id>1</id></entry><entry/></feed>', 'atom')).toEqual([
      '<entry><id>1</id></entry>',
      '<entry/>',
    ]);
    expect(found('<rdf:RDF><channel><items/></channel><item rdf:about="u"/></rdf:RDF>', 'rdf')).toEqual([
      '<item rdf:about="u"/>',
    ]);
  });

  it('refuses text it cannot vouch for', () => {
    expect(found('<rss><channel><item><title>a</title></channel></rss>', 'rss')).toBeUndefined();
    expect(found('<rss><channel></item></channel></rss>', 'rss')).toBeUndefined();
    expect(found('<rss><channel><item><!-- open </item></channel></rss>', 'rss')).toBeUndefined();
    expect(found('<rss><channel><item><![CDATA[ open </item></channel></rss>', 'rss')).toBeUndefined();
    // Items the parser would not read: outside the channel, in a wrapper, in a second channel.
    expect(found('<rss><channel/><item/></rss>', 'rss')).toBeUndefined();
    expect(found('<rss><channel><x><item/></x></channel></rss>', 'rss')).toBeUndefined();
    expect(found('<rss><channel><item/></channel><channel><item/></channel></rss>', 'rss')).toBeUndefined();
  });
});

describe('known feed items', () => {
  it('are cut out: the rest read as a whole read gives them, the known ones listed as unchanged', async () => {
    const all = [1, 2, 3, 4, 5].map((n) => item(n));
    const whole = await read(rss(all));
    expect(whole.items).toHaveLength(5);
    expect(new Set(hashes(whole)).size).toBe(5);

    const known = [hashes(whole)[1], hashes(whole)[3]] as string[];
    const cut = await read(rss(all), known);
    expect(cut.unchanged).toEqual(known);
    expect(cut.items).toEqual([whole.items[0], whole.items[2], whole.items[4]]);
    expect(cut.meta).toEqual(whole.meta);
  });

  it('keep their hash when the feed around them changes, and lose it when the item does', async () => {
    const first = await read(rss([item(1), item(2)]));
    const later = rss([item(0), item(1), item(2, '<category>edited</category>')]).replace(
      '10:00:00',
      '11:00:00',
    );
    const second = await read(later, hashes(first));
    expect(second.unchanged).toEqual([hashes(first)[0]]);
    expect(second.items.map((i) => i.title)).toEqual(['Story 0', 'Story 2']);
  });

  it('are read again when the feed context their items depend on changed', async () => {
    const first = await read(rss([item(1), item(2)]));
    const rebased = rss([item(1), item(2)], '<channel xml:base="https://mirror.example/">');
    const second = await read(rebased, hashes(first));
    expect(second.unchanged).toBeUndefined();
    expect(second.items.map((i) => i.baseUrl)).toEqual([
      'https://mirror.example/',
      'https://mirror.example/',
    ]);
    expect(hashes(second)).not.toContain(hashes(first)[0]);
  });

  it('are not cut from a feed longer than maxItems, so that the cap counts every item', async () => {
    const all = [1, 2, 3].map((n) => item(n));
    const whole = await read(rss(all));
    const capped = await read(rss(all), hashes(whole), 2);
    expect(capped.unchanged).toBeUndefined();
    expect(capped.items.map((i) => i.title)).toEqual(['Story 1', 'Story 2']);
  });

  it('are read whole when an item moved where the parser does not read items', async () => {
    const first = await read(rss([item(1), item(2)]));
    const moved = rss([`<wrap>${item(1)}</wrap>`, item(2)]);
    const second = await read(moved, hashes(first));
    expect(second.unchanged).toBeUndefined();
    expect(second.items.map((i) => i.title)).toEqual(['Story 2']);
  });

  // Every fixture feed: known items cut or not, the items read are the same.
  it.each(listFixtures('feeds'))(
    '%s: reading with half the items known gives the other half unchanged',
    async (name) => {
      let whole: Ingested;
      try {
        whole = await read(readFixture(`feeds/${name}`));
      } catch {
        return; // a fixture that is an error case has no items to cut
      }
      const keyed = whole.items.filter((i) => i.rawHash !== undefined);
      const known = keyed.filter((_, i) => i % 2 === 0).map((i) => i.rawHash as string);
      const cut = await read(readFixture(`feeds/${name}`), known);
      const unchanged = new Set(cut.unchanged ?? []);
      const expected: RawItem[] = whole.items.filter((i) => !unchanged.has(i.rawHash ?? ''));
      expect(cut.items).toEqual(expected);
      expect([...unchanged].every((h) => known.includes(h))).toBe(true);
      if (!whole.recovered && keyed.length > 1) expect(unchanged.size).toBeGreaterThan(0);
    },
  );
});
