export * from './types';
export {
  compareHandles,
  explainHandle,
  suggestHandle,
  foldHandle,
  isValidHandle,
  learnerKey,
  sameHandle,
  HANDLE_PATTERN,
  HANDLE_PATTERN_BODY,
} from './handle';
export { validateRoster } from './validate';
export { formatRosterError, formatRosterNote, summarizeRosterErrors, NUMBERING } from './format';
export { rosterNotes } from './notes';
export { closestMatch, editDistance } from './suggest';
export { serializeRoster, canonicalRoster } from './serialize';
export { upsertLearner, upsertLearners, findLearner } from './upsert';
export { redactRoster } from './redact';
export { parseRoster, readRosterFile, writeRosterFile, loadRoster, InvalidRosterError } from './store';
export { summarizeRoster } from './summary';
export type { LearnerPatch } from './upsert';
export type { RosterResult } from './store';
