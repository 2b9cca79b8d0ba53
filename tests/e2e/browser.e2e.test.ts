// index.html and the feed view (feed.xml through feed.xsl) in headless Chromium, served by the real
// `feedloom serve`: no console error, no failed request, screenshots saved, and the accessibility
// facts a person relies on (lang, one h1, headings in order, images with alt).
// Needs /usr/bin/chromium (Debian package `chromium`); skips without it unless FEEDLOOM_REQUIRE_TOOLS=1.
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers/fixtures.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { REQUIRE_TOOLS } from '../unit/emit/tools.js';
import { E2E_FIXTURES, project } from './cli.js';
import { type Served, serveOutput } from './serving.js';

const CHROMIUM = '/usr/bin/chromium';
const MISSING = !existsSync(CHROMIUM);
if (MISSING)
  console.warn(
    `browser.e2e: ${CHROMIUM} not found: skipping (apt-get install -y chromium; FEEDLOOM_REQUIRE_TOOLS=1 makes this fail)`,
  );

let fixtures: TestServer;
let gallery: TestServer;
let outDir: string;
let shots: string;
let served: Served;
let browser: Browser;

beforeAll(async () => {
  if (MISSING) return;
  fixtures = await startServer(E2E_FIXTURES);
  gallery = await startServer(join(FIXTURES, 'outputs'));
  const p = await project({
    site: {
      title: 'Harbour Desk',
      description: 'Port and coast news',
      feedBase: 'https://feeds.example.org/',
    },
    sources: [
      { id: 'harbor', kind: 'feed', url: fixtures.at('harbor.xml'), tags: ['coast'] },
      { id: 'science', kind: 'feed', url: fixtures.at('science.atom'), tags: ['science'] },
      { id: 'culture', kind: 'feed', url: fixtures.at('culture.json'), tags: ['coast'] },
      { id: 'wire', kind: 'feed', url: fixtures.at('dedupe-wire.xml'), tags: ['coast'] },
      { id: 'daily', kind: 'feed', url: fixtures.at('dedupe-daily.xml'), tags: ['coast'] },
      { id: 'gallery', kind: 'feed', url: gallery.at('gallery.xml'), tags: ['coast'] },
    ],
    outputs: [{ name: 'all' }, { name: 'coast', tags: ['coast'], exclude: { title: 'crane' } }],
  });
  const r = await p.run();
  expect(r.code, r.stderr).toBe(0);
  // A copy: the project's temp folder goes after the first test.
  outDir = await mkdtemp(join(tmpdir(), 'feedloom-e2e-browser-out-'));
  await cp(p.outDir, outDir, { recursive: true });
  shots = await mkdtemp(join(tmpdir(), 'feedloom-screenshots-'));
  console.log(`browser.e2e: screenshots in ${shots}`);
  served = await serveOutput(outDir, ['--out', outDir, '--quiet']);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}, 60_000);

afterAll(async () => {
  if (MISSING) return;
  await browser?.close();
  await served?.stop();
  await fixtures?.close();
  await gallery?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
  // The screenshots stay for a person to look at; they live in the OS temp folder.
});

const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Runs in the page (a string: the tests are type-checked without the DOM library). Thumbnails: lazy,
 * with a size reserved before they load (no layout shift), decorative alt. Overflow: nothing wider
 * than the viewport (a long word or URL must wrap, not scroll sideways).
 */
const DOM_FACTS = `(() => ({
  lang: document.documentElement.lang,
  h1: document.querySelectorAll('h1').length,
  headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])),
  imagesWithoutAlt: [...document.images].filter((i) => !i.hasAttribute('alt')).length,
  images: document.images.length,
  title: document.title,
  scripts: document.scripts.length,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
  thumbnails: [...document.querySelectorAll('article img')].map((i) => ({
    alt: i.getAttribute('alt'),
    loading: i.getAttribute('loading'),
    sized: i.hasAttribute('width') && i.hasAttribute('height'),
    loaded: i.complete && i.naturalWidth > 0,
  })),
}))()`;

interface Visit {
  readonly errors: string[];
  readonly failed: string[];
  readonly dom: {
    lang: string;
    h1: number;
    headings: number[];
    imagesWithoutAlt: number;
    images: number;
    title: string;
    scripts: number;
    overflow: number;
    thumbnails: { alt: string | null; loading: string | null; sized: boolean; loaded: boolean }[];
  };
}

/** Opens `path` (light or dark scheme), screenshots it, and collects errors and DOM facts. */
async function visit(path: string, scheme: 'light' | 'dark', shot: string, width = 1000): Promise<Visit> {
  const page = await browser.newPage({ colorScheme: scheme, viewport: { width, height: 900 } });
  const errors: string[] = [];
  const failed: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // Thumbnails point at the sources' hosts, unreachable here: answer them with a one-pixel coloured
  // PNG (visible in the screenshots) so a "failed request" can only be one of ours.
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) =>
    route.fulfill({ status: 200, contentType: 'image/png', body: PIXEL }),
  );
  page.on('requestfailed', (r) => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.url()}: ${r.status()}`);
  });
  const res = await page.goto(new URL(path, served.url).href, { waitUntil: 'load' });
  expect(res?.status()).toBe(200);
  await page.screenshot({ path: join(shots, shot), fullPage: true });
  const dom = (await page.evaluate(DOM_FACTS)) as Visit['dom'];
  await page.close();
  return { errors, failed, dom };
}

function expectAccessible(v: Visit): void {
  expect(v.errors).toEqual([]);
  expect(v.failed).toEqual([]);
  expect(v.dom.lang).toMatch(/^[a-z]{2}/);
  expect(v.dom.h1).toBe(1);
  expect(v.dom.headings[0]).toBe(1);
  // Never skip a level going down (h1 -> h3 would hide a section from heading navigation).
  for (let i = 1; i < v.dom.headings.length; i++)
    expect((v.dom.headings[i] ?? 0) - (v.dom.headings[i - 1] ?? 0)).toBeLessThanOrEqual(1);
  expect(v.dom.imagesWithoutAlt).toBe(0);
  expect(v.dom.scripts).toBe(0);
  expect(v.dom.title).not.toBe('');
  expect(v.dom.overflow).toBeLessThanOrEqual(0);
}

describe.skipIf(MISSING && !REQUIRE_TOOLS)('headless Chromium', () => {
  it.each([
    ['index.html', 'light', 'root-light.png', 1000],
    ['index.html', 'dark', 'root-dark.png', 1000],
    ['index.html', 'light', 'root-phone.png', 360],
    ['coast/index.html', 'light', 'coast-light.png', 1000],
  ] as const)('renders %s (%s, %s) cleanly and accessibly', async (path, scheme, shot, width) => {
    if (MISSING)
      throw new Error(`${CHROMIUM} is required (FEEDLOOM_REQUIRE_TOOLS=1): apt-get install -y chromium`);
    const v = await visit(path, scheme, shot, width);
    expectAccessible(v);
    expect(v.dom.thumbnails).toEqual([
      { alt: '', loading: 'lazy', sized: true, loaded: true },
      { alt: '', loading: 'lazy', sized: true, loaded: true },
    ]);
  });

  it('turns feed.xml into the readable page of feed.xsl', async () => {
    if (MISSING)
      throw new Error(`${CHROMIUM} is required (FEEDLOOM_REQUIRE_TOOLS=1): apt-get install -y chromium`);
    const v = await visit('feed.xml', 'light', 'feed-xml.png');
    expectAccessible(v);
    expect(v.dom.title).toBe('Harbour Desk (RSS feed)');
  });
});
