export {
  type Assignment,
  assignEntries,
  type DedupeHistory,
  type DedupeOptions,
  type MatchReason,
  newEntryId,
} from './assign.js';
export {
  bandsOf,
  decodeScoredSignature,
  decodeSignature,
  encodeSignature,
  type NearSignature,
  SIGNATURE_VERSION,
  signatureOf,
  signatureOfText,
  titleTokensOf,
} from './fingerprint.js';
export { contentKey, linkKey } from './keys.js';
export {
  DEFAULT_NEAR_THRESHOLD,
  findNearEntry,
  MAX_CANDIDATES,
  MAX_PER_BAND,
  MemoryNearIndex,
  NEAR_POLICY,
  type NearCandidate,
  type NearFound,
  type NearIndex,
  type NearOptions,
  type NearScores,
  nearMatch,
} from './near.js';
export { bodyText, stripBoilerplate } from './text.js';
