import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { BenchResults } from '../../../bench/results-types.js';

/**
 * A small run of the benchmark harness (built: dist/bench/run.js) so it cannot rot: every scenario, tiny
 * datasets, one run each. Checks counts and relations, never timings.
 */
const out = mkdtempSync(join(tmpdir(), 'atlas-bench-smoke-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function runBench(): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    [
      join(process.cwd(), 'dist', 'bench', 'run.js'),
      '--runs',
      '1',
      '--compositions',
      '300',
      '--original-compositions',
      '200',
      '--incremental-ehrs',
      '100',
      '--memory-sizes',
      '200,300',
      '--anonymization-compositions',
      '200',
      '--database-url',
      inject('pgAdminUrl'),
      '--out',
      out,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('benchmark harness (smoke run)', () => {
  it('runs every scenario and writes results with consistent counts', async () => {
    const { code, stderr } = await runBench();
    expect(code, stderr).toBe(0);
    const files = readdirSync(out);
    const json = files.find((f) => f.endsWith('.json'));
    expect(files).toContain('latest.md');
    const r = JSON.parse(readFileSync(join(out, json!), 'utf8')) as BenchResults;
    expect(r.errors).toEqual([]);
    expect(r.machine.cores).toBeGreaterThan(0);
    expect(r.machine.postgres).not.toBe('');

    // 1 + 2: every live composition stored once, and COPY loaded exactly the rows the export stored.
    const { full, copy } = r;
    expect(full!.rowsStored).toBe(full!.compositions);
    expect(copy!.rows).toBe(full!.rowsStored);
    expect(copy!.rowsEqualExport).toBe(true);
    expect(full!.rate.median).toBeGreaterThan(0);
    expect(copy!.rate.median).toBeGreaterThan(0);
    expect(copy!.ratio.median).toBeGreaterThan(0);
    // One GET per composition plus a few discovery queries: at least 1, far below 2.
    expect(full!.requestsPerComposition.median).toBeGreaterThanOrEqual(1);
    expect(full!.requestsPerComposition.median).toBeLessThan(1.5);
    expect(full!.peakRssMb.median).toBeGreaterThan(0);

    // 3: the original pattern lists per template × EHR, so it sends more requests than one per composition.
    expect(r.original!.rate.median).toBeGreaterThan(0);
    expect(r.original!.requestsPerComposition.median).toBeGreaterThan(full!.requestsPerComposition.median);
    expect(r.original!.speedupOnSubset).toBeGreaterThan(0);

    // 4: a no-op run sends the same few requests for 10 and for 100 EHRs.
    const [small, big] = r.noop!.points;
    expect(small!.ehrs).toBeLessThan(big!.ehrs);
    expect(big!.requests.median).toBeGreaterThan(0);
    expect(big!.requests.median).toBe(small!.requests.median);
    expect(big!.requestsByKind.composition).toBe(0);

    // 5: exactly the changed compositions are fetched again and updated.
    const changed = r.changed!;
    expect(changed.changed).toBeGreaterThan(0);
    expect(changed.updatedRows.median).toBe(changed.changed);
    expect(changed.requests.median).toBeGreaterThanOrEqual(changed.changed);

    // 6 and privacy: every size measured, both exports stored everything.
    expect(r.memory!.map((m) => m.compositions)).toHaveLength(2);
    for (const m of r.memory!) expect(m.peakRssMb.median).toBeGreaterThan(0);
    expect(r.anonymization!.plainRate.median).toBeGreaterThan(0);
    expect(r.anonymization!.anonymizedRate.median).toBeGreaterThan(0);

    // 8: every view sees exactly the generated data, the repeating one as the previous live design did.
    const views = r.views!;
    expect(views.mainRows).toBe(views.compositions);
    expect(views.repeatingRows).toBe(views.expectedRepeatingRows);
    expect(views.liveDesignRows).toBe(views.repeatingRows);
    expect(views.repeatingRows).toBeGreaterThan(views.mainRows);

    // 9 (issue 22): both fetch modes under every condition store the same rows; aql sends far fewer requests.
    const points = r.fetchModes!.points;
    expect(points.map((p) => `${p.condition}/${p.fetch}`)).toEqual([
      'loopback/composition',
      'loopback/aql',
      'latency 10 ms/composition',
      'latency 10 ms/aql',
      'fault mix/composition',
      'fault mix/aql',
    ]);
    for (const p of points) {
      // Stored plus failed for good (the fault mix can exhaust a composition's retries): the same every time.
      expect(p.compositions + p.failed).toBe(points[0]!.compositions + points[0]!.failed);
      expect(p.fellBack).toEqual([]);
      expect(p.ratioToCopy).toBeGreaterThan(0);
      if (p.fetch === 'composition') expect(p.requestsPerComposition).toBeGreaterThanOrEqual(1);
      else expect(p.requestsPerComposition).toBeLessThan(0.5);
    }

    const md = readFileSync(join(out, 'latest.md'), 'utf8');
    expect(md).toContain('| Scenario | Figure | Median | Min | Max | Target | Met |');
    expect(md).toContain('export rate ÷ COPY rate');
  }, 600_000);
});
