/**
 * The simulator's clock, used for commit times of new versions and `meta._created`. Starts at a fixed
 * instant (reproducible runs) and, when ticking, advances with real time; tests may set or advance it.
 */
export class SimClock {
  private baseUs: number;
  private realStartMs: number;

  constructor(
    startUs: number,
    private readonly ticking: boolean,
  ) {
    this.baseUs = startUs;
    this.realStartMs = Date.now();
  }

  nowUs(): number {
    const elapsedMs = this.ticking ? Date.now() - this.realStartMs : 0;
    return this.baseUs + elapsedMs * 1000;
  }

  set(us: number): void {
    this.baseUs = us;
    this.realStartMs = Date.now();
  }

  advance(ms: number): void {
    this.baseUs += ms * 1000;
  }
}
