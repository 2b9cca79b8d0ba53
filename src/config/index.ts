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
// OPML import (./opml.js) is not re-exported: it loads an XML parser every other command can do without.
export type { Overrides } from './resolve.js';
export { MAX_PAGES, selectorsSchema } from './schema.js';
