export { DEFAULTS } from './defaults.js';
export {
  addSourceToText,
  derivedSourceId,
  hostSourceId,
  insertSource,
  NEW_SOURCES_FILE,
  type NewSource,
  readSourcesText,
  sourceConflict,
  writeTextAtomic,
} from './edit.js';
export { sourcesJsonSchema } from './json-schema.js';
export { loadConfig, parseConfig } from './load.js';
export type { Overrides } from './resolve.js';
