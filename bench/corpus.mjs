// Deterministic feed corpus for the whole-pipeline benchmark (issue 7). Same seed, same feeds, same
// items, byte for byte, given the same base time. Dates hang off `baseTime` (not a fixed epoch) so that
// the corpus always falls inside feedloom's dedupe window, whatever day the benchmark runs.
//
// Text is built from a generated vocabulary (tens of thousands of pseudo-words with roughly Zipfian
// frequencies, plus each story's own topic words), so different stories share common words as real
// prose does but not whole phrases: near-duplicate LSH bands then collide only for real copies.
import { createHash } from 'node:crypto';

export const WORKLOADS = {
  small: { feeds: 50, items: 20 },
  medium: { feeds: 500, items: 50 },
  large: { feeds: 2000, items: 50 },
};

/** Share of item slots that are copies of a story published by another feed. */
export const REPUBLISHED_SHARE = 0.2;
/** Share of feeds changed by one churn round, and new items in each. */
export const CHURN_FEED_SHARE = 0.1;
export const CHURN_NEW_ITEMS = 5;

const FORMAT_MIX = [
  ['rss2', 0.5],
  ['atom', 0.25],
  ['rss1', 0.1],
  ['json', 0.15],
];

export const FORMAT_INFO = {
  rss2: { ext: 'xml', contentType: 'application/rss+xml; charset=utf-8' },
  atom: { ext: 'atom', contentType: 'application/atom+xml; charset=utf-8' },
  rss1: { ext: 'rdf', contentType: 'application/rdf+xml; charset=utf-8' },
  json: { ext: 'json', contentType: 'application/feed+json; charset=utf-8' },
};

const FUNCTION_WORDS =
  'the of and to a in that is was for on it with as he by at said from his but be have are not this they an which or had were her she their its been who has will would one all more there after when we new also two than about up out into over first last year years people could time only other them some'.split(
    ' ',
  );
const ONSETS = [
  '',
  'b',
  'br',
  'c',
  'ch',
  'd',
  'dr',
  'f',
  'g',
  'gr',
  'h',
  'k',
  'l',
  'm',
  'n',
  'p',
  'pr',
  'r',
  's',
  'sh',
  'st',
  't',
  'tr',
  'v',
  'w',
  'z',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'io'];
const CODAS = ['', '', '', 'n', 'r', 's', 'l', 'm', 't', 'nd', 'st', 'rk', 'ng'];
const CITIES = ['LONDON', 'NAIROBI', 'OSLO', 'LIMA', 'SEOUL', 'DENVER', 'LYON', 'PERTH', 'QUITO', 'TURIN'];
const AGENCIES = ['Reuters', 'AP', 'AFP', 'dpa', 'Kyodo', 'ANSA'];

