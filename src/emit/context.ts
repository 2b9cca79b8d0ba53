import type { OutputConfig, SiteConfig } from '../types.js';

/** A configured source as the outputs see it: for OPML and display names. */
export interface EmitSource {
  readonly id: string;
  readonly title: string;
  readonly kind: string;
  readonly url?: string;
  readonly siteUrl?: string;
}

/** Everything one output needs besides its entries. */
export interface EmitContext {
  readonly site: SiteConfig;
  readonly output: OutputConfig;
  /** Every configured source: id, title, kind, url-or-path, for OPML and display names. */
  readonly sources: readonly EmitSource[];
  readonly now: Date;
  /** Path prefix under output/ for this output: '' for the main one, '<name>/' for others. */
  readonly prefix: string;
  /** Generator string, for example `feedloom/0.1.0`. */
  readonly generator: string;
}

/** What the OPML list needs: no output, no entries. */
export type OpmlContext = Pick<EmitContext, 'site' | 'sources'>;
