import type { OutputConfig, OutputFormat, SiteConfig } from '../types.js';

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
  /** WebSub hub URL (config `websub.hub`): feeds link to it with rel="hub". */
  readonly hub?: string;
  /** Every output of the project, for the root page's list of feeds; only the root output gets it. */
  readonly outputs?: readonly OutputListing[];
}

/** One output as the root page and feeds.opml list it. */
export interface OutputListing {
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  /** Its folder under output/: '' for the root output, '<name>/' for the others. */
  readonly prefix: string;
  readonly formats: readonly OutputFormat[];
  /** Its per-source feeds (perSource: true), each with its own folder. */
  readonly children: readonly OutputListing[];
}

/** What the OPML list needs: no output, no entries. */
export type OpmlContext = Pick<EmitContext, 'site' | 'sources'>;
