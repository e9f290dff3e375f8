// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about the ${VAR} syntax in TOML text
import { describe, expect, it } from 'vitest';
import { normaliseBaseUrl } from '../../../src/config/index.js';
import { load, loadError, MINIMAL } from './helpers.js';

const PG_SECTION = '[postgresql]\nconnection_string = "postgresql://atlas@127.0.0.1:5432/atlas"\n';

describe('forgiving where the original’s own examples were wrong', () => {
  it.each([
    ['top level', 'database_target = "postgresql"\n', false],
    ['[export]', '[export]\ndatabase_target = "postgresql"\n', true],
    ['[application]', '[application]\ndatabase_target = "postgresql"\n', true],
  ])('reads database_target at %s', async (_where, snippet, warns) => {
    const { config, warnings } = await load(`${snippet}${MINIMAL}${PG_SECTION}`);
    expect(config.databaseTarget).toBe('postgresql');
    expect(warnings.some((w) => w.includes('read as the top-level key database_target'))).toBe(warns);
  });

  it('refuses two placements of database_target that disagree', async () => {
    const toml = `database_target = "embedded"\n[export]\ndatabase_target = "postgresql"\n${MINIMAL}${PG_SECTION}`;
    const message = await loadError(toml);
    expect(message).toContain('database_target = "embedded"');
    expect(message).toContain('export.database_target = "postgresql"');
  });

  it('defaults database_target to postgresql when a connection string is given, else embedded', async () => {
    expect((await load(`${MINIMAL}${PG_SECTION}`)).config.databaseTarget).toBe('postgresql');
    expect((await load(MINIMAL)).config.databaseTarget).toBe('embedded');
  });

  it('makes environment in [application] take effect (the original ignored it, B19)', async () => {
    const toml = `[application]\nenvironment = "production"\n${MINIMAL}tls_verify = false\n`;
    const message = await loadError(toml);
    expect(message).toContain('openehr.tls_verify = false');
    expect(message).toContain(
      'TLS verification cannot be disabled when environment = "production"; allowed: true',
    );
  });

  it.each([
    ['https://cdr.example.org/ehrbase', 'https://cdr.example.org/ehrbase/rest/openehr/v1'],
    ['https://cdr.example.org/ehrbase/', 'https://cdr.example.org/ehrbase/rest/openehr/v1'],
    ['https://cdr.example.org/ehrbase/rest/openehr/v1', 'https://cdr.example.org/ehrbase/rest/openehr/v1'],
    ['https://cdr.example.org/ehrbase/rest/openehr/v1/', 'https://cdr.example.org/ehrbase/rest/openehr/v1'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/rest/openehr/v1'],
  ])('normalises base_url %s', async (given, expected) => {
    expect(normaliseBaseUrl(given)).toBe(expected);
    const { config } = await load(`[openehr]\nbase_url = "${given}"\n`);
    expect(config.openehr.baseUrl).toBe(expected);
  });

  it('accepts vendor or vendor_type (case-insensitive), and both when they agree', async () => {
    const base = '[openehr]\nbase_url = "http://127.0.0.1:8080"\n';
    expect((await load(`${base}vendor = "Better"\n`)).config.openehr.vendor).toBe('better');
    expect((await load(`${base}vendor_type = "better"\n`)).config.openehr.vendor).toBe('better');
    expect((await load(`${base}vendor = "better"\nvendor_type = "BETTER"\n`)).config.openehr.vendor).toBe(
      'better',
    );
    const message = await loadError(`${base}vendor = "ehrbase"\nvendor_type = "better"\n`);
    expect(message).toContain('openehr.vendor = "ehrbase"');
    expect(message).toContain('openehr.vendor_type = "better"');
  });

  it('lets a variable override vendor_type from the file', async () => {
    const toml = '[openehr]\nbase_url = "http://127.0.0.1:8080"\nvendor_type = "ehrbase"\n';
    const { config } = await load(toml, { env: { ATLAS_OPENEHR_VENDOR: 'better' } });
    expect(config.openehr.vendor).toBe('better');
  });

  it('treats "key = null" (not TOML, but in every shipped example) as unset, with a warning', async () => {
    const { config, warnings } = await load(`${MINIMAL}[openehr.query]\ntime_range_end = null\n`);
    expect(config.openehr.query.timeRangeEnd).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/atlas\.toml:4: "time_range_end = null" is not TOML/);
  });

  it('accepts the original’s spellings preserved/flattened and hipaa', async () => {
    const toml = `${MINIMAL}[export]\nexport_composition_format = "flattened"\n[anonymization]\nmode = "hipaa"\n`;
    const { config } = await load(toml);
    expect(config.export.compositionFormat).toBe('flatten');
    expect(config.anonymization.mode).toBe('hipaa_safe_harbor');
  });

  it('accepts a quoted number or boolean (a "${VAR}" placeholder in quotes)', async () => {
    const toml = `${MINIMAL}[openehr.query]\nbatch_size = "\${SIZE}"\n[export]\ndry_run = "\${DRY}"\n`;
    const { config } = await load(toml, { env: { SIZE: '300', DRY: 'true' } });
    expect(config.openehr.query.batchSize).toBe(300);
    expect(config.export.dryRun).toBe(true);
  });

  it('accepts an unquoted TOML date-time or date for the time range', async () => {
    const toml = `${MINIMAL}[openehr.query]\ntime_range_start = 2024-01-01T00:00:00Z\ntime_range_end = 2024-02-01\n`;
    const { config } = await load(toml);
    expect(config.openehr.query.timeRangeStart).toBe('2024-01-01T00:00:00.000Z');
    expect(config.openehr.query.timeRangeEnd).toBe('2024-02-01T00:00:00Z');
  });

  it('accepts application.dry_run as export.dry_run', async () => {
    expect((await load(`[application]\ndry_run = true\n${MINIMAL}`)).config.export.dryRun).toBe(true);
  });
});
