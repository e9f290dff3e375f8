/** RM class families the codec treats alike (postprocessors of flat-codec-rules.md §2.5). */
export const ENTRY_TYPES = new Set([
  'OBSERVATION',
  'EVALUATION',
  'INSTRUCTION',
  'ACTION',
  'ADMIN_ENTRY',
  'GENERIC_ENTRY',
]);
export const CARE_ENTRY_TYPES = new Set(['OBSERVATION', 'EVALUATION', 'INSTRUCTION', 'ACTION']);
export const EVENT_TYPES = new Set(['EVENT', 'POINT_EVENT', 'INTERVAL_EVENT']);
/** Structures that are not LOCATABLE (no name, no archetype_node_id). */
export const NOT_LOCATABLE = new Set(['EVENT_CONTEXT', 'ISM_TRANSITION', 'INSTRUCTION_DETAILS']);
