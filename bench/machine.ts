import { readFileSync } from 'node:fs';
import { cpus, hostname, release, totalmem } from 'node:os';

export interface MachineDescription {
  /** Short name used in result file names. */
  name: string;
  cpuModel: string;
  cores: number;
  ramGiB: number;
  node: string;
  postgres: string;
  os: string;
  /** The load average when the run started: other work on the machine skews wall-clock figures. */
  loadAverageAtStart: number[];
}

function osName(): string {
  try {
    const line = readFileSync('/etc/os-release', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('PRETTY_NAME='));
    if (line) return `${line.slice('PRETTY_NAME='.length).replace(/"/g, '')} (kernel ${release()})`;
  } catch {
    // Not Linux, or no os-release: fall back to the kernel release.
  }
  return `${process.platform} ${release()}`;
}

function loadAverage(): number[] {
  try {
    return readFileSync('/proc/loadavg', 'utf8')
      .split(' ')
      .slice(0, 3)
      .map((v) => Number(v));
  } catch {
    return [];
  }
}

/** What the figures were measured on (CPU, cores, memory, Node, PostgreSQL, OS). */
export function describeMachine(postgresVersion: string): MachineDescription {
  const list = cpus();
  const cores = list.length;
  const ramGiB = Math.round(totalmem() / 2 ** 30);
  const host =
    hostname()
      .replace(/[^A-Za-z0-9-]/g, '')
      .slice(0, 20) || 'host';
  return {
    name: `${cores}core-${ramGiB}gib-${host}`,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores,
    ramGiB,
    node: process.version,
    postgres: postgresVersion,
    os: osName(),
    loadAverageAtStart: loadAverage(),
  };
}
