import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnonymizer, type Finding, openAuditLog } from '../../../src/privacy/index.js';
import { loadFlatFixtures } from '../transform/flat-fixtures.js';
import { FIXTURE_IDENTIFIERS, survives } from './fixture-identifiers.js';
import { anonymizationConfig, EHR_ID } from './support.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atlas-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const finding: Finding = {
  path: 'enc/composer|name',
  category: 'NAME',
  strategy: 'token',
  detector: 'structure:party-name',
  keyedHash: '0123456789abcdef0123456789abcdef',
};
const now = () => new Date('2024-01-15T10:30:00.000Z');

/** The JSON lines the log must hold: exactly JSON.stringify of each record, in the documented key order. */
function expectedLines(findings: readonly Finding[], uid: string, templateId: string): string {
  return findings
    .map(
      (f) =>
        JSON.stringify({
          ts: now().toISOString(),
          composition_uid: uid,
          template_id: templateId,
          path: f.path,
          category: f.category,
          strategy: f.strategy,
          detector: f.detector,
          value_hash: f.keyedHash,
        }) + '\n',
    )
    .join('');
}

describe('openAuditLog', () => {
  it('writes each JSON line exactly as JSON.stringify of the record, escapes included', async () => {
    const logPath = join(dir, 'audit.log');
    const odd: Finding = { ...finding, path: 'enc/a "quoted"\\ key\n|ünï' };
    const log = await openAuditLog({ enabled: true, logPath, jsonFormat: true }, { now });
    log.record([finding, odd], 'uid "x"::sys::1', 'tpl\t1');
    await log.close();
    expect(await readFile(logPath, 'utf8')).toBe(expectedLines([finding, odd], 'uid "x"::sys::1', 'tpl\t1'));
  });

  it('serialises a keyed hash that is not hex, a repeated path with another treatment, and many lines, exactly', async () => {
    const logPath = join(dir, 'audit.log');
    const odd: Finding = { ...finding, keyedHash: 'not "hex"' };
    const retreated: Finding = { ...finding, category: 'DATE', detector: 'structure:date-value' };
    // Past the initial 256 KiB of the line buffer, in one flush.
    const many = Array.from({ length: 3000 }, (_, i) => ({ ...finding, path: `enc/p${i % 50}/ü` }));
    const log = await openAuditLog(
      { enabled: true, logPath, jsonFormat: true },
      { now, flushEveryLines: 10_000 },
    );
    const findings = [finding, odd, retreated, finding, ...many];
    log.record(findings, 'u::s::1', 't');
    await log.close();
    expect(await readFile(logPath, 'utf8')).toBe(expectedLines(findings, 'u::s::1', 't'));
  });

  it('keeps lines recorded while a flush is being written apart from it, in order', async () => {
    const logPath = join(dir, 'audit.log');
    const log = await openAuditLog({ enabled: true, logPath, jsonFormat: true }, { now });
    const uids = Array.from({ length: 200 }, (_, i) => `c${i}::sys::1`);
    const flushes: Array<Promise<void>> = [];
    uids.forEach((uid, i) => {
      log.record([finding], uid, 't');
      if (i % 7 === 0) flushes.push(log.flush());
    });
    await Promise.all(flushes);
    await log.close();
    const lines = (await readFile(logPath, 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { composition_uid: string }).composition_uid)).toEqual(uids);
  });

  it('creates the directory and appends JSON lines with uid, path, category, strategy and hash', async () => {
    const logPath = join(dir, 'nested', 'audit', 'anonymization.log');
    for (let run = 0; run < 2; run++) {
      const log = await openAuditLog({ enabled: true, logPath, jsonFormat: true }, { now });
      log.record([finding], `c${run}::sys::1`, 'vital_signs.v1');
      log.record([], 'no-findings::sys::1');
      await log.close();
    }
    const lines = (await readFile(logPath, 'utf8')).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(
      [0, 1].map((run) => ({
        ts: '2024-01-15T10:30:00.000Z',
        composition_uid: `c${run}::sys::1`,
        template_id: 'vital_signs.v1',
        path: 'enc/composer|name',
        category: 'NAME',
        strategy: 'token',
        detector: 'structure:party-name',
        value_hash: '0123456789abcdef0123456789abcdef',
      })),
    );
    expect((await stat(logPath)).mode & 0o777).toBe(0o600);
  });

  it('creates the directory and the file when opened, before any finding (as docs/configuration.md says)', async () => {
    const logPath = join(dir, 'not', 'yet', 'there.log');
    const log = await openAuditLog({ enabled: true, logPath, jsonFormat: true }, { now });
    try {
      expect((await stat(logPath)).size).toBe(0);
    } finally {
      await log.close();
    }
  });

  it('writes plain lines when json_format is false, in batches', async () => {
    const logPath = join(dir, 'audit.log');
    const log = await openAuditLog(
      { enabled: true, logPath, jsonFormat: false },
      { now, flushEveryLines: 2 },
    );
    for (let i = 0; i < 5; i++) log.record([finding], `c${i}::sys::1`, 't');
    await log.flush();
    expect((await readFile(logPath, 'utf8')).split('\n')).toHaveLength(6);
    await log.close();
    expect((await readFile(logPath, 'utf8')).split('\n')[0]).toBe(
      '2024-01-15T10:30:00.000Z | c0::sys::1 | t | enc/composer|name | NAME | token | structure:party-name | 0123456789abcdef0123456789abcdef',
    );
    expect(() => log.record([finding], 'late', 't')).toThrow(/already closed/);
  });

  it('reports a path it cannot open, without writing anything else', async () => {
    await expect(openAuditLog({ enabled: true, logPath: dir, jsonFormat: true })).rejects.toThrow(
      /cannot open the anonymization audit log/,
    );
  });

  it('never contains an original value: audit of an anonymised export of every fixture', async () => {
    const logPath = join(dir, 'audit.log');
    const anonymizer = createAnonymizer(
      anonymizationConfig({ mode: 'gdpr', audit: { enabled: true, logPath, jsonFormat: true } }),
    );
    const log = await openAuditLog({ enabled: true, logPath, jsonFormat: true });
    try {
      for (const { name, flat } of loadFlatFixtures()) {
        const { findings } = anonymizer.apply({
          flat,
          ehrId: EHR_ID,
          compositionUid: `${name}::sys::1`,
          templateId: name,
        });
        expect(findings.every((f) => /^[0-9a-f]{32}$/.test(f.keyedHash))).toBe(true);
        log.record(findings, `${name}::sys::1`, name);
      }
    } finally {
      await log.close();
    }
    const text = await readFile(logPath, 'utf8');
    const entries = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(entries.length).toBeGreaterThan(50);
    const values = entries.flatMap((e) => Object.values(e));
    for (const identifier of Object.values(FIXTURE_IDENTIFIERS).flat()) {
      expect(survives(identifier, values), identifier).toBe(false);
    }
  });
});
