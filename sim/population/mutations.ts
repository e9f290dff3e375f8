import { renderBody, setAt } from '../data/body-template.js';
import type { Prototype } from '../data/prototype.js';
import { formatCommitTime, formatWithOffset } from '../time/iso.js';
import type { CommitResult } from '../types.js';
import type { SimClock } from './clock.js';
import { composedDocs } from './generated.js';
import { hash3 } from './hash.js';
import { makeId } from './ids.js';
import { type Population, type StoredVersion, SYSTEM_ID } from './population.js';
import { canonicalObject, flatObject, variantValues } from './render.js';

export class MutationError extends Error {
  constructor(
    readonly status: 404 | 409 | 400 | 422,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Apply FLAT edits to a FLAT document and, where the FLAT key has a known canonical twin (uid, start
 * time, composer, the prototype's paired numeric leaves), to the canonical document too. A `null` value
 * removes the FLAT key. Keys without a canonical twin change the FLAT form only (documented limit).
 */
export function applyFlatEdits(
  p: Prototype,
  flat: Record<string, unknown>,
  canonical: Record<string, unknown>,
  edits: Record<string, unknown>,
): void {
  const twins = new Map<string, ReadonlyArray<string | number>>([
    [`${p.root}/context/start_time`, ['context', 'start_time', 'value']],
    [`${p.root}/composer|name`, ['composer', 'name']],
    [`${p.root}/language|code`, ['language', 'code_string']],
    [`${p.root}/territory|code`, ['territory', 'code_string']],
  ]);
  for (const pair of p.numeric) twins.set(pair.flatKey, pair.canonicalPath);
  for (const [key, value] of Object.entries(edits)) {
    if (key === p.uidFlatKey || key.startsWith('ctx/')) continue;
    if (value === null || value === undefined) {
      delete flat[key];
      continue;
    }
    flat[key] = value;
    const path = twins.get(key);
    if (path) setAt(canonical, path, value);
  }
}

function setUid(
  p: Prototype,
  flat: Record<string, unknown>,
  canonical: Record<string, unknown>,
  uid: string,
): void {
  flat[p.uidFlatKey] = uid;
  const u = canonical.uid as Record<string, unknown> | undefined;
  if (u && typeof u === 'object') u.value = uid;
  else canonical.uid = { _type: 'OBJECT_VERSION_ID', value: uid };
}

/** Commits, updates and deletes, shared by the programmatic control API, `/_sim` and the REST writes. */
export class Mutations {
  constructor(
    private readonly pop: Population,
    private readonly clock: SimClock,
  ) {}

  private ehrFor(ehrId: string | undefined, k: number): number {
    if (ehrId === undefined) return hash3(this.pop.seed, k, 0xe4) % this.pop.ehrCount;
    const e = this.pop.findEhr(ehrId);
    if (e >= 0) return e;
    if (!/^[0-9a-f-]{36}$/i.test(ehrId)) throw new MutationError(400, `EHR id ${ehrId} is not a UUID`);
    return this.pop.addEhr(ehrId, this.clock.nowUs());
  }

  private templatePrototype(templateId: string): Prototype {
    const t = this.pop.data.templates.find((x) => x.templateId === templateId);
    if (!t) throw new MutationError(422, `Unknown template ${templateId}`);
    // A generated template with prototype files still commits from its first file (predictable edits).
    const p = t.commitFrom ?? t.prototypes[0];
    if (!p)
      throw new MutationError(422, `Template ${templateId} has no prototype composition to commit from`);
    return p;
  }

  private result(i: number): CommitResult {
    const v = this.pop.version(i);
    return {
      uid: this.pop.uid(i, v),
      objectId: this.pop.objectId(i),
      ehrId: this.pop.ehrId(this.pop.ehrIndex(i)),
      templateId: this.pop.prototype(i).templateId,
      timeCommitted: formatCommitTime(this.pop.timeUs(i)),
    };
  }

  /** New composition from the template's first prototype, jittered like the population, plus FLAT edits. */
  commit(templateId: string, ehrId?: string, flatOverrides?: Record<string, unknown>): CommitResult {
    const p = this.templatePrototype(templateId);
    const k = this.pop.size;
    const ehr = this.ehrFor(ehrId, k);
    const now = this.clock.nowUs();
    const uid = `${makeId(this.pop.seed, 'composition', k)}::${SYSTEM_ID}::1`;
    if (p.generator) {
      // A generated template: compose a fresh document for slot k, then apply the edits.
      const docs = composedDocs(this.pop, p, k, ehr, now, uid);
      if (flatOverrides) applyFlatEdits(p, docs.flat, docs.canonical, flatOverrides);
      return this.result(this.pop.create(ehr, p.index, { ...docs, timeUs: now }));
    }
    const values = variantValues(p, {
      uid,
      ...(p.startTime ? { startTime: formatWithOffset(now, p.startTime.offsetMinutes) } : {}),
      composer: this.pop.composerName(k),
      rngSeed: hash3(this.pop.seed, k, 1001),
    });
    const flat = JSON.parse(renderBody(p.flatBody, values)) as Record<string, unknown>;
    const canonical = JSON.parse(renderBody(p.canonicalBody, values)) as Record<string, unknown>;
    if (flatOverrides) applyFlatEdits(p, flat, canonical, flatOverrides);
    return this.result(this.pop.create(ehr, p.index, { flat, canonical, timeUs: now }));
  }

  /** Store documents written through REST POST (uid assigned here, or the client's `chosenUuid`). */
  create(
    ehr: number,
    p: Prototype,
    docs: { flat: Record<string, unknown>; canonical: Record<string, unknown> },
    chosenUuid?: string,
  ): number {
    const k = this.pop.size;
    const uuid = chosenUuid?.toLowerCase() ?? makeId(this.pop.seed, 'composition', k);
    setUid(p, docs.flat, docs.canonical, `${uuid}::${SYSTEM_ID}::1`);
    return this.pop.create(ehr, p.index, { ...docs, timeUs: this.clock.nowUs() }, chosenUuid);
  }

  /** Index of a live composition by object id (or version uid), else a MutationError. */
  live(objectIdOrUid: string): number {
    const i = this.pop.findComposition(objectIdOrUid.split('::')[0]!);
    if (i < 0) throw new MutationError(404, `No composition with id ${objectIdOrUid}`);
    if (this.pop.isDeleted(i)) throw new MutationError(409, `Composition ${objectIdOrUid} is deleted`);
    return i;
  }

  /** Version n+1 from version n plus FLAT edits; returns the new version uid. */
  update(objectId: string, edits: Record<string, unknown> = {}): string {
    const i = this.live(objectId);
    const v = this.pop.version(i);
    const p = this.pop.prototype(i);
    const flat = flatObject(this.pop, i, v);
    const canonical = canonicalObject(this.pop, i, v);
    applyFlatEdits(p, flat, canonical, edits);
    return this.replace(i, { flat, canonical });
  }

  /** Version n+1 with the given documents (REST PUT, or update). */
  replace(i: number, docs: { flat: Record<string, unknown>; canonical: Record<string, unknown> }): string {
    const p = this.pop.prototype(i);
    const next = this.pop.version(i) + 1;
    const uid = this.pop.uid(i, next);
    setUid(p, docs.flat, docs.canonical, uid);
    const stored: StoredVersion = { ...docs, timeUs: this.clock.nowUs() };
    this.pop.addVersion(i, stored);
    return uid;
  }

  /** Deletion version n+1; returns its uid. */
  delete(objectId: string): string {
    const i = this.live(objectId);
    const deletion = this.pop.markDeleted(i, this.clock.nowUs());
    return this.pop.uid(i, deletion);
  }

  resultOf(i: number): CommitResult {
    return this.result(i);
  }
}
