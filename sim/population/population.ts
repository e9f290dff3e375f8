import type { DataSet } from '../data/dataset.js';
import type { Prototype } from '../data/prototype.js';
import { COMPOSERS } from '../generate/vocabulary.js';
import { formatCommitTime, formatWithOffset } from '../time/iso.js';
import { type BaseParams, BasePopulation, SALT } from './base.js';
import { generatedDocs } from './generated.js';
import { hash3, unit } from './hash.js';
import { indexOfId, isUuid, makeId } from './ids.js';

export const SYSTEM_ID = 'local.ehrbase.org';

/** A composition version whose documents were written through the API (commit/update/REST). */
export interface StoredVersion {
  flat: Record<string, unknown>;
  canonical: Record<string, unknown>;
  timeUs: number;
}

/** Mutable state of a composition touched after start (or created after start). */
interface Overlay {
  ehr: number;
  proto: number;
  version: number;
  deleted: boolean;
  /** Latest commit time (of the deletion when deleted). */
  timeUs: number;
  deletedTimeUs?: number;
  versions: Map<number, StoredVersion>;
}

export interface ExtraEhr {
  id: string;
  createdUs: number;
  subjectId: string;
}

export interface PopulationParams extends Omit<BaseParams, 'prototypes' | 'templatePrototypes'> {
  backdateRatio: number;
}

/**
 * The population as the server sees it: the immutable generated base plus an overlay of mutations
 * (commits, updates, deletes). Composition `i` ≥ base.size is one created after start.
 */
export class Population {
  readonly base: BasePopulation;
  readonly seed: number;
  readonly ehrCount: number;
  private readonly touched: Uint8Array;
  private readonly overlays = new Map<number, Overlay>();
  private readonly extras: Overlay[] = [];
  private readonly extraEhrs: ExtraEhr[] = [];
  private readonly extraEhrIndex = new Map<string, number>();
  private readonly originalsByUuid = new Map<string, number>();
  /** Compositions created through the API with a client-chosen uid (`<root>/_uid` on POST): index ↔ uuid. */
  private readonly chosenIds = new Map<number, string>();
  private readonly chosenByUuid = new Map<string, number>();
  /** Indices whose latest commit moved off the base order (mutated + created), sorted by (time, uid). */
  private readonly moved: number[] = [];
  /** Bumped on every mutation; lets lazy indexes know they are stale. */
  generation = 0;

  constructor(
    readonly data: DataSet,
    readonly params: PopulationParams,
  ) {
    const templatePrototypes = data.templates
      .map((t) => t.prototypes.map((p) => p.index))
      .filter((l) => l.length > 0);
    if (templatePrototypes.length === 0)
      throw new Error('atlas-sim: no template of the data set has prototypes');
    this.base = new BasePopulation({ ...params, prototypes: data.prototypes, templatePrototypes });
    this.seed = params.seed;
    this.ehrCount = params.ehrs;
    this.touched = new Uint8Array(this.base.size);
    this.base.originalPrototypes.forEach((p, i) => {
      const uid = data.prototypes[p]!.originalUid!;
      this.originalsByUuid.set(uid.split('::')[0]!.toLowerCase(), i);
    });
  }

  get size(): number {
    return this.base.size + this.extras.length;
  }

  get totalEhrs(): number {
    return this.ehrCount + this.extraEhrs.length;
  }

  private overlay(i: number): Overlay | undefined {
    if (i >= this.base.size) return this.extras[i - this.base.size];
    return this.touched[i] ? this.overlays.get(i) : undefined;
  }

  // ---- per-composition state -------------------------------------------------------------------

  ehrIndex(i: number): number {
    return this.overlay(i)?.ehr ?? this.base.ehr[i]!;
  }

  protoIndex(i: number): number {
    return this.overlay(i)?.proto ?? this.base.proto[i]!;
  }

  prototype(i: number): Prototype {
    return this.data.prototypes[this.protoIndex(i)]!;
  }

  templateIndex(i: number): number {
    return this.prototype(i).templateIndex;
  }

  version(i: number): number {
    return this.overlay(i)?.version ?? this.base.version[i]!;
  }

