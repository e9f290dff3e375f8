import type pg from 'pg';
import { procCpuSeconds } from './proc.js';

/**
 * CPU used by the PostgreSQL backends serving one database while a phase runs. Backends exit with their
 * client, so they are sampled every 200 ms and each one's last reading is kept. Only meaningful when the
 * server runs on this machine (otherwise it reports nothing). Server-wide processes (checkpointer, WAL
 * writer) and other databases' backends are excluded: other work on a shared server does not leak in.
 */
export class BackendCpuSampler {
  private readonly seen = new Map<number, { first: number; last: number }>();
  private timer: NodeJS.Timeout | undefined;
  private readable = false;
  /** Backends first seen after the start began during the phase: their CPU counts from 0. */
  private started = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly database: string,
  ) {}

  private async sample(): Promise<void> {
    const { rows } = await this.pool.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [this.database],
    );
    for (const { pid } of rows) {
      const cpu = procCpuSeconds(pid);
      if (cpu === undefined) continue;
      this.readable = true;
      const s = this.seen.get(pid);
      if (s) s.last = cpu;
      else this.seen.set(pid, { first: this.started ? 0 : cpu, last: cpu });
    }
  }

  async start(): Promise<void> {
    await this.sample();
    this.started = true;
    const tick = () => {
      this.sample().then(
        () => {
          if (this.timer) this.timer = setTimeout(tick, 200);
        },
        () => {
          if (this.timer) this.timer = setTimeout(tick, 200);
        },
      );
    };
    this.timer = setTimeout(tick, 200);
  }

  /** Seconds of backend CPU during the phase; undefined when the server's processes are not visible here. */
  async stop(): Promise<number | undefined> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.sample().catch(() => undefined);
    if (!this.readable) return undefined;
    let total = 0;
    for (const s of this.seen.values()) total += s.last - s.first;
    return total;
  }
}
