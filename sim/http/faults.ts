import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { EndpointKind, FaultSpec, Faults, InjectedStatus } from '../types.js';

/** What the server does to one request, decided before the handler runs. */
export interface FaultDecision {
  latencyMs: number;
  reset: boolean;
  error?: { status: InjectedStatus; retryAfterSeconds: number };
  slowMs: number;
  truncate: boolean;
}

const STATUSES: InjectedStatus[] = [500, 502, 503, 429];

/**
 * Fault settings, changeable while running. Random draws come from a PRNG seeded from the simulator seed,
 * so a given request sequence meets the same faults on every run; rate 1 makes a fault certain.
 */
export class FaultState {
  private current: Faults;
  private readonly rng;

  constructor(initial: Faults, seed: number) {
    this.current = structuredClone(initial);
    this.rng = xoroshiro128plus((seed ^ 0x0fa17) >>> 0);
  }

  get(): Faults {
    return structuredClone(this.current);
  }

  /** Merge: absent fields keep their value; `endpoints` merges per kind; `errorRates` per status. */
  set(partial: Faults): void {
    const next: Faults = { ...this.current, ...partial };
    if (partial.errorRates) next.errorRates = { ...this.current.errorRates, ...partial.errorRates };
    if (partial.endpoints) {
      const endpoints = { ...this.current.endpoints };
      for (const [kind, spec] of Object.entries(partial.endpoints) as Array<[EndpointKind, FaultSpec]>) {
        const prev = endpoints[kind] ?? {};
        endpoints[kind] = {
          ...prev,
          ...spec,
          ...(spec.errorRates ? { errorRates: { ...prev.errorRates, ...spec.errorRates } } : {}),
        };
      }
      next.endpoints = endpoints;
    }
    this.current = next;
  }

  private draw(): number {
    return uniformFloat64(this.rng);
  }

  private hit(rate: number | undefined): boolean {
    return rate !== undefined && rate > 0 && this.draw() < rate;
  }

  decide(kind: EndpointKind): FaultDecision {
    const top = this.current;
    const own = top.endpoints?.[kind] ?? {};
    const pick = <K extends keyof FaultSpec>(key: K): FaultSpec[K] =>
      own[key] !== undefined ? own[key] : top[key];
    const decision: FaultDecision = {
      latencyMs: pick('latencyMs') ?? 0,
      reset: false,
      slowMs: 0,
      truncate: false,
    };
    if (this.hit(pick('resetRate'))) {
      decision.reset = true;
      return decision;
    }
    const rates = { ...top.errorRates, ...own.errorRates };
    for (const status of STATUSES) {
      if (this.hit(rates[status])) {
        decision.error = { status, retryAfterSeconds: pick('retryAfterSeconds') ?? 1 };
        return decision;
      }
    }
    if (this.hit(pick('slowRate'))) decision.slowMs = pick('slowMs') ?? 30_000;
    decision.truncate = this.hit(pick('truncateRate'));
    return decision;
  }
}