  isDeleted(i: number): boolean {
    const o = this.overlay(i);
    return o ? o.deleted : this.base.deleted[i] === 1;
  }

  /** Latest commit time (µs): of the latest version, or of the deletion. */
  timeUs(i: number): number {
    return this.overlay(i)?.timeUs ?? this.base.timeUs[i]!;
  }

  isOriginal(i: number): boolean {
    return i < this.base.originals;
  }

  /** Whether the base slot still sits at its generated place in commit order. */
  inBaseOrder(i: number): boolean {
    return i < this.base.size && this.touched[i] === 0;
  }

  stored(i: number, v: number): StoredVersion | undefined {
    return this.overlay(i)?.versions.get(v);
  }

  /** Commit time (µs) of data version v. */
  versionTimeUs(i: number, v: number): number {
    const s = this.stored(i, v);
    if (s) return s.timeUs;
    return this.base.versionTimeUs(i, v);
  }

  /** Commit time (µs) of the deletion version of a deleted composition. */
  deletionTimeUs(i: number): number {
    return this.overlay(i)?.deletedTimeUs ?? this.base.timeUs[i]!;
  }

  // ---- identities ------------------------------------------------------------------------------

  objectId(i: number): string {
    if (this.isOriginal(i)) return this.prototype(i).originalUid!.split('::')[0]!;
    return this.chosenIds.get(i) ?? makeId(this.seed, 'composition', i);
  }

  systemId(i: number): string {
    if (this.isOriginal(i)) return this.prototype(i).originalUid!.split('::')[1] ?? SYSTEM_ID;
    return SYSTEM_ID;
  }

  uid(i: number, v: number): string {
    if (this.isOriginal(i) && v === 1) return this.prototype(i).originalUid!;
    return `${this.objectId(i)}::${this.systemId(i)}::${v}`;
  }

  /** Composition index of a versioned-object uuid, or -1. */
  findComposition(uuid: string): number {
    const lower = uuid.toLowerCase();
    const original = this.originalsByUuid.get(lower);
    if (original !== undefined) return original;
    const chosen = this.chosenByUuid.get(lower);
    if (chosen !== undefined) return chosen;
    const i = indexOfId(this.seed, 'composition', lower, this.size);
    return i >= this.base.originals && !this.chosenIds.has(i) ? i : -1;
  }

  ehrId(e: number): string {
    return e < this.ehrCount ? makeId(this.seed, 'ehr', e) : this.extraEhrs[e - this.ehrCount]!.id;
  }

  findEhr(id: string): number {
    if (!isUuid(id)) return -1;
    const lower = id.toLowerCase();
    const e = indexOfId(this.seed, 'ehr', lower, this.ehrCount);
    return e >= 0 ? e : (this.extraEhrIndex.get(lower) ?? -1);
  }

  ehrCreatedUs(e: number): number {
    if (e >= this.ehrCount) return this.extraEhrs[e - this.ehrCount]!.createdUs;
    const start = this.params.endUs - this.params.rangeUs;
    return Math.floor(start - unit(this.seed, e, SALT.ehrCreated) * 90 * 86_400_000_000);
  }

  ehrSubjectId(e: number): string {
    if (e >= this.ehrCount) return this.extraEhrs[e - this.ehrCount]!.subjectId;
    return `sim-${String(e + 1).padStart(7, '0')}`;
  }

  ehrStatusUid(e: number): string {
    return `${makeId(this.seed, 'ehrStatus', e)}::${SYSTEM_ID}::1`;
  }

  contributionId(i: number, v: number): string {
    return makeId(this.seed, 'contribution', (hash3(this.seed, i, v) ^ i) >>> 0);
  }

  // ---- clinical fields of generated versions -----------------------------------------------------

  startUs(i: number): number {
    return this.base.startUs(i, this.params.backdateRatio);
  }

  /** `context/start_time/value` of version v as the canonical document holds it. */
  startTimeValue(i: number, v: number): string | undefined {
    const p0 = this.prototype(i);
    // A generated document: the value exactly as the codec printed it (cached with the document).
    const s = this.stored(i, v) ?? (p0.generator ? generatedDocs(this, i, v, p0.generator) : undefined);
    if (s) {
      const ctx = s.canonical.context as Record<string, unknown> | undefined;
      const st = ctx?.start_time as Record<string, unknown> | undefined;
      return typeof st?.value === 'string' ? st.value : undefined;
    }
    const p = this.prototype(i);
    if (!p.startTime) return undefined;
    if (this.isOriginal(i)) return p.startTime.value;
    return formatWithOffset(this.startUs(i), p.startTime.offsetMinutes);
  }

