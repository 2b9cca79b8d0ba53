// The text `feedloom preview` prints for what it found: what it says about each item's date.
import { describe, expect, it } from 'vitest';
import { report } from '../../../src/cli/commands/preview.js';
import type { PagePreview } from '../../../src/pipeline/index.js';

const preview = (rawDate: string): PagePreview => ({
  url: 'https://gazette.example/world/',
  method: 'repeated-blocks',
  select: { item: '.card', title: 'h3', link: 'a@href', date: '.time' },
  candidates: [],
  items: [{ title: 'Summit ends with a deal', link: 'https://gazette.example/world/summit', rawDate }],
  incomplete: 0,
  warnings: [],
});

describe('preview report: dates it could not read', () => {
  it.each(['12.03.26, 14:30', '03/12/2026'])('asks for a dateFormat for %j', (raw) => {
    expect(report(preview(raw))).toContain(`unreadable date ${JSON.stringify(raw)}: add "dateFormat"`);
  });

  it.each(['2 hours ago', '5 min ago', 'Yesterday', 'just now', 'vor 3 Stunden', 'il y a 2 jours', '3h'])(
    'says a relative date %j cannot be given a dateFormat',
    (raw) => {
      const text = report(preview(raw));
      expect(text).not.toContain('add "dateFormat"');
      expect(text).toContain(
        `relative date ${JSON.stringify(raw)}: the time a run first sees the item is used`,
      );
    },
  );
});
