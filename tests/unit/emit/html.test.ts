import { createHash } from 'node:crypto';
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { PAGE_CSP, PAGE_STYLE } from '../../../src/emit/html.js';
import { also, makeEntry, makeOutput, SITE } from './make-entry.js';
import { render } from './render.js';

const entries = [
  makeEntry({
    entryId: 'e-1',
    item: { image: 'https://img.example/a.jpg?w=1&h=2', title: 'Storm "warning" <issued>' },
    alsoFrom: [
      also('daily', 'The Daily', 'https://daily.example.net/s/1'),
      also('blog', 'A Blog', 'https://blog.example/x'),
    ],
  }),
  makeEntry({
    entryId: 'e-2',
    item: { link: 'javascript:alert(1)', title: 'No link', image: 'javascript:alert(2)' },
  }),
];

describe('index.html', () => {
  const html = render(entries).html;
  const $ = load(html);

  it('is a complete, declared, responsive document', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect($('meta[charset]').attr('charset')).toBe('utf-8');
    expect($('meta[name=viewport]').attr('content')).toContain('width=device-width');
    expect($('title').text()).toBe('World Desk');
    expect(render(entries, { site: { ...SITE, language: undefined } }).html).toContain('<html lang="en">');
    expect(render(entries, { site: { ...SITE, language: 'he' } }).html).toContain('<html lang="he">');
  });

  it("says the footer's time is the newest entry's (the page is not rewritten when nothing changed)", () => {
    const newest = Math.max(...entries.map((e) => (e.item.updated ?? e.item.published).getTime()));
    const time = $('footer time');
    expect($('footer').text()).toMatch(/^Newest entry /);
    expect(time.attr('datetime')).toBe(new Date(newest).toISOString().replace(/\.\d{3}Z$/, 'Z'));
  });

  it('announces the feeds this output writes (absolute with feedBase)', () => {
    const alt = $('link[rel=alternate]')
      .toArray()
      .map((l) => [$(l).attr('type'), $(l).attr('href')]);
    expect(alt).toEqual([
      ['application/rss+xml', 'https://news.example.org/feeds/feed.xml'],
      ['application/atom+xml', 'https://news.example.org/feeds/atom.xml'],
      ['application/feed+json', 'https://news.example.org/feeds/feed.json'],
    ]);
    expect($('link[rel=alternate]').first().attr('title')).toBe('World Desk (RSS)');
    expect(
      $('header .feeds a')
        .toArray()
        .map((a) => $(a).text()),
    ).toEqual(['RSS', 'Atom', 'JSON Feed']);
    // The page's own links stay relative, so index.html works opened from disk or served anywhere.
    expect(
      $('header .feeds a')
        .toArray()
        .map((a) => $(a).attr('href')),
    ).toEqual(['feed.xml', 'atom.xml', 'feed.json']);
  });

  it('uses relative feed links without feedBase, and only the formats written', () => {
    const { feedBase: _, ...site } = SITE;
    const $$ = load(render(entries, { site, output: makeOutput({ formats: ['atom'] }) }).html);
    expect(
      $$('link[rel=alternate]')
        .toArray()
        .map((l) => $$(l).attr('href')),
    ).toEqual(['atom.xml']);
    expect($$('header .feeds a').attr('href')).toBe('atom.xml');
  });

  it('lists each entry: linked title, source, also-reported names, time, summary, thumbnail', () => {
    const first = $('article').first();
    expect(first.find('h2 a').attr('href')).toBe('https://wire.example.com/world/story-1');
    expect(first.find('h2').text()).toBe('Storm "warning" <issued>');
    expect(first.find('.source').text()).toBe('Wire Service');
    expect(
      first
        .find('.also a')
        .toArray()
        .map((a) => $(a).text()),
    ).toEqual(['The Daily', 'A Blog']);
    expect(first.find('time').attr('datetime')).toBe('2026-01-05T10:00:00Z');
    expect(first.find('p[dir=auto]').text()).toBe('The harbour was quiet.');
    const img = first.find('img');
    expect(img.attr('src')).toBe('https://img.example/a.jpg?w=1&h=2');
    expect(img.attr('alt')).toBe('');
    expect(img.attr('loading')).toBe('lazy');
  });

  it('drops javascript: links and images instead of printing them', () => {
    const second = $('article').eq(1);
    expect(second.find('a')).toHaveLength(0);
    expect(second.find('img')).toHaveLength(0);
    expect(html).not.toContain('javascript:');
  });

  it('has no script, no external resource, one inline style allowed by the CSP hash', () => {
    expect($('script')).toHaveLength(0);
    expect($('link[rel=stylesheet], link[rel=preload], link[rel=icon], iframe, object, embed')).toHaveLength(
      0,
    );
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect($('style')).toHaveLength(1);
    expect($('style').text()).toBe(PAGE_STYLE);
    const hash = createHash('sha256').update($('style').text()).digest('base64');
    expect($('meta[http-equiv=Content-Security-Policy]').attr('content')).toBe(PAGE_CSP);
    expect(PAGE_CSP).toContain(`'sha256-${hash}'`);
    expect(PAGE_CSP).toContain("default-src 'none'");
  });

  it('has a readable measure, system fonts and a dark scheme', () => {
    expect(PAGE_STYLE).toContain('max-width: 70ch');
    expect(PAGE_STYLE).toContain('system-ui');
    expect(PAGE_STYLE).toContain('@media (prefers-color-scheme: dark)');
  });

  it('says so when there is nothing to show', () => {
    expect(load(render([]).html)('main').text()).toContain('Nothing here yet.');
  });
});
