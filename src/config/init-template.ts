// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the generated files use ${VAR} placeholders
import { CONFIG_KEYS, type ConfigKey, leafOf, SECTIONS, sectionOf } from './keys/index.js';

/**
 * The files `atlas init` writes. Both load as they are: the embedded database and no authentication, so
 * `atlas export` works against the bundled simulator (`atlas-sim`) out of the box. The commented variant is
 * generated from CONFIG_KEYS, so it lists every key with its variable, default and allowed values.
 */

export const SIMULATOR_BASE_URL = 'http://127.0.0.1:8080/ehrbase';
// The templates the simulator serves by default (sim/data/demo), so a first export finds compositions.
export const INIT_TEMPLATE_IDS = ['vital_signs.v1', 'lab_results.v1', 'problem_list.v1'];
// Templates of the real EHRbase fixtures the simulator serves with --data sim/data/shared-fixtures.manifest.json
// (those with compositions), shown commented out.
export const SHARED_FIXTURE_TEMPLATE_IDS = [
  'Corona_Anamnese',
  'AlternativeEvents',
  'ehrbase_multi_occurrence.de.v1',
  'test_all_types.en.v1',
  'nested.en.v1',
];
const PG_EXAMPLE = 'postgresql://atlas_user:${ATLAS_PG_PASSWORD}@localhost:5432/openehr_data';

const tomlList = (ids: string[]) => JSON.stringify(ids).replace(/,/g, ', ');

/** Comment lines after a key in both variants. */
const AFTER: Record<string, string[]> = {
  'openehr.query.template_ids': [
    "# The simulator's demo templates (its default data). With the real EHRbase fixtures instead, in a",
    '# repository checkout with ../shared beside it (`node dist/sim/cli.js --port 8080 --data',
    '# sim/data/shared-fixtures.manifest.json`):',
    `# template_ids = ${tomlList(SHARED_FIXTURE_TEMPLATE_IDS)}`,
  ],
};

/** Keys set (uncommented) in both variants, in TOML syntax. */
const ACTIVE: Record<string, string> = {
  database_target: '"embedded"',
  environment: '"development"',
  'application.log_level': '"info"',
  'openehr.base_url': JSON.stringify(SIMULATOR_BASE_URL),
  'openehr.vendor': '"ehrbase"',
  'openehr.auth_type': '"none"',
  'openehr.query.template_ids': tomlList(INIT_TEMPLATE_IDS),
  'export.mode': '"incremental"',
  'export.export_composition_format': '"preserve"',
  'embedded.path': '"./.atlas/db"',
};

/** Values shown in commented-out lines where the default or the test example would be a poor hint. */
const HINTS: Record<string, string> = {
  'application.log_format': '"json"',
  'openehr.username': '"${ATLAS_OPENEHR_USERNAME}"',
  'openehr.password': '"${ATLAS_OPENEHR_PASSWORD}"',
  'openehr.bearer_token': '"${ATLAS_OPENEHR_BEARER_TOKEN}"',
  'openehr.client_secret': '"${ATLAS_OPENEHR_CLIENT_SECRET}"',
  'openehr.tls_ca_cert': '"/etc/ssl/certs/my-ca.pem"',
  'postgresql.connection_string': JSON.stringify(PG_EXAMPLE),
  'postgresql.ssl_root_cert': '"/etc/ssl/certs/db-ca.pem"',
  'anonymization.key': '"${ATLAS_ANONYMIZATION_KEY}"',
};

const HEADER = [
  '# Atlas configuration, written by `atlas init`. Reference: docs/configuration.md',
  '# Every key can also be set with an ATLAS_<SECTION>_<KEY> variable (named below each key), and',
  '# ${NAME} / ${NAME:-default} placeholders are replaced from the environment or a .env file.',
  '# Command-line flags win over variables, variables over this file.',
];

export function minimalConfigToml(): string {
  return `${[
    ...HEADER,
    '',
    '# "embedded" needs no database server; see the [postgresql] example at the end to use PostgreSQL.',
    `database_target = ${ACTIVE.database_target}`,
    `environment = ${ACTIVE.environment}`,
    '',
    '[application]',
    `log_level = ${ACTIVE['application.log_level']}`,
    '',
    '[openehr]',
    '# The bundled simulator (`npx atlas-sim --port 8080`); /rest/openehr/v1 is appended when missing.',
    `base_url = ${ACTIVE['openehr.base_url']}`,
    `vendor = ${ACTIVE['openehr.vendor']}`,
    `auth_type = ${ACTIVE['openehr.auth_type']}`,
    '# A server with basic authentication:',
    '# auth_type = "basic"',
    `# username = ${HINTS['openehr.username']}`,
    `# password = ${HINTS['openehr.password']}`,
    '',
    '[openehr.query]',
    `template_ids = ${ACTIVE['openehr.query.template_ids']}`,
    ...(AFTER['openehr.query.template_ids'] ?? []),
    '',
    '[export]',
    `mode = ${ACTIVE['export.mode']}`,
    `export_composition_format = ${ACTIVE['export.export_composition_format']}`,
    '',
    '[embedded]',
    `path = ${ACTIVE['embedded.path']}`,
    '',
    '# PostgreSQL instead of the embedded database: set database_target = "postgresql" above and',
    '# [postgresql]',
    `# connection_string = ${HINTS['postgresql.connection_string']}`,
  ].join('\n')}\n`;
}

function wrapComment(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/)) {
    if (line.length + word.length + 1 > width && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return lines;
}

function keyBlock(key: ConfigKey): string[] {
  const vars = key.env.join(', ');
  const doc = [
    ...wrapComment(key.description),
    ...wrapComment(`Variable: ${vars}. Default: ${key.defaultText}. Allowed: ${key.type.allowed}.`),
  ];
  const active = ACTIVE[key.key];
  if (active !== undefined) return [...doc, `${leafOf(key.key)} = ${active}`, ...(AFTER[key.key] ?? [])];
  const hint = HINTS[key.key] ?? key.type.toToml((key.default ?? key.example) as never);
  return [...doc, `# ${leafOf(key.key)} = ${hint}`];
}

export function commentedConfigToml(): string {
  const out = [...HEADER];
  for (const section of SECTIONS) {
    const keys = CONFIG_KEYS.filter((k) => sectionOf(k.key) === section);
    out.push('');
    if (section !== '') out.push(`[${section}]`);
    for (const key of keys) out.push(...keyBlock(key), '');
    out.pop();
  }
  return `${out.join('\n')}\n`;
}
