/** About 25 MB of ids: see `DiscoveredIds`. */
export const DISCOVERED_IDS_KEPT = 250_000;

/**
 * The object ids one template's discovery listed, for a reconcile that may use them instead of listing the
 * live compositions again. Past `limit` ids they are dropped for good (`ids()` is then undefined): the
 * separate listing builds the same set, but after the pipeline's buffers are gone, so a very large template
 * keeps the peak memory it would have without this shortcut.
 */
export class DiscoveredIds {
  private set: Set<string> | undefined = new Set();

  constructor(private readonly limit = DISCOVERED_IDS_KEPT) {}

  add(id: string): void {
    if (!this.set) return;
    this.set.add(id);
    if (this.set.size > this.limit) this.set = undefined;
  }

  /** Every id added, or undefined once the limit was passed or after `release`. */
  ids(): ReadonlySet<string> | undefined {
    return this.set;
  }

  release(): void {
    this.set = undefined;
  }
}
