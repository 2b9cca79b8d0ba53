// A plain-text article (.txt), as text arrives when copied out of a page or an email: the first line
// is the title, blank lines separate paragraphs, short unpunctuated lines between paragraphs are
// subheadings, and the tail often carries a source credit and page furniture.
import type { FetchedDocument, RawItem } from '../../types.js';
import { escapeText } from '../../util/text.js';
import { compact, type DocumentResult } from '../document.js';

/** Lines of page furniture that copying a web page drags along at the end of an article. */
export const TRAILING_BOILERPLATE: readonly RegExp[] = [
  /^you (?:may|might) (?:also )?like\b/i,
  /^related(?: articles| stories| posts| content| coverage)?\b/i,
  /^read (?:more|next|also)\b/i,
  /^share (?:this|on)\b/i,
  /^advertisement$/i,
  /^subscribe to (?:our|the)\b/i,
  /^sign up (?:for|to)\b/i,
  /^follow us\b/i,
  /^more (?:stories|from|on)\b/i,
  /^recommended(?: for you)?\b/i,
  /^(?:tags|topics|filed under):/i,
  /^comments?$/i,
  /^(?:print|email|share)(?:\s*[|·/]\s*(?:print|email|share))*$/i,
  // Blogger's post footer: "Posted by Helen at 9:14 AM", "Labels: radios, repairs".
  /^posted by .{1,60}? (?:at|on) .{1,40}$/i,
  /^labels:/i,
];

/** A closing credit line: "Source: X", "Originally published by X", "Via X". */
export const CREDIT_LINE =
  /^(?:source|originally (?:published|appeared) (?:by|on|in|at)|via)\s*:?\s+(.{2,100}?)\.?$/i;

/** Longest line that may be a subheading. */
export const MAX_HEADING_LENGTH = 80;
/** Furniture lines are short; a long paragraph that starts "Related ..." is prose. */
export const MAX_FURNITURE_LENGTH = 100;

/**
 * Ingests one plain-text article.
 *
 * @example
 * ingestTextArticle({ url: 'file:///a.txt', contentType: 'text/plain', charset: 'utf-8', text }, { sourceId: 'local' });
 */
export function ingestTextArticle(doc: FetchedDocument, ctx: { readonly sourceId: string }): DocumentResult {
  const lines = doc.text.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
  const titleAt = lines.findIndex((l) => l.trim() !== '');
  const title = titleAt >= 0 ? lines[titleAt]?.trim() : undefined;
  const blocks = paragraphs(lines.slice(titleAt + 1));

  let publisher: string | undefined;
  // Trim from the end: furniture, then the credit line, then any furniture above it.
  for (;;) {
    const last = blocks.at(-1);
    if (!last) break;
    if (last.text.length <= MAX_FURNITURE_LENGTH && TRAILING_BOILERPLATE.some((re) => re.test(last.text))) {
      blocks.pop();
      continue;
    }
    const credit = publisher ? undefined : CREDIT_LINE.exec(last.text)?.[1];
    if (credit && last.lines === 1) {
      publisher = credit.trim();
      blocks.pop();
      continue;
    }
    break;
  }

  const html = blocks
    .map((b, i) => {
      const tag = isHeading(b, blocks[i - 1], blocks[i + 1]) ? 'h2' : 'p';
      return `<${tag}>${escapeText(b.text.replaceAll(LINE_JOIN, ' '))}</${tag}>`;
    })
    .join('\n');
  const item: RawItem = compact({
    sourceId: ctx.sourceId,
    baseUrl: doc.url,
    guid: doc.url,
    link: doc.url,
    title,
    html: html || undefined,
    // Plain text carries no date: the file's modification time is the best evidence.
    published: doc.modifiedAt?.toISOString(),
    authors: [],
    categories: [],
    enclosures: [],
    publisher,
  });
  return { items: [item], meta: { format: 'article-text' }, warnings: [], recovered: false };
}

/** Joins the lines of a block until headings are split off; replaced by spaces in the output. */
const LINE_JOIN = '\n';

interface Block {
  readonly text: string;
  readonly lines: number;
}

/** Blocks separated by blank lines; the lines of one block join with a space. */
function paragraphs(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) blocks.push({ text: current.join(LINE_JOIN), lines: current.length });
    current = [];
  };
  for (const line of lines) {
    if (line.trim() === '') flush();
    else current.push(line.trim());
  }
  flush();
  return blocks.flatMap(splitLeadingHeading);
}

// "Season tickets\nHolders of season tickets will..." : a heading typed directly above its paragraph.
// A hard-wrapped paragraph also has several lines, but its first line is about as long as the next,
// so only a first line much shorter than the second is split off.
function splitLeadingHeading(b: Block): Block[] {
  const [first, second, ...rest] = b.text.split(LINE_JOIN);
  if (b.lines < 2 || !first || !second) return [b];
  if (first.length >= MAX_HEADING_LENGTH || first.length * 2 > second.length || endsSentence(first))
    return [b];
  return [
    { text: first, lines: 1 },
    { text: [second, ...rest].join(' '), lines: b.lines - 1 },
  ];
}

// A subheading is one short line, standing between paragraphs, that does not end a sentence.
// Quotes only close a sentence after punctuation: 'Good discussions' is a heading, "He left." is not.
function isHeading(b: Block, before: Block | undefined, after: Block | undefined): boolean {
  if (b.lines !== 1 || b.text.length >= MAX_HEADING_LENGTH || !before || !after) return false;
  if (after.lines === 1 && after.text.length < MAX_HEADING_LENGTH && !endsSentence(after.text)) return false;
  return !endsSentence(b.text);
}

function endsSentence(s: string): boolean {
  return /[.!?:;…,]$/.test(s.replace(/["”'’»)\]]+$/u, ''));
}
