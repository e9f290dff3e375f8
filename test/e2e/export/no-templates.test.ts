import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, writeConfig } from './cli.js';

/**
 * An export with no template ids has nothing to do: it is a usage error (exit 2) naming every place the ids
 * can come from, reported before the openEHR server or the database is touched. The server address is a
 * closed port and the embedded database directory must not appear: either would show the check came late.
 */
const { dir, file } = writeConfig(`database_target = "embedded"

[openehr]
base_url = "http://127.0.0.1:1/ehrbase/rest/openehr/v1"
auth_type = "none"

[openehr.retry]
max_retries = 0

[openehr.query]
template_ids = []

[embedded]
path = "db"
`);
const embeddedDir = join(dir, 'db');

beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('atlas export without template ids', () => {
  it.each([[[]], [['--dry-run']]])('exits 2 before any connection (extra args %j)', async (extra) => {
    const r = await runCli(['export', '--yes', ...extra, '-c', file], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    for (const name of ['openehr.query.template_ids', 'ATLAS_OPENEHR_QUERY_TEMPLATE_IDS', '--template-id'])
      expect(r.stderr).toContain(name);
    expect(existsSync(embeddedDir)).toBe(false);
  });

  it('an id from ATLAS_OPENEHR_QUERY_TEMPLATE_IDS passes the check (and then meets the closed port)', async () => {
    const r = await runCli(['export', '--yes', '-c', file], {
      cwd: dir,
      env: { ATLAS_OPENEHR_QUERY_TEMPLATE_IDS: 'vital_signs.v1' },
    });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).not.toContain('ATLAS_OPENEHR_QUERY_TEMPLATE_IDS');
  });
});
