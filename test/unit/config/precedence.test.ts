// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about the ${VAR} syntax in TOML text
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { load, loadError, MINIMAL, workdir } from './helpers.js';

describe('precedence: defaults < file < ATLAS_* variables < flags', () => {
  it('uses the defaults when nothing else is given', async () => {
    const { config } = await load(MINIMAL);
    expect(config.export.mode).toBe('incremental');
    expect(config.openehr.query.batchSize).toBe(1000);
    expect(config.openehr.retry).toEqual({
      maxRetries: 3,
      initialDelayMs: 1000,
      maxDelayMs: 30000,
      backoffMultiplier: 2,
    });
    expect(config.databaseTarget).toBe('embedded');
    expect(config.application).toEqual({ logLevel: 'info', logFormat: 'json' });
    expect(config.logging.localEnabled).toBe(false);
  });

  it('lets the file override defaults, variables override the file, and flags override variables', async () => {
    const toml = `${MINIMAL}[openehr.query]\nbatch_size = 200\nparallel_ehrs = 4\n[export]\nmode = "full"\n`;
    const fileOnly = await load(toml);
    expect(fileOnly.config.openehr.query.batchSize).toBe(200);
    expect(fileOnly.config.export.mode).toBe('full');

    const env = { ATLAS_OPENEHR_QUERY_BATCH_SIZE: '300', ATLAS_EXPORT_MODE: 'incremental' };
    const withEnv = await load(toml, { env });
    expect(withEnv.config.openehr.query.batchSize).toBe(300);
    expect(withEnv.config.openehr.query.parallelEhrs).toBe(4);
    expect(withEnv.config.export.mode).toBe('incremental');

    const withFlags = await load(toml, { env, flags: { batchSize: '400', mode: 'full' } });
    expect(withFlags.config.openehr.query.batchSize).toBe(400);
    expect(withFlags.config.export.mode).toBe('full');
  });

  it('applies variables of a section the file does not have (unlike the original)', async () => {
    const { config } = await load(MINIMAL, {
      env: {
        ATLAS_POSTGRESQL_CONNECTION_STRING: 'postgresql://u:p@127.0.0.1:5432/db',
        ATLAS_POSTGRESQL_MAX_CONNECTIONS: '7',
      },
    });
    expect(config.databaseTarget).toBe('postgresql');
    expect(config.postgresql?.maxConnections).toBe(7);
  });

  it('takes -l from the flags over ATLAS_LOG_LEVEL over ATLAS_APPLICATION_LOG_LEVEL over the file', async () => {
    const toml = `[application]\nlog_level = "warn"\n${MINIMAL}`;
    expect((await load(toml)).config.application.logLevel).toBe('warn');
    const env = { ATLAS_APPLICATION_LOG_LEVEL: 'error', ATLAS_LOG_LEVEL: 'debug' };
    expect(
      (await load(toml, { env: { ATLAS_APPLICATION_LOG_LEVEL: 'error' } })).config.application.logLevel,
    ).toBe('error');
    expect((await load(toml, { env })).config.application.logLevel).toBe('debug');
    expect((await load(toml, { env, flags: { logLevel: 'trace' } })).config.application.logLevel).toBe(
      'trace',
    );
  });

  it('merges repeated and comma-separated --template-id values', async () => {
    const { config } = await load(`${MINIMAL}[openehr.query]\ntemplate_ids = ["file.v1"]\n`, {
      flags: { templateIds: ['a.v1,b.v1', ' c.v1 '] },
    });
    expect(config.openehr.query.templateIds).toEqual(['a.v1', 'b.v1', 'c.v1']);
  });

  it('maps the export switches: --dry-run, --yes, --anonymize-dry-run (which also writes nothing)', async () => {
    const env = { ATLAS_ANONYMIZATION_KEY: 'precedence-test-key-0123456789' };
    const { config } = await load(MINIMAL, {
      env,
      flags: { yes: true, anonymizeDryRun: true, anonymizeMode: 'HIPAA' },
    });
    expect(config.export.assumeYes).toBe(true);
    expect(config.anonymization).toMatchObject({ enabled: true, dryRun: true, mode: 'hipaa_safe_harbor' });
    expect(config.export.dryRun).toBe(true);
    expect((await load(MINIMAL, { flags: { dryRun: true } })).config.export.dryRun).toBe(true);
  });

  it('names the flag when a flag value is invalid', async () => {
    const message = await loadError(MINIMAL, { flags: { mode: 'sometimes' } });
    expect(message).toContain('export.mode = "sometimes" (from --mode)');
    expect(message).toContain('allowed: "full" | "incremental"');
  });
});

describe('the configuration file', () => {
  it('loads without a file when the default atlas.toml is absent and the environment has what is needed', async () => {
    const { config, source } = await load(undefined, {
      env: { ATLAS_OPENEHR_BASE_URL: 'http://127.0.0.1:8080' },
    });
    expect(source.file).toBeUndefined();
    expect(config.openehr.baseUrl).toBe('http://127.0.0.1:8080/rest/openehr/v1');
  });

  it('explains a missing default file when the environment is not enough', async () => {
    const message = await loadError(undefined);
    expect(message).toContain('openehr.base_url: required');
    expect(message).toContain('atlas.toml does not exist');
  });

  it('rejects an explicitly named file that does not exist (-c or ATLAS_CONFIG)', async () => {
    expect(await loadError(MINIMAL, { configPath: 'other.toml' })).toMatch(
      /not found: .*other\.toml \(named by -c\/--config\)/,
    );
    expect(await loadError(MINIMAL, { env: { ATLAS_CONFIG: 'gone.toml' } })).toMatch(
      /gone\.toml \(named by ATLAS_CONFIG\)/,
    );
  });

  it('reads the file named by ATLAS_CONFIG, relative to the working directory', async () => {
    const { source, config } = await load(undefined, {
      env: { ATLAS_CONFIG: 'conf.toml' },
      files: { 'conf.toml': `${MINIMAL}[export]\nmode = "full"\n` },
    });
    expect(source.file).toMatch(/conf\.toml$/);
    expect(config.export.mode).toBe('full');
  });
});

describe('.env', () => {
  it('supplies variables for ${VAR} and ATLAS_* without overriding variables already set', async () => {
    const cwd = workdir({
      'atlas.toml': '[openehr]\nbase_url = "${CDR_URL}"\n',
      '.env': 'CDR_URL=http://127.0.0.1:9000\nATLAS_EXPORT_MODE=full\nATLAS_OPENEHR_QUERY_BATCH_SIZE=500\n',
    });
    const env = { ATLAS_OPENEHR_QUERY_BATCH_SIZE: '700' };
    const { config } = await loadConfig({ cwd, env, stderrIsTty: false });
    expect(config.openehr.baseUrl).toBe('http://127.0.0.1:9000/rest/openehr/v1');
    expect(config.export.mode).toBe('full');
    expect(config.openehr.query.batchSize).toBe(700);
    expect(env).toEqual({ ATLAS_OPENEHR_QUERY_BATCH_SIZE: '700' });
  });

  it('can name the configuration file through ATLAS_CONFIG', async () => {
    const cwd = workdir({ '.env': 'ATLAS_CONFIG=cfg/x.toml\n' });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(cwd, 'cfg'));
    writeFileSync(join(cwd, 'cfg', 'x.toml'), MINIMAL);
    const { source } = await loadConfig({ cwd, env: {}, stderrIsTty: false });
    expect(source.file).toBe(join(cwd, 'cfg', 'x.toml'));
  });
});
