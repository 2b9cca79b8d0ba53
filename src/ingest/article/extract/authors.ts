// Author names as pages write them, made into names: JSON-LD, meta tags and bylines all carry
// "By Jane Smith", profile URLs, handles, several people in one string, and the publication itself
// ("Jane Smith, Metro Times"). One cleaning for every source, so each gives the same names.

/** The word before a byline's names. */
const BY = /^(?:by|von|par|por|di|door)\s+/i;
/** Not a name: a profile URL, an e-mail address or a handle. */
const NOT_A_NAME = /^(?:https?:\/\/|www\.|@)|^\S+@\S+\.\S+$/i;

export interface NameContext {
  /** The publication's names (og:site_name, JSON-LD publisher): never an author. */
  readonly siteNames: readonly string[];
  /**
   * Names that are the publication's only when listed beside a person: the outer parts of <title>
   * ("Metro Times | Story"), since "Jane Smith, Metro Times" names one author, not two.
   */
  readonly siteNamesBesidePeople?: readonly string[];
}

/**
 * The authors in `raw`, each entry a name or a list of names ("Mia Chen and Tom Reid"), cleaned
 * of "By", with URLs, handles and the publication's own name left out, each name once.
 *
 * @example
 * authorNames(['By Jane Smith', 'https://x.example/staff/tom'], { siteNames: [] }); // ['Jane Smith']
 * authorNames(['Jane Smith, Metro Times'], { siteNames: ['Metro Times'] }); // ['Jane Smith']
 */
export function authorNames(raw: readonly (string | undefined)[], ctx: NameContext): string[] {
  const fold = (s: string) => s.toLowerCase();
  const site = new Set(ctx.siteNames.map(fold));
  const names = [...new Set(raw.flatMap((r) => splitNames(r ?? '')).filter((n) => !site.has(fold(n))))];
  const beside = new Set((ctx.siteNamesBesidePeople ?? []).map(fold));
  const people = names.filter((n) => !beside.has(fold(n)));
  return people.length > 0 ? people : names;
}

/** "A, B and C" → three names; a trailing date or role after a separator is dropped. */
function splitNames(s: string): string[] {
  const whole = collapse(s);
  if (whole === '' || NOT_A_NAME.test(whole)) return [];
  return whole
    .replace(/\s*[|·•—–]\s.*$/, '')
    .split(/\s*,\s*|\s+(?:and|und|et|y|&)\s+/i)
    .map((n) => collapse(n.replace(BY, '')))
    .filter((n) => n !== '' && !NOT_A_NAME.test(n));
}

function collapse(s: string): string {
  return s.replace(/[\s\u00A0]+/g, ' ').trim();
}
