import type { CosmosClient } from '@azure/cosmos';
import type { CosmosConfig } from '../../config/types.js';
import type { AppContext } from '../../context.js';
import { ConfigError, ConnectionError, coerceError } from '../../errors.js';
import type { CommitOrder } from '../commit-order.js';
import type {
  BatchResult,
  BatchWrite,
  FailureRecord,
  MigrateAccess,
  RunSummaryRecord,
  Store,
  StoredVersion,
  TemplateCursor,
  TemplateStatusRow,
  WatermarkRow,
  WatermarkStatus,
} from '../types.js';
import { openCosmosClient, statusOf } from './client.js';
import * as control from './control.js';
import { documentContents, listDocuments, storedDocuments } from './documents.js';
import { controlIds } from './ids.js';
import { CosmosLayout } from './layout.js';
import { TemplateLease } from './lease.js';
import { reportLegacy } from './legacy.js';
import { templateStatus } from './status.js';
import { writeBatch } from './write-batch.js';

/** The endpoint without path or query, for messages (the key is never shown). */
function describeEndpoint(config: CosmosConfig): string {
  try {
    const u = new URL(config.endpoint);
    return `Cosmos DB ${u.origin} (database ${config.databaseName})`;
  } catch {
    return `Cosmos DB (database ${config.databaseName})`;
  }
}

/** SDK failures that mean "cannot reach or use the account" become ConnectionError (exit 4), 401/403 included. */
async function connectionErrors<T>(where: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ConnectionError) throw err;
    const status = statusOf(err);
    const what =
      status === 401 || status === 403
        ? 'the key was refused (check cosmosdb.key / ATLAS_COSMOSDB_KEY)'
        : coerceError(err).message.split('\n')[0];
    throw new ConnectionError(`${where}: ${what}`, { cause: err });
  }
}

/**
 * The Store on Azure Cosmos DB (docs/cosmosdb.md): one data container per template partitioned by the EHR
 * id, bookkeeping in the control container, template leases instead of advisory locks. Not SQL: `query`
 * (atlas sql, views) is refused with a clear error.
 */
export class CosmosStore implements Store {
  readonly kind = 'cosmosdb' as const;
  /** One batch per template in flight: a batch's cursor is written last, after all its documents. */
  readonly writesInFlight = 1;
  readonly #ctx: AppContext;
  readonly #config: CosmosConfig;
  readonly #client: CosmosClient;
  readonly #layout: CosmosLayout;
  readonly #leases = new Map<string, TemplateLease>();
  readonly #runStarted = new Map<number, string>();
  readonly #where: string;

  constructor(ctx: AppContext, config: CosmosConfig) {
    this.#ctx = ctx;
    this.#config = config;
    this.#client = openCosmosClient(config);
    this.#layout = new CosmosLayout(this.#client, config);
    this.#where = describeEndpoint(config);
  }

  get layout(): CosmosLayout {
    return this.#layout;
  }

