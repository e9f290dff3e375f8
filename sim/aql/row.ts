import type { Population } from '../population/population.js';
import { canonicalObject, renderCanonical } from '../population/render.js';

const NO_BINDINGS: unknown[] = [];

/**
 * One candidate row: a composition version (i, v) in EHR e, or an EHR alone (i = -1), plus the
 * subtrees bound to inner containment aliases. The canonical document is generated only if asked for.
 */
export class Row {
  private canon: Record<string, unknown> | undefined;
  /** Subtrees bound to inner containment aliases (empty unless the FROM has them). */
  inner: unknown[] = NO_BINDINGS;

  constructor(
    readonly pop: Population,
    readonly i: number,
    readonly v: number,
    readonly e: number,
  ) {}

  canonical(): Record<string, unknown> {
    this.canon ??= canonicalObject(this.pop, this.i, this.v);
    return this.canon;
  }

  canonicalText(): string {
    return this.canon ? JSON.stringify(this.canon) : renderCanonical(this.pop, this.i, this.v).toString();
  }

  /** Whether clinical fields come from the generator (not a stored document or an original file). */
  generated(): boolean {
    return !this.pop.isOriginal(this.i) && this.pop.stored(this.i, this.v) === undefined;
  }
}
