export {
  type Assignment,
  assignEntries,
  type DedupeHistory,
  type MatchReason,
  newEntryId,
} from './assign.js';
export { contentKey, linkKey } from './keys.js';