  composerName(i: number): string {
    return COMPOSERS[hash3(this.seed, i, SALT.composer) % COMPOSERS.length]!;
  }

  commitTimeValue(us: number): string {
    return formatCommitTime(us);
  }

  /** Commit times AQL shows as this text instead (a damaged record on the server; see garbleCommitTime). */
  private readonly commitTimeTexts = new Map<string, string>();

  /** The commit time AQL answers for version v of composition i. */
  commitTimeText(i: number, v: number): string {
    return this.commitTimeTexts.get(`${i}:${v}`) ?? formatCommitTime(this.versionTimeUs(i, v));
  }

  /** Makes AQL answer `text` as the commit time of version v of composition i (ordering keeps the real time). */
  garbleCommitTime(i: number, v: number, text: string): void {
    this.commitTimeTexts.set(`${i}:${v}`, text);
  }

  // ---- mutations -------------------------------------------------------------------------------

  addEhr(id: string, createdUs: number): number {
    const e = this.ehrCount + this.extraEhrs.length;
    this.extraEhrs.push({
      id: id.toLowerCase(),
      createdUs,
      subjectId: `sim-new-${this.extraEhrs.length + 1}`,
    });
    this.extraEhrIndex.set(id.toLowerCase(), e);
    this.generation++;
    return e;
  }

  /** Register a new composition whose version 1 is `doc` (under `objectId` when the client chose it); returns its index. */
  create(ehr: number, proto: number, doc: StoredVersion, objectId?: string): number {
    const i = this.size;
    if (objectId !== undefined) {
      this.chosenIds.set(i, objectId.toLowerCase());
      this.chosenByUuid.set(objectId.toLowerCase(), i);
    }
    this.extras.push({
      ehr,
      proto,
      version: 1,
      deleted: false,
      timeUs: doc.timeUs,
      versions: new Map([[1, doc]]),
    });
    this.reposition(i);
    return i;
  }

  private ensureOverlay(i: number): Overlay {
    const existing = this.overlay(i);
    if (existing) return existing;
    const o: Overlay = {
      ehr: this.base.ehr[i]!,
      proto: this.base.proto[i]!,
      version: this.base.version[i]!,
      deleted: this.base.deleted[i] === 1,
      timeUs: this.base.timeUs[i]!,
      versions: new Map(),
    };
    this.overlays.set(i, o);
    this.touched[i] = 1;
    return o;
  }

  /** Append version n+1 (a live version with documents). */
  addVersion(i: number, doc: StoredVersion): number {
    const o = this.ensureOverlay(i);
    o.version += 1;
    o.versions.set(o.version, doc);
    o.timeUs = doc.timeUs;
    this.reposition(i);
    return o.version;
  }

  /** Record the deletion version n+1; returns its number. */
  markDeleted(i: number, timeUs: number): number {
    const o = this.ensureOverlay(i);
    o.deleted = true;
    o.deletedTimeUs = timeUs;
    o.timeUs = timeUs;
    this.reposition(i);
    return o.version + 1;
  }

  private compareMoved(a: number, b: number): number {
    const d = this.timeUs(a) - this.timeUs(b);
    if (d !== 0) return d;
    const ua = this.objectId(a);
    const ub = this.objectId(b);
    return ua < ub ? -1 : ua > ub ? 1 : 0;
  }

  private reposition(i: number): void {
    const at = this.moved.indexOf(i);
    if (at >= 0) this.moved.splice(at, 1);
    let lo = 0;
    let hi = this.moved.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compareMoved(this.moved[mid]!, i) <= 0) lo = mid + 1;
      else hi = mid;
    }
    this.moved.splice(lo, 0, i);
    this.generation++;
  }

  /** Compositions off the base order, sorted by (latest commit time, uuid). */
  movedIndices(): readonly number[] {
    return this.moved;
  }
}
