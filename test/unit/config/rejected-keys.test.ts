import { describe, expect, it } from 'vitest';
import { load, loadError, MINIMAL } from './helpers.js';

describe('unknown keys', () => {
  it.each([
    ['[openehr.query]\nbatchsize = 500\n', 'openehr.query.batchsize', 'openehr.query.batch_size'],
    ['batch_size = 500\n', 'openehr.batch_size', 'openehr.query.batch_size'],
    ['[export]\nmood = "full"\n', 'export.mood', 'export.mode'],
    ['[openehr.querry]\ntemplate_ids = []\n', 'openehr.querry', 'openehr.query'],
    ['databse_target = "embedded"\n', 'databse_target', 'database_target'],
  ])('%s is an error naming the key and the closest valid key', async (snippet, key, suggestion) => {
    const message = await loadError(`${MINIMAL}${snippet}`);
    expect(message).toContain(`${key} (in `);
    expect(message).toContain('atlas.toml');
    expect(message).toContain(`unknown key; did you mean ${suggestion}?`);
  });

  it('reports every problem of a file together', async () => {
    const message = await loadError(
      `${MINIMAL}[export]\nmood = "full"\nmax_retries = 99\n[state]\nfoo = 1\n`,
    );
    expect(message).toMatch(/^3 configuration errors/);
    expect(message).toContain('export.mood');
    expect(message).toContain('export.max_retries = 99');
    expect(message).toContain('state.foo');
  });
});

describe('keys of the original that Atlas does not implement are refused, not ignored', () => {
  it.each([
    [
      '[logging]\nazure_enabled = true\n',
      'logging.azure_enabled',
      'Azure Log Analytics is not supported by Atlas (TypeScript)',
    ],
    [
      '[logging]\nazure_tenant_id = "t"\n',
      'logging.azure_tenant_id',
      'Azure Log Analytics is not supported by Atlas (TypeScript); remove logging.azure_tenant_id',
    ],
    [
      '[verification]\nchecksum_algorithm = "sha256"\n',
      'verification.checksum_algorithm',
      'checksums are always SHA-256',
    ],
    [
      '[anonymization]\npattern_library = "p.toml"\n',
      'anonymization.pattern_library',
      'not supported: Atlas uses built-in structure-aware detectors',
    ],
    ['[application]\nname = "atlas"\n', 'application.name', 'removed in the original Atlas 2.2.0'],
    ['[application]\nversion = "2.4.0"\n', 'application.version', 'removed in the original Atlas 2.2.0'],
  ])('%s', async (snippet, key, reason) => {
    const message = await loadError(`${MINIMAL}${snippet}`);
    expect(message).toContain(`${key} (in `);
    expect(message).toContain(reason);
  });

  it('database_target = "cosmosdb" needs the [cosmosdb] endpoint, key and database_name', async () => {
    const message = await loadError(`database_target = "cosmosdb"\n${MINIMAL}`);
    for (const key of ['endpoint', 'key', 'database_name'])
      expect(message).toContain(`cosmosdb.${key}: required when database_target = "cosmosdb"`);
  });

  it('refuses cosmosdb.tls_verify = false in production', async () => {
    const message = await loadError(
      `database_target = "cosmosdb"\nenvironment = "production"\n${MINIMAL}[cosmosdb]\nendpoint = "https://a.documents.azure.com"\nkey = "a2V5"\ndatabase_name = "d"\ntls_verify = false\n`,
    );
    expect(message).toContain('TLS verification cannot be disabled when environment = "production"');
  });

  it('accepts azure_enabled = false so files of the original still load', async () => {
    const { warnings } = await load(`${MINIMAL}[logging]\nazure_enabled = false\n`);
    expect(warnings).toEqual([]);
  });
});
