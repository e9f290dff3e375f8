import type { Flavour } from '../types.js';
import type { Query } from './ast.js';
import { AqlError } from './errors.js';

export interface Paging {
  limit?: number;
  offset: number;
  /** Whether a limit applied (then meta carries `fetch` and `offset`). */
  limited: boolean;
  /** Paging came from the request (fetch/offset), so `_executed_aql` gets ` LIMIT … OFFSET …` appended. */
  fromRequest: boolean;
}

function parseCount(name: 'fetch' | 'offset', value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isInteger(n) || n < 0) throw new AqlError(400, `invalid '${name}' value '${String(value)}'`);
  return n;
}

/**
 * EHRbase's AqlLimitPostProcessor (fetch precedence REJECT) and max-limit/max-fetch, openehr-rest.md §4.4.
 * Better accepts `offset` alone and lets `fetch` narrow a LIMIT.
 */
export function resolvePaging(
  q: Query,
  request: { fetch?: unknown; offset?: unknown },
  flavour: Flavour,
  limits: { maxFetch?: number | null; maxLimit?: number | null },
): Paging {
  const fetch = parseCount('fetch', request.fetch);
  const offset = parseCount('offset', request.offset);
  const queryLimit = q.limit ?? q.top;
  if (queryLimit !== undefined && limits.maxLimit != null && queryLimit > limits.maxLimit) {
    throw new AqlError(422, `Query LIMIT ${queryLimit} exceeds maximum limit ${limits.maxLimit}`);
  }
  if (fetch !== undefined && limits.maxFetch != null && fetch > limits.maxFetch) {
    throw new AqlError(422, `Fetch parameter ${fetch} exceeds maximum fetch ${limits.maxFetch}`);
  }
  if (flavour === 'better') {
    const limit =
      queryLimit !== undefined && fetch !== undefined ? Math.min(queryLimit, fetch) : (fetch ?? queryLimit);
    return {
      ...(limit !== undefined ? { limit } : {}),
      offset: offset ?? q.offset ?? 0,
      limited: limit !== undefined,
      fromRequest: fetch !== undefined || offset !== undefined,
    };
  }
  if (queryLimit !== undefined && (fetch !== undefined || offset !== undefined)) {
    throw new AqlError(
      422,
      'Query contains a LIMIT clause, fetch and offset parameters must not be used (with fetch precedence REJECT)',
    );
  }
  if (offset !== undefined && fetch === undefined) {
    throw new AqlError(422, 'Query parameter for offset provided, but no fetch parameter');
  }
  if (fetch !== undefined) return { limit: fetch, offset: offset ?? 0, limited: true, fromRequest: true };
  if (queryLimit !== undefined)
    return { limit: queryLimit, offset: q.offset ?? 0, limited: true, fromRequest: false };
  return { offset: 0, limited: false, fromRequest: false };
}
