// sources.schema.json for editors: generated from the zod schema, so it can never disagree with it.
import * as z from 'zod';
import { configSchema } from './schema.js';

export function sourcesJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  const sources = (schema['properties'] as Record<string, { items?: Record<string, unknown> }>)['sources'];
  if (sources?.items) {
    // zod refinements don't survive into JSON Schema; say the one rule an editor can check.
    sources.items['oneOf'] = [{ required: ['url'] }, { required: ['path'] }];
  }
  return {
    ...schema,
    $id: 'https://feedloom.dev/sources.schema.json',
    title: 'feedloom sources.json',
    description: 'Sources to aggregate and the feeds to write. See README.md for every field.',
  };
}
