import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENERIC_TITLE_WORDS, TITLE_STOPWORDS } from '../../../src/dedupe/fingerprint.js';
import {
  bodyText,
  DEFAULT_NEAR_THRESHOLD,
  decodeScoredSignature,
  decodeSignature,
  encodeSignature,
  findNearEntry,
  MemoryNearIndex,
  nearMatch,
  signatureOf,
  stripBoilerplate,
  titleTokensOf,
} from '../../../src/dedupe/index.js';
import { normalizeForFingerprint } from '../../../src/dedupe/text.js';
import type { Item } from '../../../src/types.js';
import { makeItem } from '../../helpers/items.js';

const opts = { threshold: DEFAULT_NEAR_THRESHOLD };

const TALKS = [
  'Peace talks between Valdoria and Kestrania collapsed on Tuesday after negotiators failed to agree on the withdrawal of troops from the disputed Orlen valley, ending three weeks of meetings hosted by the Swiss government.',
  'Valdorian Foreign Minister Elena Varga left the Palais des Nations shortly after noon and told reporters that the Kestranian delegation had walked back commitments made in the first round. Kestrania’s chief negotiator, Pavel Dussek, said the Valdorian side had presented a map that no government in his country could sign.',
  'Mediators from the United Nations had hoped to announce a framework for a ceasefire by the end of the week. A diplomat briefed on the talks said the two sides had been close to agreeing on prisoner exchanges but could not settle the sequence of the pullback from the valley’s three border towns.',
  'Fighting in the Orlen valley has displaced more than 40,000 people since the spring. Aid agencies warned that the onset of winter would make the situation of families living in tents far more dangerous if the talks were not revived soon.',
  'No date has been set for a new round. The UN envoy, Margit Lindqvist, said she would travel to both capitals next week to see whether the negotiations could be restarted.',
];
const MINISTRY = [
  'Valdoria’s foreign ministry on Wednesday accused Kestrania of sabotaging the Geneva negotiations, a day after the talks on the Orlen valley ended without agreement.',
  'In a four-page statement, the ministry said Kestranian negotiators had demanded that Valdorian police leave the valley’s border towns before any prisoners were released, a condition it called a provocation. The statement was signed by Foreign Minister Elena Varga and read out on state television.',
  'The ministry also said Valdoria remained open to mediation by the United Nations and would accept a new round of talks if Kestrania returned to the terms discussed in the first week. It did not say whether Varga would meet the UN envoy Margit Lindqvist during her visit to Velgrad.',
];
const BUDGET = [
  'Good morning. Here is what you need to know to start your day.',
  'Parliament will vote today on the budget for next year, after the government agreed overnight to raise spending on hospitals by two billion to win the support of the farmers’ party.',
  'Teachers in the eastern region begin a two-day strike over class sizes, closing about 400 schools. Parents are advised to check with their school before setting out.',
];
const DERAILMENT = [
  'Good morning. Here is what you need to know to start your day.',
  'The budget passed last night by 112 votes to 87. The opposition promised to reverse the farm subsidies it contains if it wins the next election.',
  'A freight train derailed near the northern border early this morning, blocking the main line to the coast. No one was hurt, but commuter services will be replaced by buses until tomorrow.',
];

const html = (paras: readonly string[]): string => paras.map((p) => `<p>${p}</p>`).join('\n');
function item(guid: string, title: string, paras: readonly string[], sourceId = 'wire'): Item {
  const text = paras.join(' ');
  return makeItem({ sourceId, guid, title, contentHtml: html(paras), summary: text.slice(0, 300) });
}

const original = item('o', 'Valdoria and Kestrania peace talks collapse in Geneva', TALKS);
const republished = item(
  'r',
  'Geneva talks between Valdoria and Kestrania break down without a deal',
  [
    `GENEVA, Nov 27 (Reuters) — ${TALKS[0]}`,
    ...TALKS.slice(1),
    'This article originally appeared on <a href="https://wire.example/x?utm_source=partner">Reuters</a>.',
  ],
  'partner',
);
const excerpt = item(
  'e',
  'Valdoria and Kestrania peace talks collapse in Geneva',
  [...TALKS.slice(0, 3), '<a href="https://wire.example/x?utm_source=agg">Read more</a>'],
  'aggregator',
);

