import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  ms: number;
  percent: number;
}

export interface ProfileSummary {
  totalMs: number;
  topFunctions: ProfileLine[];
  byArea: ProfileLine[];
}

/** Where a sampled function lives: Atlas's own folders, a dependency, Node internals, or V8 (GC, idle). */
function areaOf(url: string, fn: string): string {
  if (!url) return fn || '(native)';
  if (url.startsWith('node:')) return `node:${url.split(/[:/]/)[2] ?? ''}`;
  const dep = url.match(/node_modules\/((@[^/]+\/)?[^/]+)/);
  if (dep) return dep[1]!;
  const own = url.split('/dist/')[1];
  return own ? `atlas:${own.split('/').slice(0, 2).join('/')}` : url;
}

function top(map: Map<string, number>, total: number, n: number): ProfileLine[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({
      name,
      ms: Math.round(us / 1000),
      percent: Math.round((1000 * us) / total) / 10,
    }));
}

/** Self time of the newest .cpuprofile in `dir`: top functions and totals per area. */
export function summariseProfile(dir: string, n = 25): ProfileSummary {
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort()
    .pop();
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const nodes = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const byFn = new Map<string, number>();
  const byArea = new Map<string, number>();
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const file = url.split('/').slice(-2).join('/');
    const fnKey = `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
    byFn.set(fnKey, (byFn.get(fnKey) ?? 0) + us);
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const total = p.endTime - p.startTime;
  return {
    totalMs: Math.round(total / 1000),
    topFunctions: top(byFn, total, n),
    byArea: top(byArea, total, n),
  };
}
