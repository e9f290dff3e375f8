import type { SimClock } from '../population/clock.js';
import type { Orders } from '../population/orders.js';
import { type Population, SYSTEM_ID } from '../population/population.js';
import { formatCommitTime } from '../time/iso.js';
import type { Flavour } from '../types.js';
import type { Query } from './ast.js';
import { checkQuery } from './checks.js';
import { AqlError, notImplemented } from './errors.js';
import { Executor } from './execute.js';
import { AqlSyntaxError } from './lexer.js';
import { resolvePaging } from './paging.js';
import { parseAql } from './parser.js';
import { resultSetJson } from './result.js';
import type { ParamValue } from './rm-path.js';
import { analyseFrom, type Shape } from './shape.js';

export interface AqlRequest {
  q: unknown;
  fetch?: unknown;
  offset?: unknown;
  params?: unknown;
  /** GET only: `_href` in meta. */
  href?: string;
}

function checkParams(raw: unknown): Record<string, ParamValue> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new AqlError(400, 'query_parameters must be a JSON object');
  const out: Record<string, ParamValue> = {};
  const scalar = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  for (const [k, v] of Object.entries(raw)) {
    if (scalar(v) || (Array.isArray(v) && v.every(scalar))) out[k.replace(/^\$/, '')] = v as ParamValue;
    else throw new AqlError(400, `Data type of query parameter ${k} not supported.`);
  }
  return out;
}

/** Server settings read per request (they change at run time through the faults). */
export interface AqlSettings {
  maxFetch?: number | null;
  maxLimit?: number | null;
  /** A server without VERSION in FROM (see Faults.rejectVersionQueries). */
  rejectVersionQueries?: boolean;
}

/** Parse → feature checks → paging rules → evaluation → RESULTSET JSON. */
export class AqlService {
  private readonly executor: Executor;
  private readonly cache = new Map<string, { query: Query; shape: Shape }>();

  constructor(
    pop: Population,
    orders: Orders,
    private readonly flavour: Flavour,
    private readonly clock: SimClock,
    private readonly settings: () => AqlSettings,
  ) {
    this.executor = new Executor(pop, orders);
  }

  /** Parsed and checked query, memoised (exporters repeat the same text with new parameters). */
  private prepare(q: string): { query: Query; shape: Shape } {
    const hit = this.cache.get(q);
    if (hit) return hit;
    let query: Query;
    try {
      query = parseAql(q);
    } catch (e) {
      if (e instanceof AqlSyntaxError) throw new AqlError(400, `Could not parse AQL query: ${e.message}`);
      throw e;
    }
    const shape = analyseFrom(query.from, this.flavour === 'better');
    checkQuery(shape, query);
    const prepared = { query, shape };
    if (this.cache.size > 500) this.cache.clear();
    this.cache.set(q, prepared);
    return prepared;
  }

  run(req: AqlRequest): string {
    if (Array.isArray(req.q)) throw new AqlError(400, 'Multiple queries provided.');
    if (req.q !== undefined && req.q !== null && typeof req.q !== 'string')
      throw new AqlError(400, 'Data type of query not supported.');
    if (typeof req.q !== 'string' || req.q.trim() === '') throw new AqlError(400, 'No query provided.');
    const q = req.q;
    const params = checkParams(req.params);
    const { query, shape } = this.prepare(q);
    const settings = this.settings();
    // After the cache: the setting can change between two runs of the same text.
    if (settings.rejectVersionQueries && shape.version?.type === 'VERSION') {
      throw notImplemented('Type VERSION is not supported in FROM by this server');
    }
    const paging = resolvePaging(query, { fetch: req.fetch, offset: req.offset }, this.flavour, settings);
    const { rows } = this.executor.run({ shape, params, systemId: SYSTEM_ID }, query, paging);
    return resultSetJson({
      q,
      query,
      params,
      paging,
      rows,
      flavour: this.flavour,
      created: formatCommitTime(this.clock.nowUs()),
      ...(req.href ? { href: req.href } : {}),
    });
  }
}
