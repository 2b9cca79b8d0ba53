export {
  LAST_SEEN_GRANULARITY_MS,
  type PruneOptions,
  type PruneReport,
  RETENTION_POLICY,
  retentionCutoff,
  retentionDays,
} from './retention.js';
export { openSqliteStore, STATE_FILE } from './sqlite.js';
export type {
  CachedFullText,
  EntryQuery,
  Grouping,
  ItemToSave,
  NearIndexRow,
  NearReindexed,
  SourceRun,
  SourceState,
  Store,
  StoredItemInfo,
  StoredSignature,
} from './store.js';
export { FETCH_LOG_KEEP, type FetchRecord, type SourceHealth } from './store.js';
