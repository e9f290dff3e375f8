import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';

// Issue 16, item 7: `migrate` never calls the openEHR server, so it must not require openehr.base_url.
describe('a configuration without openehr.base_url', () => {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-nobase-'));
  const file = join(dir, 'atlas.toml');
  writeFileSync(
    file,
    'database_target = "postgresql"\n[postgresql]\nconnection_string = "postgresql://atlas@127.0.0.1:5432/atlas"\n',
  );
  const load = (needsOpenEhr?: boolean) =>
    loadConfig({
      configPath: file,
      env: {},
      cwd: dir,
      stderrIsTty: false,
      ...(needsOpenEhr === undefined ? {} : { needsOpenEhr }),
    });

  it('loads for a command that never calls the server (migrate)', async () => {
    const { config } = await load(false);
    expect(config.postgresql?.connectionString).toContain('127.0.0.1');
  });
  it('is still refused, naming the key, for the commands that do', async () => {
    await expect(load()).rejects.toThrow(/openehr\.base_url: required/);
  });
});
