import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { startCli, waitFor } from '../export/cli.js';

export type SyncProcess = ReturnType<typeof startCli> & { url: string };

/** Starts `atlas sync` on a free loopback port and waits for the address it prints. */
export async function startSync(config: string, extra: string[] = []): Promise<SyncProcess> {
  const run = startCli(['sync', '-c', config, '--listen', '127.0.0.1:0', '--log-format', 'json', ...extra]);
  let url: string | undefined;
  const found = await waitFor(async () => {
    url = /endpoints on (http:\/\/[^ ]+) /.exec(run.output.stderr)?.[1];
    return url !== undefined || run.child.exitCode !== null;
  }, 60_000);
  if (!found || !url) throw new Error(`atlas sync did not start:\n${run.output.stderr}`);
  return { ...run, url };
}

/** /metrics parsed by a Prometheus text-format parser (a syntax error throws). */
export async function scrape(url: string): Promise<PromFamily[]> {
  const res = await fetch(`${url}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parsePrometheusTextFormat(await res.text());
}

/** The sum of a counter or gauge family's samples, optionally only those with these labels. */
export function sampleSum(families: PromFamily[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  if (!family) return 0;
  return family.metrics
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((n, m) => n + Number(m.value ?? 0), 0);
}

/** Cycles that finished, by the counter atlas_sync_cycles_total. */
export async function cyclesDone(url: string): Promise<number> {
  return sampleSum(await scrape(url), 'atlas_sync_cycles_total');
}
