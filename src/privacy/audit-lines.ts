import type { Finding } from './types.js';

/** Distinct (path, category, strategy, detector) parts remembered; a template's paths recur in every composition. */
const MAX_CACHED_PARTS = 20_000;
const INITIAL_BYTES = 256 * 1024;
const HEX = /^[0-9a-f]*$/;
const QUOTE = 0x22;
const LINE_END = Buffer.from('}\n');

/**
 * The audit log's pending lines, encoded straight into bytes: the parts a line shares with others (the
 * composition's members, a path's members) are encoded once and copied, so a line costs a few copies instead
 * of building, joining and re-encoding strings (~10 lines per composition, measured at 10 µs per composition
 * that way, about a sixth of anonymisation's cost).
 */
export class AuditLines {
  private bytes = Buffer.allocUnsafe(INITIAL_BYTES);
  private length = 0;
  private count = 0;
  private readonly parts = new Map<
    string,
    { category: string; strategy: string; detector: string; bytes: Buffer }
  >();

  /** Lines pending. */
  get lines(): number {
    return this.count;
  }

  /**
   * One JSON line per finding: exactly `JSON.stringify` of
   * `{ts, composition_uid, template_id, path, category, strategy, detector, value_hash}` in this key order.
   */
  addJson(findings: readonly Finding[], ts: string, uid: string, templateId: string): void {
    const head = Buffer.from(
      `{"ts":${JSON.stringify(ts)},"composition_uid":${JSON.stringify(uid)},"template_id":${JSON.stringify(templateId)}`,
    );
    for (const f of findings) {
      this.copy(head);
      this.copy(this.jsonPart(f));
      this.hash(f.keyedHash);
      this.copy(LINE_END);
    }
    this.count += findings.length;
  }

  /** One plain line per finding: `ts | uid | template | path | category | strategy | detector | value_hash`. */
  addPlain(findings: readonly Finding[], ts: string, uid: string, templateId: string): void {
    for (const f of findings) {
      this.text(
        `${ts} | ${uid} | ${templateId} | ${f.path} | ${f.category} | ${f.strategy} | ${f.detector} | ${f.keyedHash}\n`,
      );
    }
    this.count += findings.length;
  }

  /** The pending bytes, handed over (the buffer starts anew, so they stay intact while being written). */
  take(): Buffer {
    const out = this.bytes.subarray(0, this.length);
    this.bytes = Buffer.allocUnsafe(Math.max(INITIAL_BYTES, this.length));
    this.length = 0;
    this.count = 0;
    return out;
  }

  /** `,"path":…,"category":…,"strategy":…,"detector":…,"value_hash":` of a finding, encoded once per path and treatment. */
  private jsonPart(f: Finding): Buffer {
    const hit = this.parts.get(f.path);
    if (hit && hit.category === f.category && hit.strategy === f.strategy && hit.detector === f.detector) {
      return hit.bytes;
    }
    const bytes = Buffer.from(
      `,"path":${JSON.stringify(f.path)},"category":${JSON.stringify(f.category)},"strategy":${JSON.stringify(f.strategy)},"detector":${JSON.stringify(f.detector)},"value_hash":`,
    );
    if (this.parts.size >= MAX_CACHED_PARTS) this.parts.clear();
    this.parts.set(f.path, { category: f.category, strategy: f.strategy, detector: f.detector, bytes });
    return bytes;
  }

  /** The keyed hash is hex (see Finding): its JSON form is itself in quotes; anything else is serialised. */
  private hash(value: string): void {
    if (!HEX.test(value)) {
      this.text(JSON.stringify(value));
      return;
    }
    this.reserve(value.length + 2);
    this.bytes[this.length++] = QUOTE;
    this.length += this.bytes.write(value, this.length, 'latin1');
    this.bytes[this.length++] = QUOTE;
  }

  private copy(part: Buffer): void {
    this.reserve(part.length);
    this.bytes.set(part, this.length);
    this.length += part.length;
  }

  private text(value: string): void {
    this.reserve(Buffer.byteLength(value));
    this.length += this.bytes.write(value, this.length, 'utf8');
  }

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + n));
    this.bytes.copy(next, 0, 0, this.length);
    this.bytes = next;
  }
}