describe('nearMatch', () => {
  it('the three copies of one story all match: original, dateline + footer + new title, excerpt + read more', () => {
    const [a, b, c] = [original, republished, excerpt].map(signatureOf);
    if (!a || !b || !c) throw new Error('signatures');
    for (const [x, y] of [
      [a, b],
      [a, c],
      [b, c],
    ] as const) {
      const s = nearMatch(x, y, opts);
      expect(s.match, s.reason).toBe(true);
    }
    // The wrapper is gone, so the republished copy is the original's text exactly.
    expect(nearMatch(a, b, opts).jaccard).toBe(1);
  });

  it('two different stories on the same subject do not match', () => {
    const s = nearMatch(
      signatureOf(original),
      signatureOf(item('m', 'Valdoria’s foreign ministry blames Kestrania for failed talks', MINISTRY)),
      opts,
    );
    expect(s.match).toBe(false);
    expect(s.score).toBeLessThan(0.3);
  });

  it('generic titles over different texts do not match', () => {
    const s = nearMatch(
      signatureOf(item('b1', 'Morning briefing', BUDGET)),
      signatureOf(item('b2', 'Morning briefing', DERAILMENT)),
      opts,
    );
    expect(s).toMatchObject({ match: false, title: 0 });
  });

  it('an excerpt contained in a longer article matches by containment', () => {
    const s = nearMatch(signatureOf(original), signatureOf(excerpt), opts);
    expect(s.match).toBe(true);
    expect(s.containment).toBe(1);
    expect(s.jaccard).toBeLessThan(0.7);
    expect(s.reason).toMatch(/containment/);
  });

  it('an identical title over a different body does not match', () => {
    const s = nearMatch(
      signatureOf(original),
      signatureOf(item('m2', 'Valdoria and Kestrania peace talks collapse in Geneva', MINISTRY)),
      opts,
    );
    expect(s.title).toBe(1);
    expect(s.match).toBe(false);
  });

  it('a short text needs a near-identical twin: one shared sentence is not enough', () => {
    const short = item('s', 'Talks', ['Peace talks between Valdoria and Kestrania collapsed on Tuesday.']);
    const s = nearMatch(signatureOf(short), signatureOf(original), opts);
    expect(s.match).toBe(false);
    expect(s.reason).toMatch(/short text/);
  });

  it('an item without text never matches', () => {
    const empty = makeItem({ guid: 'x', title: 'Live updates', contentHtml: '', summary: '' });
    expect(nearMatch(signatureOf(empty), signatureOf(empty), opts).match).toBe(false);
    expect(signatureOf(empty).bands).toEqual([]);
  });

  it('case, punctuation, entities and tracking links do not change the signature', () => {
    const noisy = item(
      'n',
      'x',
      TALKS.map((p) => p.toUpperCase().replace(/,/g, '').replace(/’/g, '&#8217;')),
    );
    expect(nearMatch(signatureOf(original), signatureOf(noisy), opts).jaccard).toBe(1);
  });
});

describe('items that share only a template', () => {
  // A podcast's show notes: one line of its own, then the same sponsor and subscribe footer.
  const FOOTER = [
    'Support the show on Patreon and get every episode a day early, with no ads, plus a monthly bonus episode for members only.',
    'Rate and review us wherever you listen: it helps new listeners find the show. Follow us on Mastodon and Bluesky for clips, corrections and behind-the-scenes notes from the studio.',
    'This episode is brought to you by Harbour Mattress Company. Go to the website and use the code HARBOUR for twenty percent off your first order, shipped free within the country.',
    'Our theme music is by the Tidewater Quartet. Produced and edited by the Harbour Audio collective. Transcripts are available on the website a week after each episode airs.',
  ];
  const episode = (n: number, guest: string, topic: string, sourceId = 'pod') =>
    item(
      `ep${n}`,
      `Ep. ${n}: ${guest} on ${topic}`,
      [`This week ${guest} joins us to talk about ${topic}.`, ...FOOTER],
      sourceId,
    );
  const hn = (guid: string, title: string) =>
    makeItem({
      sourceId: 'hn',
      guid,
      title,
      contentHtml: '<a href="https://news.ycombinator.com/item?id=1">Comments</a>',
      summary: 'Comments',
    });

  it('a short text alike under different titles is not one story ("Comments", "No content.")', () => {
    const a = hn('1', 'The C++ memory model, explained');
    const b = hn('2', 'Show HN: Tinyq, a job queue in one file');
    const s = nearMatch(signatureOf(a), signatureOf(b), opts, 'same-source');
    expect(s.jaccard).toBe(1);
    expect(s.match).toBe(false);
    expect(s.reason).toMatch(/titles differ/);
    // From two sources too: nothing in such a text says which story it is.
    expect(nearMatch(signatureOf(a), signatureOf(b), opts).match).toBe(false);
  });

  it('a short text alike under agreeing titles still matches', () => {
    const a = hn('1', 'The C++ memory model, explained');
    const b = hn('2', 'The C++ memory model explained (2019)');
    expect(nearMatch(signatureOf(a), signatureOf(b), opts, 'other-sources').match).toBe(true);
  });

  it("one source's episodes are apart when only their footer is shared", () => {
    const a = signatureOf(episode(118, 'Ann Okoro', 'tidal energy'));
    const b = signatureOf(episode(119, 'Ben Lund', 'harbour dredging'));
    const s = nearMatch(a, b, opts, 'same-source');
    expect(s.containment).toBeGreaterThan(opts.threshold);
    expect(s.match).toBe(false);
    expect(s.reason).toMatch(/same source, titles differ/);
  });

  it('one source re-posting a story under a new headline is still one story', () => {
    const renamed = item('o2', 'Geneva negotiations end without agreement', TALKS);
    const s = nearMatch(signatureOf(original), signatureOf(renamed), opts, 'same-source');
    expect(s.title).toBeLessThan(0.5);
    expect(s.match).toBe(true);
  });

  it("findNearEntry applies the one-source rule to candidates of the item's own source", () => {
    const index = new MemoryNearIndex();
    const first = episode(118, 'Ann Okoro', 'tidal energy');
    index.add('e118', signatureOf(first), 'pod');
    const next = signatureOf(episode(121, 'Cara Moss', 'sea walls'));
    expect(findNearEntry(next, index, { ...opts, sourceId: 'pod' })).toBeUndefined();
    // The same candidate under an unknown source is judged on the usual threshold.
    expect(findNearEntry(next, index, opts)?.entryId).toBe('e118');
  });
});

