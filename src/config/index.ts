export { DEFAULTS } from './defaults.js';
export { sourcesJsonSchema } from './json-schema.js';
export { loadConfig, parseConfig } from './load.js';
export type { Overrides } from './resolve.js';
