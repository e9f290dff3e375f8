/**
 * The parts of Atlas and the arrows allowed between them: the rules behind the module map in
 * docs/architecture.md, checked by imports.test.ts over every `import`/`export … from`/`import()` of src/
 * and sim/.
 *
 * To add a part: one entry here (paths, the parts it may import, what it holds) and its row in the module
 * map. A part whose directory does not exist yet simply has nothing to check. A file belongs to the part
 * with the longest matching path, so a sub-directory can be its own part (src/store/cosmos/ inside store).
 * Every file of src/ and sim/ must belong to a part: a new directory is declared before it is imported.
 */
export interface Part {
  name: string;
  /** Directories (ending in `/`) or single files, relative to the repository root. */
  paths: string[];
  /** Parts whose files this part may import (its own files always). Packages and node: are not checked. */
  mayImport: string[];
  /**
   * The part's public face: when given, other parts may import only these files of it (its insides are
   * free to change). Without it, any file of the part may be imported by those allowed to.
   */
  face?: string[];
  /** One line for the module map. */
  holds: string;
}

/** Imported by (almost) every part: exit-coded errors, leaf utilities. */
const GROUND = ['errors', 'util'];

export const PARTS: Part[] = [
  {
    name: 'errors',
    paths: ['src/errors.ts'],
    mayImport: [],
    holds: 'typed errors carrying their exit code; coerceError',
  },
  {
    name: 'util',
    paths: ['src/util/'],
    mayImport: [],
    holds: 'leaf utilities: package root, slicing, the text/CSV/JSON table of query rows',
  },
  {
    name: 'config',
    paths: ['src/config/'],
    mayImport: GROUND,
    holds: 'loading, validation, redaction and documentation of the configuration; the key-strength rule',
  },
  {
    name: 'context',
    paths: ['src/context.ts', 'src/version.ts'],
    mayImport: ['config', ...GROUND],
    holds: 'AppContext (configuration, logger, abort signal) and the version',
  },
  {
    name: 'transform',
    paths: ['src/transform/'],
    mayImport: GROUND,
    holds: 'preserve/flatten of a FLAT composition, canonical JSON, SHA-256 checksum',
  },
  {
    name: 'template',
    paths: ['src/template/'],
    mayImport: GROUND,
    holds: 'openEHR templates: OPT → web template, FLAT ⇄ canonical codec (a leaf)',
  },
  {
    name: 'privacy',
    paths: ['src/privacy/'],
    mayImport: ['config', 'context', 'transform', ...GROUND],
    face: ['src/privacy/index.ts'],
    holds:
      'anonymisation: pattern and structure rules, keyed tokens and pseudonyms, audit log, dry-run report',
  },
  {
    name: 'source',
    paths: ['src/openehr/'],
    mayImport: ['config', 'context', 'template', ...GROUND],
    face: ['src/openehr/index.ts', 'src/openehr/types.ts'],
    holds: 'the openEHR server: REST client, authentication, AQL discovery, vendors',
  },
  {
    name: 'store',
    paths: ['src/store/'],
    mayImport: ['store-cosmos', 'config', 'context', ...GROUND],
    face: ['src/store/index.ts', 'src/store/types.ts', 'src/store/commit-order.ts'],
    holds: 'the Store seam and its PostgreSQL and embedded (PGlite) implementations, migrations, SQL queries',
  },
  {
    name: 'store-cosmos',
    paths: ['src/store/cosmos/'],
    mayImport: ['store', 'config', 'context', ...GROUND],
    holds: 'a second Store implementation (Azure Cosmos DB), opened by store/index.ts',
  },
  {
    name: 'content',
    paths: ['src/content/'],
    mayImport: ['privacy', 'transform', 'config', 'context', ...GROUND],
    holds: 'the content path shared by export and verify: anonymise, transform, checksum',
  },
  {
    name: 'engine',
    paths: ['src/export/'],
    mayImport: ['source', 'store', 'content', 'transform', 'config', 'context', ...GROUND],
    face: ['src/export/index.ts', 'src/export/types.ts'],
    holds: 'the export engine: discovery, fetch pool, batches, ordered writes, reconcile, summary',
  },
  {
    name: 'views',
    paths: ['src/views/'],
    mayImport: ['source', 'store', 'transform', 'template', 'config', 'context', ...GROUND],
    holds: 'typed SQL views per template from its web template',
  },
  {
    name: 'verify',
    paths: ['src/verify/'],
    mayImport: ['source', 'store', 'content', 'transform', 'config', 'context', ...GROUND],
    holds: 'source-vs-target reconciliation and its report',
  },
  {
    name: 'status',
    paths: ['src/status/'],
    mayImport: ['store', 'config', 'context', ...GROUND],
    holds: '`atlas status`: gathering and rendering the export state',
  },
  {
    name: 'analytics',
    paths: ['src/analytics/'],
    mayImport: ['views', 'store', 'config', 'context', ...GROUND],
    holds: 'Parquet/CSV/DuckDB export of the views',
  },
  {
    name: 'demo',
    paths: ['src/demo/'],
    mayImport: ['store', 'config', 'context', ...GROUND],
    holds:
      "the demo's own pieces: its configuration, database directory, simulator process, sample queries, texts",
  },
  {
    name: 'app',
    paths: ['src/app/'],
    mayImport: [
      'engine',
      'content',
      'source',
      'store',
      'views',
      'verify',
      'status',
      'analytics',
      'template',
      'privacy',
      'transform',
      'demo',
      'config',
      'context',
      ...GROUND,
    ],
    holds: 'the use cases (export, verify, views, migrate, status, demo, sql, checks; sync): one wiring each',
  },
  {
    name: 'service',
    paths: ['src/service/'],
    mayImport: [
      'app',
      'engine',
      'content',
      'source',
      'store',
      'views',
      'verify',
      'status',
      'analytics',
      'template',
      'config',
      'context',
      ...GROUND,
    ],
    holds: 'long-running sync and its HTTP health/metrics endpoints (the app layer, run as a service)',
  },
  {
    name: 'cli',
    paths: ['src/cli/'],
    // Commands call the use cases; from the parts below them they import only types, constants and the
    // renderers of their results (through the faces where a part has one).
    mayImport: [
      'app',
      'service',
      'engine',
      'verify',
      'views',
      'status',
      'store',
      'template',
      'demo',
      'config',
      'context',
      ...GROUND,
    ],
    holds: 'the `atlas` command line: one module per command, logging, progress, signals, contexts',
  },
  {
    name: 'sim',
    paths: ['sim/'],
    // The simulator stands in for an openEHR server: it shares no code with the exporter except the
    // template codec, so it cannot drift along with the client it tests.
    mayImport: ['template'],
    holds: 'the bundled openEHR simulator (EHRbase REST API, AQL, population, faults)',
  },
];