describe('findNearEntry with MemoryNearIndex', () => {
  it('puts the three copies in one entry and the same-topic story in another', () => {
    const index = new MemoryNearIndex();
    const entries = [original, republished, excerpt, item('m', 'Ministry statement', MINISTRY)].map(
      (it, i) => {
        const sig = signatureOf(it);
        const entryId = findNearEntry(sig, index, opts)?.entryId ?? `entry-${i}`;
        index.add(entryId, sig);
        return entryId;
      },
    );
    expect(entries).toEqual(['entry-0', 'entry-0', 'entry-0', 'entry-3']);
  });

  it('returns the scores that joined the item', () => {
    const index = new MemoryNearIndex();
    index.add('e1', signatureOf(original));
    const found = findNearEntry(signatureOf(republished), index, opts);
    expect(found).toMatchObject({ entryId: 'e1', scores: { match: true, jaccard: 1 } });
  });

  it('keeps at most perBand items per band, newest first', () => {
    const index = new MemoryNearIndex(2);
    const sig = signatureOf(original);
    index.add('old', sig);
    index.add('mid', sig);
    index.add('new', sig);
    expect([...index.candidates(sig.bands)].map((c) => c.entryId)).toEqual(['new', 'mid']);
  });
});

describe('text for fingerprints', () => {
  it.each([
    ['WASHINGTON (Reuters) — The senate voted.', 'The senate voted.'],
    ['LONDON, Nov 27 (AP) - The senate voted.', 'The senate voted.'],
    ['KYIV, Ukraine — The senate voted.', 'The senate voted.'],
    ['(AFP) - The senate voted.', 'The senate voted.'],
    ['NATO said on Monday it would meet.', 'NATO said on Monday it would meet.'],
  ])('dateline %s', (input, expected) => {
    expect(stripBoilerplate([input])).toEqual([expected]);
  });

  it.each([
    'This article originally appeared on Reuters.',
    'The post Storm hits coast appeared first on Policy Watch.',
    'Read more',
    'Continue reading…',
    'Originally published on The Wire: Storm hits coast',
  ])('footer "%s" is dropped', (footer) => {
    expect(stripBoilerplate(['Body text of the story.', footer])).toEqual(['Body text of the story.']);
  });

  it('keeps a long paragraph that merely starts like a footer', () => {
    const p = `Read more widely, the report ${'says many things about the state of the economy '.repeat(6)}`;
    expect(stripBoilerplate([p])).toEqual([p]);
  });

  it('uses the summary when the content is empty', () => {
    expect(bodyText({ contentHtml: '', summary: 'Only a teaser here.' })).toBe('Only a teaser here.');
  });

  it('finds generic titles', () => {
    expect(titleTokensOf('Live updates')).toEqual([]);
    expect(titleTokensOf('Morning briefing: Tuesday, Nov 27')).toEqual([]);
    expect(titleTokensOf('The latest: what we know')).toEqual([]);
    expect(titleTokensOf('Hurricane Delia makes landfall near Port Alder')).toEqual([
      'alder',
      'delia',
      'hurricane',
      'landfall',
      'makes',
      'near',
      'port',
    ]);
  });
});

