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
export { type ProgressEvent, type RunOptions, runOnce } from './run.js';
export {
  HEALTH_POLICY,
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
