import type { Prototype } from '../data/prototype.js';
import { hash3, unit } from './hash.js';

/** Salts of the independent per-index streams (changing one changes that attribute only). */
export const SALT = {
  template: 1,
  prototype: 2,
  ehr: 3,
  delete: 4,
  update: 5,
  versions: 6,
  tie: 7,
  time: 8,
  gap: 9,
  delay: 10,
  backdate: 11,
  backdateAmount: 12,
  composer: 13,
  ehrCreated: 14,
  deleteGap: 15,
} as const;

export interface BaseParams {
  seed: number;
  ehrs: number;
  /** Generated compositions (not counting originals). */
  generated: number;
  prototypes: readonly Prototype[];
  /** Prototype indices per template that has prototypes. */
  templatePrototypes: readonly number[][];
  includeOriginals: boolean;
  updateRatio: number;
  deleteRatio: number;
  tieRatio: number;
  /** Commit times fall in [endUs - rangeUs, endUs). */
  endUs: number;
  rangeUs: number;
}

/**
 * The compact, immutable index of the generated population: one slot per composition in commit-time
 * order (index order = order of the latest commit), ~16 bytes each. Everything else about a composition
 * (ids, clinical time, body) is derived from (seed, index) on demand.
 */
export class BasePopulation {
  readonly size: number;
  /** Leading slots holding the prototypes themselves (served byte-for-byte). */
  readonly originals: number;
  readonly ehr: Uint32Array;
  readonly proto: Uint16Array;
  /** Latest data version (≥1). */
  readonly version: Uint8Array;
  readonly deleted: Uint8Array;
  /** Commit time (µs) of the latest version — of the deletion for deleted compositions. Non-decreasing. */
  readonly timeUs: Float64Array;
  readonly originalPrototypes: number[];

  constructor(readonly params: BaseParams) {
    const { seed, prototypes } = params;
    this.originalPrototypes = params.includeOriginals
      ? prototypes.filter((p) => p.originalUid !== undefined).map((p) => p.index)
      : [];
    this.originals = this.originalPrototypes.length;
    const n = this.originals + params.generated;
    this.size = n;
    this.ehr = new Uint32Array(n);
    this.proto = new Uint16Array(n);
    this.version = new Uint8Array(n);
    this.deleted = new Uint8Array(n);
    this.timeUs = new Float64Array(n);
    const start = params.endUs - params.rangeUs;
    const step = params.rangeUs / Math.max(n, 1);
    const templates = params.templatePrototypes;
    for (let i = 0; i < n; i++) {
      const t = Math.floor(start + (i + unit(seed, i, SALT.time)) * step);
      if (i < this.originals) {
        this.proto[i] = this.originalPrototypes[i]!;
        this.ehr[i] = i % params.ehrs;
        this.version[i] = 1;
        this.timeUs[i] = t;
        continue;
      }
      const protos = templates[hash3(seed, i, SALT.template) % templates.length]!;
      this.proto[i] = protos[hash3(seed, i, SALT.prototype) % protos.length]!;
      this.ehr[i] = hash3(seed, i, SALT.ehr) % params.ehrs;
      this.deleted[i] = unit(seed, i, SALT.delete) < params.deleteRatio ? 1 : 0;
      this.version[i] =
        unit(seed, i, SALT.update) < params.updateRatio ? 2 + (hash3(seed, i, SALT.versions) % 3) : 1;
      const tie = i > this.originals && unit(seed, i, SALT.tie) < params.tieRatio;
      this.timeUs[i] = tie ? this.timeUs[i - 1]! : Math.max(t, this.timeUs[i - 1] ?? t);
    }
  }

  /** Commit time (µs) of data version `v` (1..version) of a base composition. */
  versionTimeUs(i: number, v: number): number {
    const { seed } = this.params;
    const n = this.version[i]!;
    const lastData = this.deleted[i]
      ? this.timeUs[i]! - 1000 * Math.floor(1 + unit(seed, i, SALT.deleteGap) * 86_400_000)
      : this.timeUs[i]!;
    if (n === 1) return lastData;
    // Earlier versions lie up to 60 days before the latest one, evenly spaced.
    const first = lastData - 1000 * Math.floor(3_600_000 + unit(seed, i, SALT.gap) * 60 * 86_400_000);
    return Math.floor(first + ((lastData - first) * (v - 1)) / (n - 1));
  }

  /** Clinical `context/start_time` (µs) of a generated composition: before its first commit, sometimes far before. */
  startUs(i: number, backdateRatio: number): number {
    const { seed } = this.params;
    const firstCommit = this.versionTimeUs(i, 1);
    const backdated = unit(seed, i, SALT.backdate) < backdateRatio;
    const delayMs = backdated
      ? 86_400_000 * (1 + unit(seed, i, SALT.backdateAmount) * 364)
      : 60_000 * (1 + unit(seed, i, SALT.delay) * 119);
    // Whole milliseconds: the rendered value has a millisecond fraction and AQL parses that string.
    return Math.floor((firstCommit - delayMs * 1000) / 1000) * 1000;
  }
}