/** mulberry32: small, fast, good enough for test data. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from any parts (FNV-1a), so every story has its own independent stream. */
function seedOf(...parts) {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0001')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const pick = (rand, list) => list[Math.floor(rand() * list.length)];
const int = (rand, lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const cap = (w) => w[0].toUpperCase() + w.slice(1);
const xml = (s) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function makeVocabulary(seed, size) {
  const rand = mulberry32(seedOf(seed, 'vocab'));
  const words = new Set(FUNCTION_WORDS);
  while (words.size < size + FUNCTION_WORDS.length) {
    let w = '';
    const syllables = rand() < 0.15 ? 1 : rand() < 0.6 ? 2 : rand() < 0.8 ? 3 : 4;
    for (let i = 0; i < syllables; i++) w += pick(rand, ONSETS) + pick(rand, VOWELS) + pick(rand, CODAS);
    if (w.length > 2) words.add(w);
  }
  // Function words first: the Zipf sampler gives the lowest ranks most of the mass.
  return [...words];
}

/**
 * Builds a corpus of `feeds` x `items`. Nothing but the slot table is held in memory; the text of an
 * item is regenerated from its story's seed when a feed is rendered.
 *
 * @example
 * const corpus = createCorpus({ feeds: 50, items: 20, seed: 1, baseTime: Date.now() });
 * const { body, contentType } = corpus.render(0, 'http://127.0.0.1:8080/feeds/');
 */
export function createCorpus({ feeds, items, seed = 1, baseTime = Date.now() }) {
  const vocab = makeVocabulary(seed, 40_000);
  const logV = Math.log(vocab.length + 1);
  // Log-uniform ranks: P(rank r) ~ 1/r, the shape of word frequencies in prose.
  const zipf = (rand) => vocab[Math.min(vocab.length - 1, Math.floor(Math.exp(rand() * logV)) - 1)];
  const base = Math.floor(baseTime / 1000) * 1000;
  const rand = mulberry32(seedOf(seed, 'corpus'));

  const feedSpecs = [];
  for (let f = 0; f < feeds; f++) {
    let u = rand();
    let format = 'rss2';
    for (const [name, share] of FORMAT_MIX) {
      if (u < share) {
        format = name;
        break;
      }
      u -= share;
    }
    const name = `${cap(zipf(rand))} ${cap(vocab[int(rand, 2000, vocab.length - 1)])}`;
    feedSpecs.push({
      index: f,
      id: `feed-${String(f).padStart(4, '0')}`,
      format,
      title: `The ${name} ${pick(rand, ['Courier', 'Tribune', 'Review', 'Post', 'Dispatch', 'Ledger', 'Herald'])}`,
      host: `${name.toLowerCase().replace(' ', '-')}-${f}.example`,
      // One item every 20 min to 4 h: 50 items span half a day to a week.
      intervalMs: int(rand, 20, 240) * 60_000,
      fullContent: rand() < 0.7, // else the HTML is in <description> / summary only
      scriptShare: 0.4 + rand() * 0.6,
      iframeShare: rand() * 0.5,
      pixelShare: rand() < 0.4 ? 0.9 : 0,
    });
  }

  // Slot table: per feed, newest first. A slot is an original story of that feed or a copy.
  let nextStory = 0;
  const newStory = () => nextStory++;
  const baseSlots = feedSpecs.map((spec) => {
    const slots = [];
    for (let j = 0; j < items; j++) {
      const jitter = Math.floor(rand() * spec.intervalMs * 0.5);
      const published = Math.floor((base - 3_600_000 - j * spec.intervalMs - jitter) / 1000) * 1000;
      slots.push({ story: newStory(), copy: false, syndicated: false, published });
    }
    return slots;
  });

  // Republished stories: each goes to 1-4 other feeds (2-5 in all), replacing one of their originals,
  // until 20 % of the slots are copies.
  const wantCopies = Math.round(REPUBLISHED_SHARE * feeds * items);
  let copies = 0;
  for (let tries = 0; copies < wantCopies && feeds > 1 && tries < wantCopies * 20; tries++) {
    const f = Math.floor(rand() * feeds);
    const origin = baseSlots[f][Math.floor(rand() * items)];
    if (origin.copy || origin.syndicated) continue;
    const targets = new Set();
    const k = int(rand, 1, Math.min(4, feeds - 1));
    while (targets.size < k) {
      const g = Math.floor(rand() * feeds);
      if (g !== f) targets.add(g);
    }
    let placed = 0;
    for (const g of targets) {
      const j = Math.floor(rand() * items);
      const slot = baseSlots[g][j];
      if (slot.copy || slot.syndicated) continue;
      baseSlots[g][j] = {
        story: origin.story,
        copy: true,
        syndicated: false,
        variant: int(rand, 0, 2),
        published: Math.min(base - 60_000, origin.published + int(rand, 10, 360) * 60_000),
      };
      placed++;
      copies++;
      if (copies >= wantCopies) break;
    }
    if (placed) origin.syndicated = true;
  }
  for (const slots of baseSlots) slots.sort((a, b) => b.published - a.published);

  /** The paragraphs and title of a story, regenerated from its id. */
  function story(id) {
    const r = mulberry32(seedOf(seed, 'story', id));
    // Each story has its own names and topic words, as real stories do.
    const topic = Array.from({ length: 6 }, () => vocab[int(r, 500, vocab.length - 1)]);
    const names = Array.from(
      { length: 3 },
      () => `${cap(zipf(r))} ${cap(vocab[int(r, 300, vocab.length - 1)])}`,
    );
    const word = () => {
      const u = r();
      if (u < 0.08) return pick(r, topic);
      if (u < 0.1) return pick(r, names);
      return zipf(r);
    };
    const sentence = () => {
      const n = int(r, 8, 24);
      const w = [];
      for (let i = 0; i < n; i++) w.push(word() + (i < n - 1 && r() < 0.07 ? ',' : ''));
      return `${cap(w.join(' '))}${r() < 0.1 ? '?' : '.'}`;
    };
    const paragraphs = Array.from({ length: int(r, 4, 8) }, () =>
      Array.from({ length: int(r, 1, 3) }, sentence).join(' '),
    );
    const title = cap(
      Array.from({ length: int(r, 5, 11) }, () => (r() < 0.3 ? pick(r, topic) : zipf(r))).join(' '),
    );
    return {
      title,
      paragraphs,
      topic,
      author: names[0],
      categories: [cap(topic[0]), cap(topic[1])],
      image: r() < 0.75,
      slug: topic.slice(0, 3).join('-'),
    };
  }

  /** One item as a feed shows it: the feed's own link, guid and page furniture around the story. */
  function itemOf(spec, slot) {
    const s = story(slot.story);
    const r = mulberry32(seedOf(seed, 'item', spec.index, slot.story));
    const date = new Date(slot.published);
    const path = `/${date.getUTCFullYear()}/${String(date.getUTCMonth() + 1).padStart(2, '0')}/${s.slug}-${slot.story}.html`;
    const link = `https://${spec.host}${path}`;
    const paras = [...s.paragraphs];
    if (slot.copy && slot.variant !== 1) paras[0] = `${pick(r, CITIES)} (${pick(r, AGENCIES)}) — ${paras[0]}`;
    if (slot.copy && slot.variant !== 0) paras.splice(Math.max(2, paras.length - int(r, 1, 2)));
    const out = [];
    paras.forEach((p, i) => {
      let text = xml(p);
      if (i === 0 || r() < 0.4) {
        // A relative link with campaign parameters somewhere in the paragraph.
        const words = text.split(' ');
        const at = int(r, 0, words.length - 1);
        words[at] =
          `<a href="/topics/${s.topic[i % s.topic.length]}?utm_source=rss&amp;utm_medium=feed&amp;utm_campaign=${spec.id}">${words[at]}</a>`;
        text = words.join(' ');
      }
      if (r() < 0.15)
        text += ` <a href="https://www.${pick(r, s.topic)}.example/report?id=${int(r, 1, 99999)}&amp;fbclid=IwAR${int(r, 1e6, 9e6)}">(source)</a>`;
      out.push(
        i === 3 && r() < 0.3
          ? `<h2>${xml(cap(s.topic[2]))} ${xml(s.topic[3])}</h2>\n<p>${text}</p>`
          : `<p>${text}</p>`,
      );
      if (i === 0 && s.image) {
        out.push(
          `<figure><img src="/images/${slot.story}/lead.jpg" alt="${xml(s.title)}" width="1200" height="675" loading="lazy"><figcaption>${xml(s.author)} for ${xml(spec.title)}</figcaption></figure>`,
        );
      }
      if (i === 1 && r() < spec.scriptShare) {
        out.push(
          `<script type="text/javascript">window.dataLayer=window.dataLayer||[];dataLayer.push({event:"article_view",id:${slot.story},feed:"${spec.id}"});</script>`,
        );
      }
      if (i === 2 && r() < spec.iframeShare) {
        out.push(
          `<iframe src="https://www.youtube-nocookie.com/embed/${s.slug.slice(0, 11)}" width="560" height="315" frameborder="0" allowfullscreen></iframe>`,
        );
      }
    });
    if (slot.copy && slot.variant !== 0)
      out.push(`<p><a href="${link}?utm_source=syndication">Read the full story</a></p>`);
    if (r() < spec.pixelShare)
      out.push(`<img src="https://stats.${spec.host}/p.gif?u=${slot.story}" width="1" height="1" alt="">`);
    return {
      guid: `${spec.host}:${slot.story}`,
      link,
      title: s.title,
      html: out.join('\n'),
      summary: s.paragraphs[0].split(' ').slice(0, 30).join(' '),
      date,
      author: s.author,
      categories: s.categories,
      image: s.image ? `https://${spec.host}/images/${slot.story}/lead.jpg` : undefined,
    };
  }

  function renderFeed(spec, slots, selfUrl, updated) {
    const list = slots.map((slot) => itemOf(spec, slot));
    const home = `https://${spec.host}/`;
    const description = `News and analysis from ${spec.title}`;
    if (spec.format === 'json') {
      return JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: spec.title,
        home_page_url: home,
        feed_url: selfUrl,
        description,
        language: 'en',
        authors: [{ name: spec.title }],
        items: list.map((it) => ({
          id: it.guid,
          url: it.link,
          title: it.title,
          ...(spec.fullContent ? { content_html: it.html, summary: it.summary } : { content_html: it.html }),
          ...(it.image ? { image: it.image } : {}),
          date_published: it.date.toISOString(),
          authors: [{ name: it.author }],
          tags: it.categories,
        })),
      });
    }
    if (spec.format === 'atom') {
      const entries = list.map(
        (it) => `<entry>
<title>${xml(it.title)}</title>
<link rel="alternate" type="text/html" href="${xml(it.link)}"/>
<id>tag:${spec.host},2024:${xml(it.guid)}</id>
<published>${it.date.toISOString()}</published>
<updated>${it.date.toISOString()}</updated>
<author><name>${xml(it.author)}</name></author>
${it.categories.map((c) => `<category term="${xml(c)}"/>`).join('')}
<summary type="text">${xml(it.summary)}</summary>
<content type="html" xml:base="${xml(it.link)}">${xml(it.html)}</content>
</entry>`,
      );
      return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<title>${xml(spec.title)}</title>
<subtitle>${xml(description)}</subtitle>
<link rel="alternate" type="text/html" href="${home}"/>
<link rel="self" type="application/atom+xml" href="${xml(selfUrl)}"/>
<id>tag:${spec.host},2024:feed</id>
<updated>${updated.toISOString()}</updated>
<generator>bench-corpus</generator>
${entries.join('\n')}
</feed>
`;
    }
    if (spec.format === 'rss1') {
      const seq = list.map((it) => `<rdf:li rdf:resource="${xml(it.link)}"/>`).join('\n');
      const entries = list.map(
        (it) => `<item rdf:about="${xml(it.link)}">
<title>${xml(it.title)}</title>
<link>${xml(it.link)}</link>
<description>${xml(it.summary)}</description>
<content:encoded><![CDATA[${it.html}]]></content:encoded>
<dc:date>${it.date.toISOString()}</dc:date>
<dc:creator>${xml(it.author)}</dc:creator>
<dc:subject>${xml(it.categories[0])}</dc:subject>
</item>`,
      );
      return `<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel rdf:about="${xml(selfUrl)}">
<title>${xml(spec.title)}</title>
<link>${home}</link>
<description>${xml(description)}</description>
<dc:date>${updated.toISOString()}</dc:date>
<items><rdf:Seq>
${seq}
</rdf:Seq></items>
</channel>
${entries.join('\n')}
</rdf:RDF>
`;
    }
    const entries = list.map(
      (it) => `<item>
<title>${xml(it.title)}</title>
<link>${xml(it.link)}</link>
<guid isPermaLink="false">${xml(it.guid)}</guid>
<pubDate>${it.date.toUTCString().replace('GMT', '+0000')}</pubDate>
<dc:creator>${xml(it.author)}</dc:creator>
${it.categories.map((c) => `<category>${xml(c)}</category>`).join('')}
${
  spec.fullContent
    ? `<description>${xml(it.summary)}</description>\n<content:encoded><![CDATA[${it.html}]]></content:encoded>`
    : `<description>${xml(it.html)}</description>`
}
${it.image ? `<enclosure url="${xml(it.image)}" type="image/jpeg" length="0"/>` : ''}
</item>`,
    );
    return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>${xml(spec.title)}</title>
<link>${home}</link>
<description>${xml(description)}</description>
<language>en</language>
<lastBuildDate>${updated.toUTCString()}</lastBuildDate>
<atom:link href="${xml(selfUrl)}" rel="self" type="application/rss+xml"/>
${entries.join('\n')}
</channel>
</rss>
`;
  }

  /** Slots after `round` churn rounds: 10 % of feeds (chosen per round) gain 5 new items, drop 5 old. */
  const churned = new Map(); // round -> Map(feed index -> slots)
  function slotsAt(round) {
    if (round === 0) return { changed: new Set(), slotsOf: (f) => baseSlots[f] };
    let prev = slotsAt(round - 1);
    if (!churned.has(round)) {
      const r = mulberry32(seedOf(seed, 'churn', round));
      const count = Math.max(1, Math.round(CHURN_FEED_SHARE * feeds));
      const picked = new Set();
      while (picked.size < count) picked.add(Math.floor(r() * feeds));
      const changes = new Map();
      let previousNew = [];
      for (const f of [...picked].sort((a, b) => a - b)) {
        const fresh = [];
        for (let i = 0; i < CHURN_NEW_ITEMS; i++) {
          // New items are from the last hour (older items are at least an hour old), newest first.
          const published = base - 3_000_000 + round * 60_000 + (CHURN_NEW_ITEMS - i) * 30_000;
          // Now and then a fresh story is picked up by another changed feed (dedupe across one run).
          const copyOf = previousNew.length && r() < REPUBLISHED_SHARE ? pick(r, previousNew) : undefined;
          fresh.push(
            copyOf === undefined
              ? { story: newStory(), copy: false, syndicated: false, published }
              : { story: copyOf, copy: true, syndicated: false, variant: int(r, 0, 2), published },
          );
        }
        previousNew = fresh.filter((s) => !s.copy).map((s) => s.story);
        changes.set(f, [...fresh, ...prev.slotsOf(f)].slice(0, items));
      }
      churned.set(round, changes);
    }
    const changes = churned.get(round);
    const before = prev;
    prev = {
      changed: new Set(changes.keys()),
      slotsOf: (f) => changes.get(f) ?? before.slotsOf(f),
    };
    return prev;
  }

  return {
    feeds: feedSpecs,
    itemsPerFeed: items,
    baseTime: base,
    copies,
    /** Feed indexes changed by `round` (relative to round - 1). */
    changedAt: (round) => [...slotsAt(round).changed],
    /**
     * The document of feed `f` after `round` churn rounds. Last-Modified moves with every round
     * that changed the feed.
     */
    render(f, selfUrl, round = 0) {
      const spec = feedSpecs[f];
      let lastChange = 0;
      for (let k = round; k > 0; k--) {
        if (slotsAt(k).changed.has(f)) {
          lastChange = k;
          break;
        }
      }
      const updated = new Date(base - 3_600_000 + lastChange * 600_000);
      const body = renderFeed(spec, slotsAt(round).slotsOf(f), selfUrl, updated);
      return {
        body,
        updated,
        items: items,
        contentType: FORMAT_INFO[spec.format].contentType,
        etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 20)}"`,
      };
    },
  };
}
