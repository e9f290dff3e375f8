import type { FlatKey } from './flat-key.js';
import { field, type KeyPlan, TEXT } from './key-plan.js';

/** Nodes that are PARTY_PROXY / PARTICIPATION (and the facility) in FLAT: their `|name` and `|id` are people. */
const PARTY_SEGMENTS = new Set([
  'composer',
  'subject',
  'provider',
  'performer',
  '_other_participation',
  '_health_care_facility',
  'health_care_facility',
]);
const FACILITY_SEGMENTS = new Set(['_health_care_facility', 'health_care_facility']);

/** `ctx/…` input keys (openehr-rest.md §7.4) that name or identify a party. */
const CTX_NAMES = new Set(['composer_name', 'provider_name', 'participation_name']);
const CTX_IDS = new Set(['composer_id', 'provider_id', 'participation_id', 'participation_identifiers']);

/**
 * Keys identified by the RM attribute they hold rather than by an element name:
 * - `|name` of a party → NAME (the health care facility's name → LOCATION: it places the patient);
 * - `|id` of a party → IDENTIFIER (`structure:party-id`); `|id`, `|issuer`, `|assigner` anywhere else
 *   (DV_IDENTIFIER attributes, work-flow ids, feeder-audit ids) → IDENTIFIER (`structure:identifier`);
 * - `_link…|target` (an ehr:// URI that may hold other EHRs' ids) → URL;
 * - EVENT_CONTEXT `_location` / `ctx/location` (the place of care) → LOCATION;
 * - the `ctx/` name and id shortcuts.
 * `|id_scheme`, `|id_namespace`, participation `|function`/`|mode` are left: they name schemes and roles,
 * the same for every patient. Undefined: not a party key.
 */
export function classifyPartyKey(key: FlatKey): KeyPlan | undefined {
  const { segments, attr } = key;
  const isCtx = segments[0] === 'ctx';
  const last = segments[segments.length - 1] ?? '';
  if (isCtx && attr === undefined) {
    if (CTX_NAMES.has(last)) return field('NAME', 'structure:party-name');
    if (CTX_IDS.has(last)) return field('IDENTIFIER', 'structure:party-id');
    if (last === 'location') return field('LOCATION', 'structure:care-location');
  }
  if (last === '_location' && attr === undefined) return field('LOCATION', 'structure:care-location');
  const inParty = segments.some((s) => PARTY_SEGMENTS.has(s)) || (isCtx && CTX_IDS.has(last));
  const inFacility = segments.some((s) => FACILITY_SEGMENTS.has(s));
  switch (attr) {
    case 'name':
      if (inFacility) return field('LOCATION', 'structure:facility-name');
      return inParty ? field('NAME', 'structure:party-name') : TEXT;
    case 'id':
      return field('IDENTIFIER', inParty ? 'structure:party-id' : 'structure:identifier');
    case 'issuer':
    case 'assigner':
      return field('IDENTIFIER', 'structure:identifier');
    case 'target':
      return segments.includes('_link') || last === 'link' ? field('URL', 'structure:link') : undefined;
    default:
      return undefined;
  }
}
