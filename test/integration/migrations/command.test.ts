import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { migrateCommand } from '../../../src/cli/commands/migrate.js';
import { createTestDatabase } from '../../support/db.js';

/** A root program like src/cli/main.ts builds (its global options), with only the migrate command. */
function program(): Command {
  const p = new Command('atlas')
    .option('-c, --config <file>')
    .option('-l, --log-level <level>')
    .option('--log-format <format>')
    .exitOverride();
  migrateCommand.register(p);
  return p;
}

/** Runs `atlas <args>` in-process; returns stdout and the exit code the action set. */
async function atlas(args: string[]): Promise<{ out: string; code: number }> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program().parseAsync(args, { from: 'user' });
    return { out, code: Number(process.exitCode ?? 0) };
  } finally {
    spy.mockRestore();
    err.mockRestore();
    process.exitCode = 0;
  }
}

afterEach(() => {
  process.exitCode = 0;
});

describe('atlas migrate (PostgreSQL target, custom schema)', async () => {
  const db = await createTestDatabase({ migrated: false });
  const dir = mkdtempSync(join(tmpdir(), 'atlas-migrate-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'atlas.toml');
  writeFileSync(
    config,
    [
      'database_target = "postgresql"',
      '[application]',
      'log_level = "error"',
      '[openehr]',
      'base_url = "http://127.0.0.1:8080/ehrbase"',
      'auth_type = "none"',
      '[openehr.query]',
      'template_ids = ["Corona_Anamnese"]',
      '[postgresql]',
      `connection_string = "${db.url}"`,
      'ssl_mode = "disable"',
      'schema = "atlas_cli"',
      '',
    ].join('\n'),
  );

  it('migrate --dry-run prints the SQL script and creates nothing', async () => {
    const r = await atlas(['migrate', '--dry-run', '-c', config]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('-- Dry run: nothing was executed.');
    expect(r.out).toContain('CREATE SCHEMA IF NOT EXISTS "atlas_cli";');
    expect(r.out).toContain('SET LOCAL search_path TO "atlas_cli";');
    expect(r.out).toMatch(/CREATE TABLE IF NOT EXISTS compositions \(/);
    const s = await db.pool.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'atlas_cli'`);
    expect(s.rows[0].n).toBe(0);
  });

  it('migrate status before: empty, exit 0', async () => {
    const r = await atlas(['migrate', 'status', '-c', config]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('schema "atlas_cli": no Atlas tables yet');
    expect(r.out).toContain('✗ compositions: missing');
  });

  it('migrate (no subcommand) applies everything; a second run says up to date', async () => {
    const first = await atlas(['migrate', '-c', config]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('✓ apply 001_initial_schema.sql');
    const second = await atlas(['migrate', 'up', '-c', config]);
    expect(second.out).toContain('Schema "atlas_cli" is up to date');
  });

  it('migrate status --json reports the comparison, exit 0', async () => {
    const r = await atlas(['migrate', 'status', '--json', '-c', config]);
    expect(r.code).toBe(0);
    const status = JSON.parse(r.out);
    expect(status.state).toBe('up-to-date');
    expect(status.schema).toBe('atlas_cli');
    expect(status.tables.find((t: { name: string }) => t.name === 'compositions').columns).toContainEqual({
      name: 'content',
      status: 'ok',
      expected: 'jsonb NOT NULL',
      actual: 'jsonb NOT NULL',
    });
  });

  it('migrate status shows a column dropped by hand and exits 4', async () => {
    await db.pool.query('ALTER TABLE atlas_cli.compositions DROP COLUMN checksum');
    const r = await atlas(['migrate', 'status', '-c', config]);
    expect(r.out).toContain('✗ checksum missing (expected text)');
    expect(r.code).toBe(4);
    const up = await atlas(['migrate', '-c', config]);
    expect(up.code).toBe(4);
  });
});
