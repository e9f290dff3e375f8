import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * A uniform random sample of at most `size` items from a stream of unknown length (Algorithm R), seeded so
 * that the same seed over the same stream picks the same items: a failed verification can be re-run on
 * exactly the same compositions. Memory is O(size).
 */
export class Reservoir<T> {
  private readonly items: T[] = [];
  private seen = 0;
  private readonly rng: ReturnType<typeof xoroshiro128plus>;

  constructor(
    private readonly size: number,
    seed: number,
  ) {
    this.rng = xoroshiro128plus(seed);
  }

  offer(item: T): void {
    this.seen++;
    if (this.items.length < this.size) {
      this.items.push(item);
      return;
    }
    const j = uniformInt(this.rng, 0, this.seen - 1);
    if (j < this.size) this.items[j] = item;
  }

  get offered(): number {
    return this.seen;
  }

  take(): T[] {
    return [...this.items];
  }
}
