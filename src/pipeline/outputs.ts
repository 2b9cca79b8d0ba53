// Which sources feed which output, where its files go, and the rendering of every output of a run:
// selection in the store's SQL, then the output's filters (filter.ts), then emit.
import {
  type EmitSource,
  type OutputListing,
  renderFeedsOpml,
  renderOpml,
  renderOutput,
} from '../emit/index.js';
import { FeedloomError } from '../errors.js';
import type { Store } from '../store/index.js';
import type { Config, Entry, OutputConfig, RenderedFile } from '../types.js';
import { entryPredicate, selectFiltered } from './filter.js';
import { outputPrefix, sourcesOf } from './output-sources.js';

export { outputPrefix, sourcesOf } from './output-sources.js';

/** A source id as one folder name: config refuses the others; this guards the write all the same. */
const SAFE_FOLDER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * The folder of one source's feeds inside an output with `perSource: true`:
 * `<output folder>/<source id>/` (`output/<id>/` for the root output).
 */
export function perSourcePrefix(config: Config, output: OutputConfig, sourceId: string): string {
  if (!SAFE_FOLDER.test(sourceId))
    throw new FeedloomError(
      'EMIT_WRITE',
      `pipeline: outputs "${output.name}".perSource: source id ${JSON.stringify(sourceId)} is not a safe folder name`,
    );
  return `${outputPrefix(config, output)}${sourceId}/`;
}

export interface RenderedOutputs {
  readonly files: RenderedFile[];
  /** Entries in the largest output (the main one, unless another is larger). */
  readonly entries: number;
}

export interface RenderOutputsContext {
  readonly store: Store;
  readonly now: Date;
  readonly generator: string;
  /** Display name of a source. */
  readonly titleOf: (sourceId: string) => string;
  readonly sources: readonly EmitSource[];
}

/**
 * Every file of every output: each output's feeds and page (and its per-source folders), the root
 * page listing them all, sources.opml and feeds.opml.
 *
 * @example
 * const { files } = renderOutputs(config, { store, now, generator, titleOf, sources });
 * await writeFiles(config.outDir, files);
 */
export function renderOutputs(config: Config, ctx: RenderOutputsContext): RenderedOutputs {
  const { now } = ctx;
  const plans = config.outputs.map((output) => {
    const prefix = outputPrefix(config, output);
    const selected = sourcesOf(config, output);
    const children = output.perSource
      ? selected.map((id) => ({
          id,
          prefix: perSourcePrefix(config, output, id),
          output: {
            ...output,
            title: `${output.title ?? (prefix ? `${config.site.title}: ${output.name}` : config.site.title)}: ${ctx.titleOf(id)}`,
            sources: [id],
            perSource: false,
          },
        }))
      : [];
    return { output, prefix, selected, children };
  });
  const listings: OutputListing[] = plans.map((p) => ({
    name: p.output.name,
    title: p.output.title ?? (p.prefix ? `${config.site.title}: ${p.output.name}` : config.site.title),
    ...(p.output.description ? { description: p.output.description } : {}),
    prefix: p.prefix,
    formats: p.output.formats,
    children: p.children.map((c) => ({
      name: c.id,
      title: c.output.title,
      prefix: c.prefix,
      formats: c.output.formats,
      children: [],
    })),
  }));

  const files: RenderedFile[] = [];
  let entries = 0;
  const base = {
    site: config.site,
    sources: ctx.sources,
    now,
    generator: ctx.generator,
    ...(config.websub ? { hub: config.websub.hub } : {}),
  };
  for (const p of plans) {
    const chosen = select(ctx, p.output, p.selected);
    // The summary speaks of the main feed: the output at the top of output/, not the largest one.
    if (p.prefix === '') entries = chosen.length;
    files.push(
      ...renderOutput(chosen, {
        ...base,
        output: p.output,
        prefix: p.prefix,
        ...(p.prefix === '' ? { outputs: listings } : {}),
      }),
    );
    for (const c of p.children)
      files.push(
        ...renderOutput(select(ctx, c.output, [c.id]), { ...base, output: c.output, prefix: c.prefix }),
      );
  }
  files.push(renderOpml({ site: config.site, sources: ctx.sources }));
  files.push(renderFeedsOpml(config.site, listings));
  return { files, entries };
}

/** The entries of one output: the store's newest by source and age, then the output's filters. */
function select(ctx: RenderOutputsContext, output: OutputConfig, sourceIds: readonly string[]): Entry[] {
  const since = output.maxAgeDays ? new Date(ctx.now.getTime() - output.maxAgeDays * 86_400_000) : undefined;
  return selectFiltered(
    (limit) =>
      ctx.store.entries(
        {
          sourceIds,
          limit,
          grouping: output.near ? 'near' : 'exact',
          ...(since ? { since } : {}),
        },
        ctx.titleOf,
      ),
    output.limit,
    entryPredicate(output),
  );
}
