// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the reference documents the ${VAR} syntax
/** The prose of docs/configuration.md; the tables come from CONFIG_KEYS (see doc.ts). */

export const INTRO = `# Configuration reference

<!-- Generated from src/config/keys/*.ts and src/config/doc-text.ts by \`npm run docs:config\`. Do not edit by hand:
     test/unit/config/doc-sync.test.ts fails when this file and the code disagree. -->

Atlas reads the configuration of the original Rust Atlas: the same TOML tables and keys and the same
\`ATLAS_<SECTION>_<KEY>\` variables. Files written for the original load unless they use something Atlas
does not implement (Azure Log Analytics, custom PII pattern files), and then the error says so. Cosmos DB
(\`database_target = "cosmosdb"\` with its \`[cosmosdb]\` table) is supported: see docs/cosmosdb.md.
Every key that loads has an effect.

Start with \`atlas init\` (a minimal file that works with the bundled simulator) or
\`atlas init --with-examples\` (every key, commented, with its variable and default), then check a file with
\`atlas validate-config\` (offline) or \`atlas validate-config --check\` (also connects to the openEHR server
and the database). \`examples/\` holds files for EHRbase + PostgreSQL, Better + PostgreSQL and the embedded
database.`;

export const SOURCES = `## Where settings come from

Later sources win:

1. defaults (the tables below);
2. the TOML file, after \`\${VAR}\` substitution;
3. \`ATLAS_*\` environment variables (a \`.env\` file in the working directory is read first and never
   overrides a variable that is already set);
4. command-line flags.

**The file.** \`-c/--config <file>\` (before or after the subcommand: \`atlas -c x.toml export\` and
\`atlas export -c x.toml\` are the same), else \`ATLAS_CONFIG\`, else \`atlas.toml\` in the working
directory. A file named with \`-c\` or \`ATLAS_CONFIG\` must exist (exit 2). The default \`atlas.toml\` may be
absent: then everything comes from defaults and variables (12-factor style; the original required a file).
Relative paths in the configuration (\`embedded.path\`, \`logging.local_path\`, certificate files, the audit
log) are taken from the working directory.

**\`\${VAR}\` substitution.** \`\${NAME}\` in the file is replaced by the variable's value before parsing;
\`\${NAME:-default}\` uses \`default\` when NAME is unset or empty. Only upper-case names are substituted
(\`\${lower}\` stays as written), comments are left alone, and all missing variables are reported together
(\`Missing required environment variables: A, B\`). Unlike the original, values are inserted safely: inside
double quotes they are escaped, so a password containing \`"\` or \`\\\` stays one string; outside quotes a
number, boolean, date or array is inserted as it is and anything else as a quoted string. A value cannot be
placed in a single-quoted (literal) string if it contains \`'\` or a line break; use double quotes.
A quoted number or boolean (\`batch_size = "\${SIZE}"\`) is accepted.

**Variables.** Every key has one; the tables list them. The original's names are kept, including its two
irregular ones: \`ATLAS_EXPORT_COMPOSITION_FORMAT\` (for \`export.export_composition_format\`) and
\`ATLAS_OPENEHR_VENDOR\`. Unlike the original:

- variables apply whether or not the file has the section (\`ATLAS_POSTGRESQL_CONNECTION_STRING\` alone
  selects PostgreSQL);
- a value that does not parse is an error naming the variable, never silently ignored;
- booleans accept \`true/false\`, \`1/0\`, \`yes/no\` in any case;
- lists accept a JSON array (\`["a","b"]\`) or a comma-separated list; an empty variable means an empty
  list. For every other key an empty variable counts as unset;
- a variable in Atlas's namespace that Atlas does not know (\`ATLAS_OPENEHR_QUERY_BATCHSIZE\`) is an error
  naming the closest known variable. Variables outside \`ATLAS_<SECTION>_\` (for example
  \`ATLAS_COSMOS_KEY\`, used by the original's examples only as a substitution variable) are ignored.
  The namespace is \`ATLAS_APPLICATION_\`, \`ATLAS_OPENEHR_\`, \`ATLAS_EXPORT_\`, \`ATLAS_POSTGRESQL_\`,
  \`ATLAS_EMBEDDED_\`, \`ATLAS_STATE_\`, \`ATLAS_VERIFICATION_\`, \`ATLAS_LOGGING_\`, \`ATLAS_ANONYMIZATION_\`,
  \`ATLAS_VIEWS_\` and \`ATLAS_COSMOSDB_\`.

\`ATLAS_LOG_LEVEL\` and \`ATLAS_LOG_FORMAT\` are the variables of \`-l/--log-level\` and \`--log-format\`; they
win over \`ATLAS_APPLICATION_LOG_LEVEL\` / \`ATLAS_APPLICATION_LOG_FORMAT\`. Where a key has two variables
otherwise (\`ATLAS_OPENEHR_VENDOR\` / \`ATLAS_OPENEHR_VENDOR_TYPE\`, \`ATLAS_EXPORT_DRY_RUN\` /
\`ATLAS_APPLICATION_DRY_RUN\`) both may be set only to the same value.

**Secrets.** Keep passwords, tokens, client secrets, the anonymization key and database passwords out of
the file: \`password = "\${ATLAS_OPENEHR_PASSWORD}"\`, or no key at all and the variable alone. Atlas never
prints them: error messages and \`atlas validate-config\` show \`***\`, and log fields named like secrets
(password, token, secret, key, authorization, connection string) are masked before they are written. In a connection string,
percent-encode special characters of the password (\`@ : / ?\`).`;

