export { outputPrefix, sourcesOf } from './outputs.js';
export { type ProgressEvent, type RunOptions, runOnce } from './run.js';