describe('signature bits', () => {
  // Stored signatures are compared with new ones (SIGNATURE_VERSION says when they may not be):
  // a faster way of computing one must give the same bits. Digest of signatures made before the
  // shingle loop and the title scan were rewritten for speed.
  it('stay the same for the same text', () => {
    const cases = [
      {
        title: 'Hurricane Delia makes landfall near Port Alder',
        contentHtml:
          '<p>The storm, with winds of 140,000 meters per hour, reached the coast at dawn.</p><p>Residents of Port Alder were told to stay indoors.</p>',
        summary: '',
      },
      { title: 'Три слова', contentHtml: '<p>Über die Grenze: Café «Zoë» öffnet 5,25 Uhr</p>', summary: '' },
      { title: 'Short', contentHtml: '<p>two words</p>', summary: '' },
      { title: 'K\u212Aelvin İstanbul Ünal', contentHtml: '', summary: 'A teaser of a few words only here.' },
    ];
    const digest = createHash('sha256');
    for (const c of cases) {
      const s = signatureOf(c);
      digest.update(JSON.stringify([[...s.minhash], [...s.sketch], s.bands, s.shingleCount, s.titleTokens]));
    }
    expect(digest.digest('hex')).toBe('c413d0737c5c5131d4e38691762d59aaf71a630e36874a09a0607324d616fc7e');
  });

  it('take the same title words as the normalized title split on spaces', () => {
    // The reference: what titleTokensOf did before its ASCII scan.
    const reference = (title: string): string[] => {
      const tokens = new Set<string>();
      let specific = 0;
      for (const t of normalizeForFingerprint(title).split(' ')) {
        if (!t || TITLE_STOPWORDS.has(t)) continue;
        tokens.add(t);
        if (!GENERIC_TITLE_WORDS.has(t) && !/^\d+$/.test(t)) specific++;
      }
      return specific >= 2 ? [...tokens].sort() : [];
    };
    const pieces = [
      'Storm',
      'the',
      'LIVE',
      'updates',
      '2026',
      "O'Neil",
      'e-mail',
      'x',
      '—',
      ':',
      ' ',
      '  ',
      'Zoë',
      '9am',
      'A.I.',
      'Port',
      'port',
    ];
    let seed = 7;
    const next = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    for (let k = 0; k < 2000; k++) {
      let title = '';
      const n = next() % 8;
      for (let i = 0; i < n; i++) title += pieces[next() % pieces.length] + (next() % 3 ? ' ' : '');
      expect(titleTokensOf(title), title).toEqual(reference(title));
    }
  });
});

describe('encodeSignature', () => {
  it('round-trips', () => {
    const sig = signatureOf(original);
    const back = decodeSignature(encodeSignature(sig));
    expect(back).toEqual(sig);
  });

  it('reads the base64 text that state files written before signatures were BLOBs hold', () => {
    const sig = signatureOf(original);
    expect(decodeSignature(encodeSignature(sig).toString('base64'))).toEqual(sig);
  });

  it('writes the layout stored files hold: header, then every word little-endian, then the title', () => {
    const sig = signatureOf(original);
    const bytes = encodeSignature(sig);
    const words = [...sig.minhash, ...sig.sketch];
    expect(bytes.readUInt32LE(1)).toBe(sig.shingleCount);
    expect(bytes[5]).toBe(sig.minhash.length);
    expect(bytes.readUInt16LE(6)).toBe(sig.sketch.length);
    words.forEach((w, i) => {
      expect(bytes.readUInt32LE(8 + 4 * i)).toBe(w);
    });
    expect(bytes.toString('utf8', 8 + 4 * words.length)).toBe(sig.titleTokens.join(' '));
  });

  it('reads a signature wherever its bytes start, aligned or not', () => {
    const sig = signatureOf(original);
    const bytes = encodeSignature(sig);
    for (let shift = 0; shift < 4; shift++) {
      const host = new Uint8Array(bytes.length + shift);
      host.set(bytes, shift);
      expect(decodeSignature(host.subarray(shift)), `offset ${shift}`).toEqual(sig);
    }
  });

  it('reads back only what scoring needs for a candidate, and scores it the same', () => {
    const sig = signatureOf(original);
    const copy = signatureOf(republished);
    const scored = decodeScoredSignature(encodeSignature(sig));
    expect(scored).toEqual({
      shingleCount: sig.shingleCount,
      sketch: sig.sketch,
      titleTokens: sig.titleTokens,
    });
    expect(nearMatch(copy, scored ?? sig)).toEqual(nearMatch(copy, sig));
  });

  it('refuses another version or garbage, so the caller recomputes', () => {
    const s = encodeSignature(signatureOf(original));
    s[0] = 99;
    expect(decodeScoredSignature(s)).toBeUndefined();
    expect(decodeSignature(s)).toBeUndefined();
    expect(decodeSignature(s.toString('base64'))).toBeUndefined();
    expect(decodeSignature('not a signature')).toBeUndefined();
    expect(decodeSignature(new Uint8Array(3))).toBeUndefined();
  });
});