  get #concurrency(): number {
    return this.#config.maxConcurrency;
  }

  /** Creates the database and control container when missing; read access only checks they can be read. */
  migrate(opts?: MigrateAccess): Promise<void> {
    return connectionErrors(`cannot prepare ${this.#where}`, async () => {
      if ((opts?.access ?? 'write') === 'read') {
        if (!(await this.#layout.exists()))
          this.#ctx.logger.info(
            'the Cosmos DB database has no Atlas control container yet: nothing exported',
          );
        return;
      }
      await this.#layout.ensureBase();
      await reportLegacy(this.#layout, this.#ctx.config.openehr.query.templateIds, this.#ctx.logger);
    });
  }

  initialised(): Promise<boolean> {
    return connectionErrors(`cannot read ${this.#where}`, () => this.#layout.exists());
  }

  async describeServer(): Promise<string> {
    return connectionErrors(`cannot reach ${this.#where}`, async () => {
      const { resource } = await this.#client.getDatabaseAccount();
      const regions = resource?.writableLocations.map((l) => l.name).join(', ');
      return `connected (${this.#where}${regions ? `, write regions ${regions}` : ''})`;
    });
  }

  async startRun(input: { mode: string; templateIds: string[]; dryRun: boolean }): Promise<number> {
    const run = await control.startRun(this.#layout.control, input);
    this.#runStarted.set(run.run_id, run.started_at);
    return run.run_id;
  }

  finishRun(runId: number, summary: RunSummaryRecord): Promise<void> {
    return control.finishRun(this.#layout.control, runId, summary);
  }

  async lockTemplate(
    templateId: string,
    mode: 'wait' | 'fail',
    signal?: AbortSignal,
  ): Promise<() => Promise<void>> {
    const lease = await TemplateLease.acquire(
      { control: this.#layout.control, logger: this.#ctx.logger, where: this.#where },
      templateId,
      mode,
      signal ?? this.#ctx.signal,
    );
    this.#leases.set(templateId, lease);
    return async () => {
      if (this.#leases.get(templateId) === lease) this.#leases.delete(templateId);
      await lease.release();
    };
  }

  getCursor(templateId: string): Promise<TemplateCursor | null> {
    return control.getCursor(this.#layout.control, templateId);
  }

  async getStoredVersions(ids: string[], templateId?: string): Promise<Map<string, StoredVersion>> {
    if (ids.length === 0) return new Map();
    const templates = templateId !== undefined ? [templateId] : await this.#layout.registeredTemplates();
    const out = new Map<string, StoredVersion>();
    for (const t of templates) {
      const data = await this.#layout.dataContainerForRead(t);
      if (!data) continue;
      for (const [id, { etag: _e, version: _v, ...s }] of await storedDocuments(data, ids, this.#concurrency))
        out.set(id, s);
    }
    return out;
  }

  async hasStoredRows(templateId: string): Promise<boolean> {
    const data = await this.#layout.dataContainerForRead(templateId);
    if (!data) return false;
    const { resources } = await data.items
      .query('SELECT TOP 1 c.id FROM c WHERE IS_DEFINED(c.checksum)')
      .fetchAll();
    return resources.length > 0;
  }

  async pendingFailures(templateId: string): Promise<FailureRecord[]> {
    return (await control.failureDocuments(this.#layout.control, templateId)).map(control.toFailureRecord);
  }

  async writeBatch(batch: BatchWrite, order?: CommitOrder): Promise<BatchResult> {
    const lease = this.#leases.get(batch.templateId);
    lease?.assertHeld();
    const data = await this.#layout.dataContainerForWrite(batch.templateId);
    const result = await writeBatch(
      {
        data,
        control: this.#layout.control,
        partitionProperty: this.#config.partitionKey.slice(1),
        concurrency: this.#concurrency,
        runStartedAt: await this.#startedAt(batch.runId),
      },
      batch,
      order,
    );
    return result;
  }

  async #startedAt(runId: number): Promise<string> {
    const known = this.#runStarted.get(runId);
    if (known) return known;
    const run = await control.readDoc<control.RunDocument>(this.#layout.control, controlIds.run(runId));
    const at = run?.started_at ?? new Date().toISOString();
    this.#runStarted.set(runId, at);
    return at;
  }

  async finishTemplate(
    runId: number,
    templateId: string,
    status: Exclude<WatermarkStatus, 'not_started'>,
  ): Promise<void> {
    const docs = await control.watermarkDocuments(this.#layout.control, { templateId, runId });
    await control.updateWatermarks(
      this.#layout.control,
      docs,
      {
        last_export_status: status,
        last_export_completed_at: status === 'in_progress' ? null : new Date().toISOString(),
      },
      this.#concurrency,
    );
  }

  async settleWatermarks(runId: number, templateId: string): Promise<void> {
    const docs = (await control.watermarkDocuments(this.#layout.control, { templateId })).filter((d) =>
      ['interrupted', 'in_progress', 'failed'].includes(d.last_export_status),
    );
    await control.updateWatermarks(
      this.#layout.control,
      docs,
      {
        last_export_status: 'completed',
        last_export_completed_at: new Date().toISOString(),
        last_run_id: runId,
      },
      this.#concurrency,
    );
  }

  lastKeyFingerprint(): Promise<string | undefined> {
    return control.lastKeyFingerprint(this.#layout.control);
  }

  async *listStored(templateId: string, pageSize = 1000): AsyncIterable<StoredVersion[]> {
    const data = await this.#layout.dataContainerForRead(templateId);
    if (data) yield* listDocuments(data, pageSize);
  }

  async getContents(
    ids: string[],
    templateId?: string,
  ): Promise<Map<string, { contentJson: string; checksum: string | null }>> {
    const templates = templateId !== undefined ? [templateId] : await this.#layout.registeredTemplates();
    const out = new Map<string, { contentJson: string; checksum: string | null }>();
    for (const t of templates) {
      const data = await this.#layout.dataContainerForRead(t);
      if (!data) continue;
      for (const [id, c] of await documentContents(data, ids, this.#concurrency)) out.set(id, c);
    }
    return out;
  }

  templateStatus(templateIds?: string[]): Promise<TemplateStatusRow[]> {
    return templateStatus(this.#layout, templateIds);
  }

  async watermarks(filter?: {
    templateId?: string;
    ehrId?: string;
    status?: WatermarkStatus;
    limit?: number;
  }): Promise<WatermarkRow[]> {
    const docs = await control.watermarkDocuments(this.#layout.control, filter);
    return docs.slice(0, filter?.limit ?? docs.length).map(control.toWatermarkRow);
  }

  async failures(
    templateId?: string,
  ): Promise<Array<FailureRecord & { attempts: number; lastFailedAt: string }>> {
    return (await control.failureDocuments(this.#layout.control, templateId)).map((d) => ({
      ...control.toFailureRecord(d),
      attempts: d.attempts,
      lastFailedAt: d.last_failed_at,
    }));
  }

  async query<R = Record<string, unknown>>(): Promise<{ rows: R[]; fields: string[] }> {
    throw notSql();
  }

  async readSnapshot<T>(): Promise<T> {
    throw notSql();
  }

  async close(): Promise<void> {
    for (const lease of this.#leases.values()) await lease.release();
    this.#leases.clear();
    this.#client.dispose();
  }
}

/** Commands that need SQL (atlas sql, views, views export) have nothing to work on in a document store. */
function notSql(): ConfigError {
  return new ConfigError(
    'this command needs a SQL database; database_target = "cosmosdb" stores documents: query them with the ' +
      'Azure portal’s Data Explorer or the Cosmos DB SDK (docs/cosmosdb.md)',
  );
}

export async function openCosmosStore(ctx: AppContext, config: CosmosConfig): Promise<CosmosStore> {
  return new CosmosStore(ctx, config);
}
