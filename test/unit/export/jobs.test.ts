import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/errors.js';
import { exportJobOf, templateJobOf } from '../../../src/export/jobs.js';

async function configWith(env: Record<string, string>) {
  const { config } = await loadConfig({
    cwd: '/nonexistent-atlas-test-dir',
    env: { ATLAS_OPENEHR_BASE_URL: 'http://127.0.0.1:9', ...env },
    flags: {},
    stderrIsTty: false,
  });
  return config;
}

describe('exportJobOf', () => {
  it('refuses a run without templates (exit 2) before anything is opened', async () => {
    const config = await configWith({});
    expect(() => exportJobOf(config, { reconcile: false })).toThrow(ConfigError);
  });

  it('reconciles every full run, and an incremental one only when asked', async () => {
    const full = await configWith({ ATLAS_OPENEHR_QUERY_TEMPLATE_IDS: 'a,b', ATLAS_EXPORT_MODE: 'full' });
    const inc = await configWith({ ATLAS_OPENEHR_QUERY_TEMPLATE_IDS: 'a', ATLAS_EXPORT_MODE: 'incremental' });
    expect(exportJobOf(full, { reconcile: false }).reconcile).toBe(true);
    expect(exportJobOf(inc, { reconcile: false }).reconcile).toBe(false);
    const asked = exportJobOf(inc, { reconcile: true });
    expect(asked.reconcile).toBe(true);
    expect(templateJobOf(asked, 'a', 7)).toMatchObject({
      templateId: 'a',
      runId: 7,
      reconcile: true,
      mode: 'incremental',
    });
  });

  it('carries what the engine needs from the configuration', async () => {
    const config = await configWith({
      ATLAS_OPENEHR_QUERY_TEMPLATE_IDS: 'a,b',
      ATLAS_EXPORT_LOCK: 'fail',
      ATLAS_EXPORT_DELETIONS: 'delete',
      ATLAS_STATE_CHECKPOINT_INTERVAL_SECONDS: '7',
    });
    const job = exportJobOf(config, { reconcile: false });
    expect(job.templateIds).toEqual(['a', 'b']);
    expect(job.lockMode).toBe('fail');
    expect(job.writeRetry).toEqual({
      maxRetries: config.export.maxRetries,
      backoffMs: config.export.retryBackoffMs,
    });
    expect(job.template).toMatchObject({
      deletionPolicy: 'delete',
      checkpointIntervalMs: 7000,
      pseudonymizedEhrIds: false,
    });
  });
});
