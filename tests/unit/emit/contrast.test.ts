// WCAG 2.x contrast of the colours index.html and the feed view (feed.xsl) use, in the light and the
// dark scheme: text needs 4.5:1 against its background (SC 1.4.3, AA for normal-size text). The
// colours are read from PAGE_STYLE itself, so changing a colour there re-runs this check.
import { describe, expect, it } from 'vitest';
import { PAGE_STYLE } from '../../../src/emit/html.js';
import { renderXsl } from '../../../src/emit/xsl.js';

/** WCAG relative luminance of `#rgb` or `#rrggbb`. */
function luminance(hex: string): number {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The custom properties of the first `:root { … }` in `css`. */
function variables(css: string): Record<string, string> {
  const block = /:root\s*\{([^}]*)\}/.exec(css)?.[1] ?? '';
  return Object.fromEntries(
    [...block.matchAll(/--([\w-]+)\s*:\s*(#[0-9a-f]{3,6})/gi)].map((m) => [m[1], m[2]]),
  );
}

const LIGHT = variables(PAGE_STYLE);
const DARK = variables(
  /@media \(prefers-color-scheme: dark\)\s*\{([\s\S]*?\})\s*\}/.exec(PAGE_STYLE)?.[1] ?? '',
);

/** Text colour on background colour, as the page draws them. */
const PAIRS = [
  ['fg', 'bg', 'body text'],
  ['muted', 'bg', 'dates, sources, descriptions, footer'],
  ['link', 'bg', 'links'],
] as const;

describe('contrast (WCAG 2.x)', () => {
  it('computes the reference values', () => {
    expect(contrast('#000', '#fff')).toBeCloseTo(21, 5);
    expect(contrast('#777', '#fff')).toBeCloseTo(4.48, 2);
    expect(contrast('#fff', '#fff')).toBe(1);
  });

  it('finds both schemes with every colour', () => {
    for (const scheme of [LIGHT, DARK])
      for (const k of ['fg', 'muted', 'bg', 'link']) expect(scheme[k]).toMatch(/^#/);
    expect(LIGHT['bg']).not.toBe(DARK['bg']);
  });

  it.each(
    PAIRS.flatMap(([fg, bg, what]) => [
      ['light', fg, bg, what],
      ['dark', fg, bg, what],
    ]),
  )('%s: --%s on --%s (%s) is at least 4.5:1', (scheme, fg, bg) => {
    const vars = scheme === 'light' ? LIGHT : DARK;
    expect(contrast(vars[fg] ?? '', vars[bg] ?? '')).toBeGreaterThanOrEqual(4.5);
  });

  it('colours text only through the checked variables (page and feed view)', () => {
    const css = `${PAGE_STYLE}\n${renderXsl()}`;
    const colours = [...css.matchAll(/(?<![-\w])(color|background)\s*:\s*([^;}]+)/g)].map((m) =>
      m[2]?.trim(),
    );
    expect(colours.length).toBeGreaterThan(3);
    for (const c of colours) expect(c).toMatch(/^var\(--(fg|muted|bg|link)\)$/);
  });
});
