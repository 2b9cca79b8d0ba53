import { describe, expect, it } from 'vitest';
import { isTrackingParameter, TRACKING_PARAMETERS } from '../../../src/normalize/tracking.js';
import { canonicalLink, safeSrcset, safeUrl, schemeOf, stripTracking } from '../../../src/normalize/urls.js';

const BASE = 'https://news.example/section/page.html';

describe('stripTracking', () => {
  it.each([
    [
      'all utm_*',
      'https://x.example/a?utm_source=rss&utm_medium=feed&utm_campaign=c&utm_term=t&utm_content=x&utm_id=1',
      'https://x.example/a',
    ],
    [
      'keeps other params in order',
      'https://x.example/a?z=1&utm_source=rss&a=2',
      'https://x.example/a?z=1&a=2',
    ],
    ['upper-case name', 'https://x.example/a?UTM_Source=x&id=3', 'https://x.example/a?id=3'],
    [
      'click ids',
      'https://x.example/a?fbclid=1&gclid=2&dclid=3&gbraid=4&wbraid=5&msclkid=6&yclid=7',
      'https://x.example/a',
    ],
    [
      'mailchimp and hubspot',
      'https://x.example/a?mc_cid=1&mc_eid=2&_hsenc=3&_hsmi=4&__hssc=5&__hstc=6&__hsfp=7&hsCtaTracking=8',
      'https://x.example/a',
    ],
    [
      'marketing tokens',
      'https://x.example/a?mkt_tok=1&igshid=2&oly_anon_id=3&oly_enc_id=4&vero_id=5&_ga=6&_gl=7',
      'https://x.example/a',
    ],
    ['webtrends', 'https://x.example/a?wt_mc=1&WT.mc_id=2&x=y', 'https://x.example/a?x=y'],
    ['twitter embed', 'https://x.example/a?ref_src=twsrc&ref_url=u', 'https://x.example/a'],
    ['si on youtube', 'https://youtu.be/abc?si=XyZ', 'https://youtu.be/abc'],
    [
      'si on spotify subdomain',
      'https://open.spotify.com/track/1?si=abc',
      'https://open.spotify.com/track/1',
    ],
    ['si elsewhere kept', 'https://x.example/a?si=1', 'https://x.example/a?si=1'],
    [
      "Medium's feed tag on medium.com",
      'https://medium.com/@dokafor/react-8c1d2e3f4a5b?source=rss-5f3a2b1c9d8e------2',
      'https://medium.com/@dokafor/react-8c1d2e3f4a5b',
    ],
    [
      'any Medium source tag on a medium.com subdomain',
      'https://dokafor.medium.com/react-8c1d?source=post_page-----8c1d--------&x=1',
      'https://dokafor.medium.com/react-8c1d?x=1',
    ],
    [
      "Medium's feed tag on a publication's own domain",
      'https://levelup.gitconnected.com/react-8c1d?source=rss----5517fd7b58a6---4',
      'https://levelup.gitconnected.com/react-8c1d',
    ],
    [
      'source elsewhere kept',
      'https://x.example/a?source=rss&source=github',
      'https://x.example/a?source=rss&source=github',
    ],
    [
      'resource params kept',
      'https://x.example/a?id=1&p=2&page=3&v=4&ref=main&s=q',
      'https://x.example/a?id=1&p=2&page=3&v=4&ref=main&s=q',
    ],
    [
      'encoding kept byte for byte',
      'https://x.example/a?q=a+b&r=%7E&utm_source=x',
      'https://x.example/a?q=a+b&r=%7E',
    ],
    ['fragment kept', 'https://x.example/a?utm_source=x#part-2', 'https://x.example/a#part-2'],
    ['tracking fragment removed', 'https://x.example/a#xtor=RSS-1', 'https://x.example/a'],
    ['already empty ? kept', 'https://x.example/a?', 'https://x.example/a?'],
    ['nothing to do', 'https://x.example/a?b=1', 'https://x.example/a?b=1'],
    ['not http', 'mailto:a@b.example?utm_source=x', 'mailto:a@b.example?utm_source=x'],
  ])('%s', (_name, input, expected) => {
    expect(stripTracking(input)).toBe(expected);
  });

  it('gives every table row a reason', () => {
    for (const p of TRACKING_PARAMETERS) {
      expect(p.reason.length).toBeGreaterThan(5);
      expect(p.name).toBe(p.name.toLowerCase());
    }
  });

  it('decodes the name before matching', () => {
    expect(isTrackingParameter('utm%5Fsource', 'x.example')).toBe(true);
    expect(isTrackingParameter('%E0%A4%A', 'x.example')).toBe(false);
  });
});

