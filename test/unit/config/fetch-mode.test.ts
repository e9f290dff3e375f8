import { describe, expect, it } from 'vitest';
import { load, loadError, MINIMAL } from './helpers.js';

/** Issue 22: `[openehr.query] fetch`, `ATLAS_OPENEHR_QUERY_FETCH` and `--fetch`, and flat_check_interval. */
describe('openehr.query.fetch', () => {
  it('defaults to composition, with a check interval of 1000', async () => {
    const { config } = await load(MINIMAL);
    expect(config.openehr.query.fetch).toBe('composition');
    expect(config.openehr.query.flatCheckInterval).toBe(1000);
  });

  it('file < ATLAS_OPENEHR_QUERY_FETCH < --fetch', async () => {
    const toml = `${MINIMAL}[openehr.query]\nfetch = "aql"\nflat_check_interval = 50\n`;
    expect((await load(toml)).config.openehr.query).toMatchObject({ fetch: 'aql', flatCheckInterval: 50 });
    const env = { ATLAS_OPENEHR_QUERY_FETCH: 'composition' };
    expect((await load(toml, { env })).config.openehr.query.fetch).toBe('composition');
    expect((await load(toml, { env, flags: { fetch: 'aql' } })).config.openehr.query.fetch).toBe('aql');
  });

  it('rejects another value with the allowed ones', async () => {
    const message = await loadError(MINIMAL, { flags: { fetch: 'rest' } });
    expect(message).toContain('openehr.query.fetch');
    expect(message).toContain('"composition" | "aql"');
  });
});
