import type { DiscoveryMode } from '../types.js';
import type { QueryParameters } from './runner.js';

/**
 * The AQL Atlas sends. Every value travels in `query_parameters`; ids are never pasted into the text (a
 * quote or space in an id would change the query). Rules honoured (openehr-rest.md §5–6): compare the DV_DATE_TIME
 * (`…/time_committed`, `…/start_time`) so the server compares instants, select its `/value`; ORDER BY
 * paths are prefixes of selected paths; no LIMIT in the text (paging goes in the request body).
 */

const TEMPLATE = 'c/archetype_details/template_id/value = $template_id';

/** The DV_DATE_TIME path each discovery mode orders and filters by, and the string it selects. */
const TIME_PATH: Record<DiscoveryMode, string> = {
  commit_time: 'v/commit_audit/time_committed',
  clinical_time: 'c/context/start_time',
};

export interface DiscoveryWindow {
  templateId: string;
  since?: string;
  until?: string;
  ehrIds?: string[];
  /** `fetch = "aql"`: each row also carries the whole composition (`SELECT c`, canonical JSON). */
  withComposition?: boolean;
}

export interface Aql {
  q: string;
  params: QueryParameters;
}

/** Change records (ehr_id, uid, time) of one template in time order, uid as the tie-breaker. */
export function discoveryQuery(mode: DiscoveryMode, w: DiscoveryWindow): Aql {
  const time = TIME_PATH[mode];
  const from =
    mode === 'commit_time'
      ? 'FROM EHR e CONTAINS VERSION v CONTAINS COMPOSITION c'
      : 'FROM EHR e CONTAINS COMPOSITION c';
  const where = [TEMPLATE];
  const params: QueryParameters = { template_id: w.templateId };
  if (w.since !== undefined) {
    where.push(`${time} >= $since`);
    params.since = w.since;
  }
  if (w.until !== undefined) {
    where.push(`${time} < $until`);
    params.until = w.until;
  }
  if (w.ehrIds && w.ehrIds.length > 0) {
    where.push('e/ehr_id/value MATCHES {$ehr_ids}');
    params.ehr_ids = w.ehrIds;
  }
  const composition = w.withComposition ? ', c AS composition' : '';
  const q =
    `SELECT e/ehr_id/value AS ehr_id, c/uid/value AS uid, ${time}/value AS changed_at${composition} ` +
    `${from} WHERE ${where.join(' AND ')} ORDER BY ${time} ASC, c/uid/value ASC`;
  return { q, params };
}

/** Live compositions of a template, in uid order so offset paging is deterministic. */
export function liveQuery(templateId: string): Aql {
  return {
    q:
      'SELECT e/ehr_id/value AS ehr_id, c/uid/value AS uid FROM EHR e CONTAINS COMPOSITION c ' +
      `WHERE ${TEMPLATE} ORDER BY c/uid/value ASC`,
    params: { template_id: templateId },
  };
}

export function countLiveQuery(templateId: string): Aql {
  return {
    q: `SELECT COUNT(c/uid/value) AS n FROM EHR e CONTAINS COMPOSITION c WHERE ${TEMPLATE}`,
    params: { template_id: templateId },
  };
}

/** The cheapest authenticated query: one EHR id. */
export const PING_QUERY: Aql = { q: 'SELECT e/ehr_id/value AS ehr_id FROM EHR e', params: {} };