describe('safeUrl', () => {
  it.each([
    ['relative', 'other.html', 'link', 'https://news.example/section/other.html'],
    ['parent', '../up', 'link', 'https://news.example/up'],
    ['root-relative', '/r', 'media', 'https://news.example/r'],
    ['protocol-relative', '//cdn.example/x.png', 'image', 'https://cdn.example/x.png'],
    ['surrounding spaces', '  a.html ', 'link', 'https://news.example/section/a.html'],
    ['mailto on link', 'mailto:x@y.example', 'link', 'mailto:x@y.example'],
    ['mailto on media', 'mailto:x@y.example', 'media', undefined],
    ['data png on image', 'data:image/png;base64,AA', 'image', 'data:image/png;base64,AA'],
    ['data png on link', 'data:image/png;base64,AA', 'link', undefined],
    ['data svg on image', 'data:image/svg+xml,<svg/>', 'image', undefined],
    ['javascript', 'javascript:alert(1)', 'link', undefined],
    ['javascript with tab', 'java\tscript:alert(1)', 'link', undefined],
    ['javascript with NUL inside', 'java\u0000script:alert(1)', 'link', undefined],
    ['javascript with leading controls', '\u0001\u001f javascript:alert(1)', 'link', undefined],
    ['vbscript', 'VBScript:x', 'link', undefined],
    ['ftp', 'ftp://x.example/', 'link', undefined],
    ['empty', '', 'link', undefined],
    ['tracking stripped', '/a?utm_source=x&b=1', 'link', 'https://news.example/a?b=1'],
  ] as const)('%s', (_name, value, policy, expected) => {
    expect(safeUrl(value, BASE, policy)).toBe(expected);
  });

  it('refuses relative URLs with no base, and local paths from a file: base', () => {
    expect(safeUrl('a.html', undefined, 'link')).toBeUndefined();
    expect(safeUrl('a.html', 'file:///srv/articles/x.html', 'link')).toBeUndefined();
    expect(safeUrl('https://x.example/', 'file:///srv/articles/x.html', 'link')).toBe('https://x.example/');
  });

  it.each([
    ['JaVaScRiPt:x', 'javascript'],
    [' \tjava\nscript:x', 'javascript'],
    ['HTTPS://x', 'https'],
    ['/relative', undefined],
    ['a/b:c', undefined],
  ])('schemeOf(%j) = %s', (input, scheme) => {
    expect(schemeOf(input)).toBe(scheme);
  });
});

describe('canonicalLink', () => {
  it.each([
    ['lowercases scheme and host', 'HTTPS://News.EXAMPLE/Path', 'https://news.example/Path'],
    ['drops the default port', 'https://news.example:443/a', 'https://news.example/a'],
    ['keeps another port', 'http://news.example:8080/a', 'http://news.example:8080/a'],
    ['drops the fragment', 'https://news.example/a#comments', 'https://news.example/a'],
    ['drops tracking', 'https://news.example/a?utm_source=x&id=2#x', 'https://news.example/a?id=2'],
    ['resolves relative', '/b', 'https://news.example/b'],
  ])('%s', (_name, input, expected) => {
    expect(canonicalLink(input, BASE)).toBe(expected);
  });

  it('is undefined for unusable links', () => {
    expect(canonicalLink(undefined)).toBeUndefined();
    expect(canonicalLink('javascript:x', BASE)).toBeUndefined();
  });
});

describe('safeSrcset', () => {
  it.each([
    [
      'width descriptors',
      'a.jpg 480w, /b.jpg 800w',
      'https://news.example/section/a.jpg 480w, https://news.example/b.jpg 800w',
    ],
    [
      'density and none',
      'a.jpg, b.jpg 2x',
      'https://news.example/section/a.jpg, https://news.example/section/b.jpg 2x',
    ],
    [
      'no spaces after commas',
      'a.jpg 1x,b.jpg 2x',
      'https://news.example/section/a.jpg 1x, https://news.example/section/b.jpg 2x',
    ],
    [
      'comma inside URL',
      'https://img.example/w_100,h_50/a.jpg 100w',
      'https://img.example/w_100,h_50/a.jpg 100w',
    ],
    ['unsafe candidate dropped', 'javascript:x 1x, b.jpg 2x', 'https://news.example/section/b.jpg 2x'],
    ['bad descriptor dropped', 'a.jpg onerror=x, b.jpg 2x', 'https://news.example/section/b.jpg 2x'],
    ['nothing left', 'javascript:x 1x', undefined],
  ])('%s', (_name, input, expected) => {
    expect(safeSrcset(input, BASE)).toBe(expected);
  });
});
