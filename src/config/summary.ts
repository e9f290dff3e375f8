import { maskConnectionString, redactConfig } from './redact.js';
import type { AtlasConfig } from './types.js';

/** Human-readable summary of a configuration (secrets masked), as `atlas validate-config` prints it. */
export function summarizeConfig(config: AtlasConfig): string[] {
  const c = redactConfig(config);
  const o = c.openehr;
  const q = o.query;
  const database =
    c.databaseTarget === 'postgresql' && c.postgresql
      ? `PostgreSQL ${maskConnectionString(c.postgresql.connectionString)} (schema ${c.postgresql.schema}, ` +
        `pool ${c.postgresql.maxConnections}, ssl_mode ${c.postgresql.sslMode})`
      : c.databaseTarget === 'cosmosdb' && c.cosmosdb
        ? `Cosmos DB ${c.cosmosdb.endpoint} (database ${c.cosmosdb.databaseName}, containers ` +
          `${c.cosmosdb.dataContainerPrefix}_*, control ${c.cosmosdb.controlContainer}, ` +
          `TLS ${c.cosmosdb.tlsVerify ? 'verified' : 'NOT verified'})`
        : `embedded, in ${c.embedded.path}`;
  const tls = !o.baseUrl.startsWith('https:') ? 'no TLS' : o.tlsVerify ? 'TLS verified' : 'TLS NOT verified';
  const auth = o.authType === 'openid' ? `openid (${o.oidcGrant} grant)` : o.authType;
  const range =
    q.timeRangeStart || q.timeRangeEnd
      ? `, committed ${q.timeRangeStart ?? '…'} to ${q.timeRangeEnd ?? '…'}`
      : '';
  const anonymization = c.anonymization.enabled
    ? `${c.anonymization.mode}, ${c.anonymization.strategy}${c.anonymization.dryRun ? ' (dry run)' : ''}`
    : 'off';
  const rows: [string, string][] = [
    ['environment', c.environment],
    ['database', database],
    ['openEHR server', `${o.baseUrl} (${o.vendor}, auth ${auth}, ${tls})`],
    ['templates', q.templateIds.length > 0 ? q.templateIds.join(', ') : '(none)'],
    ['EHRs', `${q.ehrIds.length > 0 ? q.ehrIds.join(', ') : 'all'}${range}`],
    [
      'export',
      `${c.export.mode}, ${c.export.compositionFormat}, batch ${q.batchSize}, ${q.parallelEhrs} parallel` +
        (c.export.dryRun ? ', DRY RUN' : ''),
    ],
    [
      'verification',
      c.verification.enableVerification
        ? `after export${c.verification.sample ? `, sample ${c.verification.sample}` : ''}`
        : 'off',
    ],
    ['anonymization', anonymization],
    [
      'views',
      c.views.enabled ? `${c.views.materialized ? 'materialized ' : ''}in schema ${c.views.schema}` : 'off',
    ],
    [
      'log',
      `${c.application.logLevel}, ${c.application.logFormat}${c.logging.localEnabled ? `, files in ${c.logging.localPath}` : ''}`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
}
