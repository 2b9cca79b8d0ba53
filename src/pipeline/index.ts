// The daemon keeps one HTTP client for its lifetime; it drives the pipeline and never imports fetch/.
export { createHttpClient, type HttpClient, postForm } from '../fetch/index.js';
export {
  bestFeed,
  type DiscoveredFeed,
  type DiscoverOptions,
  type Discovery,
  discoverFeeds,
  type FeedOrigin,
  type PageSuggestion,
  type RejectedCandidate,
} from './discover.js';
export { outputPrefix, sourcesOf } from './outputs.js';
export {
  ingestPages,
  PAGES_POLICY,
  type PagePreview,
  type PreviewCandidate,
  type PreviewItem,
  previewPage,
} from './pages.js';
export {
  fetchSources,
  type ProgressEvent,
  type RunOptions,
  runOnce,
  type SourcesContext,
  writeOutputs,
} from './run.js';
export {
  type DuePolicy,
  HEALTH_POLICY,
  type HealthPolicy,
  healthPolicy,
  isDead,
  median,
  readStatus,
  type SourceStatus,
  STATUS_FILE,
  type StatusLabel,
  type StatusReport,
  sourceStatus,
  statusFile,
  statusReport,
} from './status.js';
