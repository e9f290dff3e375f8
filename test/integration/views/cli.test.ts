import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SHARED_FIXTURES_MANIFEST } from '../../../sim/index.js';
import { viewsCommand } from '../../../src/cli/commands/views.js';
import { createTestDatabase } from '../../support/db.js';
import { fixtureFlat, insertCompositions, rawTextPool, startSim } from './support.js';

/** `atlas views …` through commander, in process: output, exit codes, what is written. */
const db = await createTestDatabase();
const raw = rawTextPool(db.url);
let configFile = '';

beforeAll(async () => {
  const sim = await startSim({ dataDir: SHARED_FIXTURES_MANIFEST });
  const dir = mkdtempSync(join(tmpdir(), 'atlas-views-cli-'));
  configFile = join(dir, 'atlas.toml');
  writeFileSync(
    configFile,
    `database_target = "postgresql"\n\n[application]\nlog_level = "error"\n\n[openehr]\nbase_url = "${sim.baseUrl}"\nauth_type = "none"\n\n` +
      `[openehr.retry]\nmax_retries = 0\n\n[postgresql]\nconnection_string = "${db.url}"\n`,
  );
  await insertCompositions(raw, [
    {
      templateId: 'ehrbase_multi_occurrence.de.v1',
      flat: fixtureFlat('multi_occurrence.json'),
      mode: 'preserve',
    },
  ]);
});

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** Runs `atlas <args>` and returns what it printed and its exit code. */
async function atlas(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  const program = new Command('atlas')
    .option('-c, --config <file>')
    .option('-l, --log-level <level>')
    .option('--log-format <format>');
  program.exitOverride();
  viewsCommand.register(program);
  await program.parseAsync(['node', 'atlas', ...args, '-c', configFile]);
  const code = Number(process.exitCode ?? 0);
  vi.restoreAllMocks();
  return { stdout: out.join(''), stderr: err.join(''), code };
}

async function viewCount(): Promise<number> {
  const { rows } = await raw.query(
    `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'atlas_views' AND c.relkind = 'v'`,
  );
  return Number(rows[0].n);
}

describe('atlas views', () => {
  it('generate --dry-run prints the SQL and writes nothing', async () => {
    const { stdout, stderr, code } = await atlas('views', 'generate', '--dry-run');
    expect(code).toBe(0);
    expect(stdout).toContain(
      'CREATE VIEW "atlas_views"."ehrbase_multi_occurrence_de_v1__body_temperature__any_event" AS',
    );
    expect(stderr).toContain('ehrbase_multi_occurrence.de.v1: planned, 3 view(s), 3 to write');
    expect(await viewCount()).toBe(0);
  });

  it('generate creates the views and reports them; a second run finds them up to date', async () => {
    const first = await atlas('views', 'generate');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('ehrbase_multi_occurrence.de.v1: created, 3 view(s), 3 to write');
    expect(first.stdout).toContain('  create    ehrbase_multi_occurrence_de_v1__body_temperature__any_event');
    expect(await viewCount()).toBe(3);
    const second = await atlas('views', 'generate', '--template-id', 'ehrbase_multi_occurrence.de.v1');
    expect(second.stdout).toBe('ehrbase_multi_occurrence.de.v1: unchanged, 3 view(s)\n');
  });

  it('list --json describes the views', async () => {
    const { stdout, code } = await atlas('views', 'list', '--json');
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as Array<{
      name: string;
      kind: string;
      exists: boolean;
      columns: number;
    }>;
    expect(listed.map((v) => [v.name, v.kind, v.exists])).toEqual([
      ['ehrbase_multi_occurrence_de_v1', 'main', true],
      ['ehrbase_multi_occurrence_de_v1__body_temperature', 'repeating', true],
      ['ehrbase_multi_occurrence_de_v1__body_temperature__any_event', 'repeating', true],
    ]);
    expect((await atlas('views', 'list')).stdout).toMatch(/^template\tview\tcolumns\tnotes\n/);
  });

  it('a template the server does not know fails with exit code 1, the others are still generated', async () => {
    const { stdout, code } = await atlas(
      'views',
      'generate',
      '--template-id',
      'no_such_template,ehrbase_multi_occurrence.de.v1',
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/^no_such_template: FAILED — /);
    expect(stdout).toContain('ehrbase_multi_occurrence.de.v1: unchanged');
  });

  it('drop --dry-run prints the SQL; drop removes the views and their definitions', async () => {
    const dry = await atlas('views', 'drop', '--dry-run');
    expect(dry.stdout).toContain('DROP VIEW IF EXISTS "atlas_views"."ehrbase_multi_occurrence_de_v1"');
    expect(await viewCount()).toBe(3);
    const { stdout, code } = await atlas('views', 'drop');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Dropped 3 view\(s\): /);
    expect(await viewCount()).toBe(0);
    expect((await raw.query('SELECT count(*)::int AS n FROM view_definitions')).rows[0].n).toBe('0');
  });
});
