// Lines before and inside the story that are not the story: bylines, datelines and "Read more:"
// pointers go; sentences that merely start with the same words stay.
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../../src/ingest/article/extract/index.js';
import { isByline } from '../../../../src/ingest/article/extract/lead-in.js';

const URL = 'https://news.example/2026/12/fire';
const BODY =
  '<p>The blaze at the logistics depot on Mill Road started shortly after 2am on Thursday, according to the fire service, and took six crews more than four hours to bring under control.</p><p>No one was injured, but the company said stock worth several million had been destroyed, including most of the toys.</p>';

function article(inner: string): string {
  return `<!DOCTYPE html><html><head><title>Warehouse fire destroys depot</title></head><body><article><h1>Warehouse fire destroys depot</h1><div class="article-body">${inner}</div></article></body></html>`;
}

describe('bylines', () => {
  it.each([
    ['By Jane Smith', true],
    ['By JANE SMITH and TOM REID', true],
    ['By Jane Smith, Political Editor', true],
    ['By Mary Ann de la Cruz | 3 December 2026', true],
    ['Von Anna Müller', true],
    ['Posted by admin', true],
    ['Photos: Getty Images', true],
    ['By the time firefighters arrived, the roof had already collapsed.', false],
    ['By noon the river had burst its banks.', false],
    ['Par ailleurs, la mairie a fermé le pont.', false],
  ])('%s → %s', (line, expected) => {
    expect(isByline(line)).toBe(expected);
  });

  it('keeps a lede that starts "By the time ..." and drops the real byline above it', () => {
    const a = extractArticle(
      article(
        `<p>By Jane Smith</p><p>By the time firefighters arrived, the roof had already collapsed.</p>${BODY}`,
      ),
      URL,
    );
    expect(a.text.split('\n')[0]).toBe('By the time firefighters arrived, the roof had already collapsed.');
    expect(a.text).not.toContain('Jane Smith');
  });
});

describe('"Read more" pointers inside the story', () => {
  it.each([
    ['Read more: <a href="/a">Floods close the coast road</a>', false],
    ['Related: <a href="/a">Floods close the coast road</a>', false],
    ['Watch | <a href="/v">The depot burning, filmed from the air</a>', false],
    ['More on <a href="/t/floods">the floods</a>', false],
    ['See also <a href="/a">Floods close the coast road</a>', false],
    [
      'More than 400 homes were flooded, according to <a href="/r">the Environment Agency\'s provisional flood report</a>.',
      true,
    ],
    ['Watch the <a href="/v">council meeting where the plan was approved</a> in full.', true],
    ['Listen to <a href="/p">the full interview with the fire chief</a>.', true],
  ])('%s (kept: %s)', (line, kept) => {
    const a = extractArticle(article(`${BODY}<p>${line}</p>${BODY}`), URL);
    const plain = line.replace(/<[^>]+>/g, '');
    if (kept) expect(a.text).toContain(plain);
    else expect(a.text).not.toContain(plain);
  });
});

describe('date and byline lines below a standfirst', () => {
  const STANDFIRST =
    'Thousands of people have been evacuated as Storm Elin brings a month of rain in a single day to the coast';
  it.each([
    ['a standfirst by its class', `<p class="standfirst">${STANDFIRST}</p>`],
    ['a dek by its class', `<div class="article-dek">${STANDFIRST}</div>`],
    ['a paragraph inside the article header', `<p>${STANDFIRST}</p>`],
  ])('%s', (_name, standfirst) => {
    const html = `<!doctype html><html><head><title>Storm floods coastal towns</title></head><body><article>
      <div class="article-header"><h1>Storm floods coastal towns</h1>${standfirst}
      <div class="article-date">Thursday 3 December 2026 07:30 CET</div><p>By Jane Smith</p></div>
      <div class="article-body">${BODY}</div></article></body></html>`;
    const a = extractArticle(html, URL);
    expect(a.text).toContain(STANDFIRST);
    expect(a.text).not.toContain('3 December 2026');
    expect(a.text).not.toContain('Jane Smith');
  });

  it('still stops at the first long paragraph of the story', () => {
    const a = extractArticle(article(`${BODY}<p>Updated 3 December 2026</p>${BODY}`), URL);
    expect(a.text).toContain('Updated 3 December 2026');
  });
});