export const VALIDATION = `## Validation

All problems of a configuration are reported together (exit 2), each naming the key (as written, with
where it came from), the value (secrets masked) and what is allowed:

\`\`\`
3 configuration errors (configuration file /etc/atlas/atlas.toml):
  - openehr.query.batchsize (in /etc/atlas/atlas.toml): unknown key; did you mean openehr.query.batch_size?
  - export.mode = "fulll" (in /etc/atlas/atlas.toml): invalid value; allowed: "full" | "incremental"
  - openehr.query.parallel_ehrs = "many" (from ATLAS_OPENEHR_QUERY_PARALLEL_EHRS): invalid value; allowed: an integer from 1 to 100
\`\`\`

Rules that involve several keys:

- \`auth_type = "basic"\` needs \`username\` and \`password\`; \`"bearer"\` needs \`bearer_token\`; \`"openid"\`
  needs \`oidc_token_url\` (https, or http on a loopback host), \`client_id\` and, with
  \`oidc_grant = "password"\`, \`username\` and \`password\`, with \`"client_credentials"\`, \`client_secret\`.
- \`environment = "production"\` refuses \`tls_verify = false\` and \`tls_verify_certificates = false\`.
- \`retry.max_delay_ms\` must be >= \`retry.initial_delay_ms\`; \`time_range_end\` must be after
  \`time_range_start\`.
- \`database_target = "postgresql"\` needs \`postgresql.connection_string\`.
- \`anonymization.enabled = true\` (or \`--anonymize\`) needs \`anonymization.key\` (\`ATLAS_ANONYMIZATION_KEY\`).

A key that is set but has no effect in the rest of the configuration (credentials the chosen \`auth_type\`
does not use, \`[postgresql]\` keys with the embedded target, \`logging.local_*\` with local logging off,
\`views.materialized\` with views off, \`anonymization.dry_run\` with anonymization off) is reported as a
warning. \`openehr.query.template_ids\` may be empty in the file (\`--template-id\` can supply it), but an
export needs at least one template; \`atlas validate-config\` warns when there is none.`;

export const COMPATIBILITY = `## Compatibility with the original Atlas

Forgiving where the original's own examples were wrong and the intent is clear:

- \`database_target\` is read at the top of the file, in \`[export]\` or in \`[application]\` (with a warning
  for the last two); two placements must agree. Without it, Atlas uses PostgreSQL when a connection string
  is set and the embedded database otherwise.
- \`environment\` in \`[application]\` (where the original's examples put it and the original ignored it)
  takes effect, including the production TLS rule.
- \`base_url\` with or without \`/rest/openehr/v1\`, with or without a trailing slash.
- \`vendor\` or \`vendor_type\` (the original selected the server by \`vendor_type\` and only printed \`vendor\`).
- \`key = null\` lines (not TOML, but in every shipped example of the original) are treated as unset, with a
  warning.
- \`export_composition_format = "preserved" | "flattened"\`, \`anonymization.mode = "hipaa"\`, enum values in
  any case.
- TOML dates for the time range (\`time_range_start = 2024-01-01T00:00:00Z\`) as well as strings.

Different on purpose:

- \`openehr.retry.max_retries\` counts retries after the first attempt; the original counted attempts, so
  its \`3\` meant two retries. Only transient failures (network errors, timeouts, 429, 5xx) are retried.
- \`logging.local_enabled\` defaults to \`false\` and \`logging.local_path\` to \`./logs\`: the original defaulted
  to \`true\` and \`/var/log/atlas\` but never wrote a file. When enabled, Atlas writes JSON lines there.
  There is no retention; rotate old files away with logrotate or a cron job.
- Keys the original validated but never used now work: \`application.log_level\`, \`application.dry_run\`,
  \`time_range_start/end\`, \`batch_size\`, \`parallel_ehrs\`, \`export.max_retries\`, \`retry_backoff_ms\`,
  \`shutdown_timeout_secs\`, \`enable_checkpointing\`, \`checkpoint_interval_seconds\`,
  \`connection_timeout_seconds\`, \`[logging]\` local files, \`tls_ca_cert\`, \`vendor\`.
- \`ATLAS_OPENEHR_VENDOR_TYPE\` and all \`ATLAS_ANONYMIZATION_*\` variables work (documented but ignored by
  the original).
- \`--anonymize-dry-run\` and \`anonymization.dry_run\` (with anonymization enabled) write nothing at all; the
  original wrote the un-anonymized data.
- Unknown keys are errors with a suggestion; the original ignored them silently.
- \`-c\` and \`-l\` work before and after the subcommand; an invalid configuration is exit 2 for every
  command (the original's \`export\` exited 5).

New keys: \`application.log_format\`, \`openehr.bearer_token\`, \`client_secret\`, \`oidc_grant\`, the
\`auth_type\` values \`none\` and \`bearer\`, \`export.overlap_seconds\`, \`deletions\`, \`lock\`, \`assume_yes\`,
\`postgresql.ssl_root_cert\`, \`postgresql.schema\`, \`[embedded]\`, \`verification.sample\`,
\`anonymization.key\`, \`pseudonymize_ehr_id\`, \`date_shift\` and \`[views]\`.`;
