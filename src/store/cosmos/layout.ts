import type { Container, CosmosClient, Database, IndexingPolicy } from '@azure/cosmos';
import { containerNameFor } from '../../config/cosmos-container-names.js';
import type { CosmosConfig } from '../../config/types.js';
import { ConfigError, SchemaError } from '../../errors.js';
import { isNotFound } from './client.js';
import { controlIds } from './ids.js';

/**
 * The content is read back whole (verify, `atlas sql`-like tools), never filtered on by Atlas: excluding it
 * from the index cuts the RU cost of every write by roughly the size of the FLAT document (docs/cosmosdb.md).
 */
export const DATA_INDEXING_POLICY: IndexingPolicy = {
  indexingMode: 'consistent',
  automatic: true,
  includedPaths: [{ path: '/*' }],
  excludedPaths: [{ path: '/content/*' }, { path: '/"_etag"/?' }],
};

/** What the registry document of a data container records (control container, `container::{name}`). */
interface ContainerRegistration {
  id: string;
  type: 'container';
  container: string;
  template_id: string;
}

/**
 * Database, control container and one data container per template, created when missing (the original
 * treated any read error as "missing"; here only a 404 does). A template's container is registered in the
 * control container under its name: a second template that sanitises to the same name is refused even
 * across runs (the configuration check only sees the templates of one run).
 */
export class CosmosLayout {
  readonly #client: CosmosClient;
  readonly #config: CosmosConfig;
  readonly #known = new Map<string, Container>();
  #database?: Database;
  #control?: Container;

  constructor(client: CosmosClient, config: CosmosConfig) {
    this.#client = client;
    this.#config = config;
  }

  get partitionKeyPath(): string {
    return this.#config.partitionKey;
  }

  containerName(templateId: string): string {
    return containerNameFor(this.#config.dataContainerPrefix, templateId);
  }

  /** Creates the database and the control container when missing (write access only). */
  async ensureBase(): Promise<void> {
    const { database } = await this.#client.databases.createIfNotExists({ id: this.#config.databaseName });
    this.#database = database;
    const { container } = await database.containers.createIfNotExists({
      id: this.#config.controlContainer,
      partitionKey: { paths: ['/id'] },
    });
    await this.#checkPartitionKey(container, '/id');
    this.#control = container;
  }

  /** Whether the database and the control container exist (read-only commands never create them). */
  async exists(): Promise<boolean> {
    try {
      await this.#client.database(this.#config.databaseName).container(this.#config.controlContainer).read();
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  get database(): Database {
    return this.#database ?? this.#client.database(this.#config.databaseName);
  }

  get control(): Container {
    return this.#control ?? this.database.container(this.#config.controlContainer);
  }

  /** The template's data container for writing: created and registered when missing. */
  async dataContainerForWrite(templateId: string): Promise<Container> {
    const name = this.containerName(templateId);
    const cached = this.#known.get(name);
    if (cached) return cached;
    await this.#register(name, templateId);
    const { container } = await this.database.containers.createIfNotExists({
      id: name,
      partitionKey: { paths: [this.#config.partitionKey] },
      indexingPolicy: DATA_INDEXING_POLICY,
    });
    await this.#checkPartitionKey(container, this.#config.partitionKey);
    this.#known.set(name, container);
    return container;
  }

  /** The template's data container for reading, or undefined when it does not exist (nothing stored). */
  async dataContainerForRead(templateId: string): Promise<Container | undefined> {
    const name = this.containerName(templateId);
    const cached = this.#known.get(name);
    if (cached) return cached;
    const container = this.database.container(name);
    try {
      await container.read();
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    this.#known.set(name, container);
    return container;
  }

  /** Every template that has a registered data container. */
  async registeredTemplates(): Promise<string[]> {
    const { resources } = await this.control.items
      .query<{ template_id: string }>("SELECT c.template_id FROM c WHERE c.type = 'container'")
      .fetchAll();
    return resources.map((r) => r.template_id);
  }

  async #register(name: string, templateId: string): Promise<void> {
    const id = controlIds.container(name);
    const doc: ContainerRegistration = { id, type: 'container', container: name, template_id: templateId };
    let existing: ContainerRegistration | undefined;
    try {
      existing = (await this.control.item(id, id).read<ContainerRegistration>()).resource;
      if (!existing) await this.control.items.create(doc);
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
      existing = (await this.control.item(id, id).read<ContainerRegistration>()).resource;
    }
    if (existing && existing.template_id !== templateId) {
      throw new ConfigError(
        `template ${JSON.stringify(templateId)} would be written into container ${JSON.stringify(name)}, ` +
          `which already holds template ${JSON.stringify(existing.template_id)} (template ids are sanitised ` +
          'into container names). Export one of them with another cosmosdb.data_container_prefix.',
      );
    }
  }

  async #checkPartitionKey(container: Container, expected: string): Promise<void> {
    const { resource } = await container.read();
    const paths = resource?.partitionKey?.paths ?? [];
    if (paths.length !== 1 || paths[0] !== expected) {
      throw new SchemaError(
        `Cosmos DB container ${JSON.stringify(container.id)} is partitioned by ${JSON.stringify(paths)}, ` +
          `Atlas needs ${JSON.stringify([expected])}; set cosmosdb.partition_key (data containers) to match, ` +
          'or use another container name',
      );
    }
  }
}
