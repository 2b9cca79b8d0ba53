// Images of the story: the real file behind a lazy loader, and srcsets whose URLs hold commas.
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../../src/ingest/article/extract/index.js';

const URL = 'https://news.example/2026/12/images';
const P = (n: number) =>
  `<p>Paragraph ${n} of the story is long enough to count as a real paragraph of text, with several clauses, commas, and words.</p>`;

/** The attributes of the story's one <img> (and its <source>s) after extraction. */
function image(
  figure: string,
  pageUrl = URL,
): { img: Record<string, string>; sources: Record<string, string>[] } {
  const a = extractArticle(
    `<!doctype html><html><head><title>Images</title></head><body><article>${P(1)}<figure>${figure}<figcaption>Caption</figcaption></figure>${P(2)}${P(3)}</article></body></html>`,
    pageUrl,
  );
  const $ = cheerio.load(a.html);
  return {
    img: { ...($('img').get(0)?.attribs ?? {}) },
    sources: $('source')
      .get()
      .map((s) => ({ ...s.attribs })),
  };
}

describe('AMP pages', () => {
  it('turns <amp-img> into an <img> with its source made absolute, without its fallback', () => {
    const a = extractArticle(
      `<!doctype html><html amp><head><title>AMP</title></head><body><article>${P(1)}` +
        '<amp-img src="/media/amp.jpg" srcset="/media/amp-640.jpg 640w, /media/amp-1280.jpg 1280w" width="1280" height="720" layout="responsive" alt="Boat">' +
        '<amp-img fallback src="/media/fallback.jpg" layout="fill"></amp-img></amp-img>' +
        `${P(2)}${P(3)}</article></body></html>`,
      URL,
    );
    const $ = cheerio.load(a.html);
    expect(
      $('img')
        .get()
        .map((i) => i.attribs),
    ).toEqual([
      {
        src: 'https://news.example/media/amp.jpg',
        srcset: 'https://news.example/media/amp-640.jpg 640w, https://news.example/media/amp-1280.jpg 1280w',
        width: '1280',
        height: '720',
        alt: 'Boat',
      },
    ]);
    expect(a.html).not.toContain('amp-img');
  });
});

describe('the real image behind a lazy loader', () => {
  it('takes the <noscript> copy for a data: placeholder', () => {
    const { img } = image(
      '<img class="lazyload" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="Boat"><noscript><img src="/media/real.jpg" alt="Boat"></noscript>',
    );
    expect(img['src']).toBe('https://news.example/media/real.jpg');
  });

  it('gives an image known only by data-srcset its largest candidate as src', () => {
    const { img } = image(
      '<img class="lazyload" data-srcset="/media/a-400.jpg 400w, /media/a-800.jpg 800w" alt="Boat">',
    );
    expect(img['src']).toBe('https://news.example/media/a-800.jpg');
    expect(img['srcset']).toBe(
      'https://news.example/media/a-400.jpg 400w, https://news.example/media/a-800.jpg 800w',
    );
  });

  it('prefers data-src to a real-looking but tiny blurred src', () => {
    const { img } = image('<img src="/media/photo.jpg?w=20&amp;blur=10" data-src="/media/photo.jpg?w=1200">');
    expect(img['src']).toBe('https://news.example/media/photo.jpg?w=1200');
  });

  it('fills <picture> sources from data-srcset', () => {
    const { img, sources } = image(
      '<picture><source type="image/webp" data-srcset="/media/pic-800.webp 800w"><img data-src="/media/pic-800.jpg" alt="P"></picture>',
    );
    expect(img['src']).toBe('https://news.example/media/pic-800.jpg');
    expect(sources[0]?.['srcset']).toBe('https://news.example/media/pic-800.webp 800w');
  });

  it('resolves lazy images in a local file too (URLs stay relative there)', () => {
    const { img } = image(
      '<img src="data:image/gif;base64,R0lGOD" data-src="media/local.jpg">',
      'file:///tmp/a.html',
    );
    expect(img['src']).toBe('media/local.jpg');
  });
});

describe('srcset', () => {
  it('keeps commas inside URLs (Cloudinary transformations)', () => {
    const { img } = image(
      '<img src="https://res.cloudinary.com/demo/image/upload/w_400,c_fill/sample.jpg" srcset="https://res.cloudinary.com/demo/image/upload/w_400,c_fill/sample.jpg 400w, /upload/w_800,c_fill/sample.jpg 800w">',
    );
    expect(img['srcset']).toBe(
      'https://res.cloudinary.com/demo/image/upload/w_400,c_fill/sample.jpg 400w, https://news.example/upload/w_800,c_fill/sample.jpg 800w',
    );
  });
});

describe('data-url', () => {
  it('fills a placeholder, but does not replace a real src (it is also a click-through address)', () => {
    expect(image('<img src="data:image/gif;base64,R0lGOD" data-url="/media/a.jpg">').img['src']).toBe(
      'https://news.example/media/a.jpg',
    );
    expect(image('<img src="/media/b.jpg" data-url="https://shop.example/item/4">').img['src']).toBe(
      'https://news.example/media/b.jpg',
    );
  });
});
