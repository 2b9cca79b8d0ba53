// Which sources feed which output and which folder it owns. Apart from rendering (outputs.ts), so
// that a run with nothing to render never loads the renderers.
import type { Config, OutputConfig, Source } from '../types.js';

/** The first output (or the one named `all`) owns the root of output/; the others get a folder. */
export function outputPrefix(config: Config, output: OutputConfig): string {
  const main = config.outputs.find((o) => o.name === 'all') ?? config.outputs[0];
  return output === main ? '' : `${output.name}/`;
}

/** Ids of the sources an output draws from: by tag and by id; no filter means every source. */
export function sourcesOf(config: Config, output: OutputConfig): string[] {
  return config.sources.filter((s) => selects(output, s)).map((s) => s.id);
}

function selects(output: OutputConfig, source: Source): boolean {
  const byTag = output.tags.length === 0 || source.tags.some((t) => output.tags.includes(t));
  const byId = output.sources.length === 0 || output.sources.includes(source.id);
  return byTag && byId;
}
