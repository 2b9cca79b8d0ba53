// The labeled corpus (tests/fixtures/dedupe, built by generate.mjs from stories.mjs) clustered the way
// the pipeline will: items in arrival order, each joining the best matching entry or opening one.
// Pairwise precision and recall against the ground-truth story ids must stay at issue 3's bar.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NEAR_THRESHOLD,
  findNearEntry,
  MemoryNearIndex,
  signatureOf,
} from '../../../src/dedupe/index.js';
import type { Item } from '../../../src/types.js';
import { readFixture } from '../../helpers/fixtures.js';
import { makeItem } from '../../helpers/items.js';

interface CorpusItem {
  readonly id: string;
  readonly story: string;
  readonly variant: string;
  readonly sourceId: string;
  readonly link: string;
  readonly title: string;
  readonly contentHtml: string;
  readonly summary: string;
  readonly published: string;
}

const corpus = JSON.parse(readFixture('dedupe/corpus.json')) as CorpusItem[];

function toItem(c: CorpusItem): Item {
  return makeItem({
    sourceId: c.sourceId,
    guid: c.id,
    link: c.link,
    title: c.title,
    contentHtml: c.contentHtml,
    summary: c.summary,
    published: new Date(c.published),
  });
}

/** Entry id per corpus item, clustering in input order. */
function cluster(items: readonly CorpusItem[], threshold: number): string[] {
  const index = new MemoryNearIndex();
  return items.map((c) => {
    const sig = signatureOf(toItem(c));
    const entryId = findNearEntry(sig, index, { threshold, sourceId: c.sourceId })?.entryId ?? `e-${c.id}`;
    index.add(entryId, sig, c.sourceId);
    return entryId;
  });
}

function pairwise(truth: readonly string[], predicted: readonly string[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < truth.length; i++) {
    for (let j = i + 1; j < truth.length; j++) {
      const same = truth[i] === truth[j];
      const joined = predicted[i] === predicted[j];
      if (same && joined) tp++;
      else if (joined) fp++;
      else if (same) fn++;
    }
  }
  return {
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    tp,
    fp,
    fn,
  };
}

describe('near-duplicate corpus', () => {
  it('is big enough and varied', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(new Set(corpus.map((c) => c.story)).size).toBeGreaterThanOrEqual(40);
    expect(new Set(corpus.map((c) => c.variant))).toEqual(
      new Set([
        'original',
        'republished',
        'excerpt',
        'trimmed',
        'restyled',
        'copyedited',
        'wordpress',
        'teaser',
        'live',
      ]),
    );
  });

  it('clusters with pairwise precision >= 0.99 and recall >= 0.95', () => {
    const predicted = cluster(corpus, DEFAULT_NEAR_THRESHOLD);
    const m = pairwise(
      corpus.map((c) => c.story),
      predicted,
    );
    console.log(
      `dedupe corpus: ${corpus.length} items, ${new Set(corpus.map((c) => c.story)).size} stories, ` +
        `${new Set(predicted).size} entries; precision ${m.precision.toFixed(4)} recall ${m.recall.toFixed(4)} ` +
        `(tp ${m.tp}, fp ${m.fp}, fn ${m.fn}, threshold ${DEFAULT_NEAR_THRESHOLD})`,
    );
    expect(m.precision).toBeGreaterThanOrEqual(0.99);
    expect(m.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('does not depend on arrival order: reversed input scores as well', () => {
    const reversed = [...corpus].reverse();
    const m = pairwise(
      reversed.map((c) => c.story),
      cluster(reversed, DEFAULT_NEAR_THRESHOLD),
    );
    console.log(`dedupe corpus reversed: precision ${m.precision.toFixed(4)} recall ${m.recall.toFixed(4)}`);
    expect(m.precision).toBeGreaterThanOrEqual(0.99);
    expect(m.recall).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps every same-topic story apart from its neighbours', () => {
    const predicted = cluster(corpus, DEFAULT_NEAR_THRESHOLD);
    const storiesOf = new Map<string, Set<string>>();
    corpus.forEach((c, i) => {
      const entry = predicted[i] ?? '';
      storiesOf.set(entry, (storiesOf.get(entry) ?? new Set()).add(c.story));
    });
    const mixed = [...storiesOf.values()].filter((s) => s.size > 1).map((s) => [...s].join(' + '));
    expect(mixed).toEqual([]);
  });
});
