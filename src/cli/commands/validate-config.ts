import type { Command } from 'commander';
import { checkConnections } from '../../app/check.js';
import { summarizeConfig } from '../../config/summary.js';
import type { AppContext } from '../../context.js';
import { AtlasError, AuthError, ExitCode } from '../../errors.js';
import { type CliRunInfo, withCliContext } from '../cli-context.js';
import { action } from '../run.js';
import type { CommandModule } from './index.js';

type Out = { write(s: string): unknown };

/**
 * `atlas validate-config`: loads and validates the configuration offline and prints a redacted summary
 * (exit 0, or 2 with every problem listed). `--check` also connects: the openEHR server (a one-row AQL
 * query proves reachability and credentials) and the database (exit 3 when credentials are refused, 4 when
 * a server cannot be reached).
 */
export async function runValidateConfig(
  ctx: AppContext,
  info: CliRunInfo,
  opts: { check?: boolean },
  out: Out = process.stdout,
  err: Out = process.stderr,
): Promise<number> {
  out.write(`Configuration: ${info.configFile ?? 'no file (defaults and ATLAS_* variables only)'}\n`);
  out.write('✓ configuration is valid\n');
  for (const line of summarizeConfig(ctx.config)) out.write(`${line}\n`);
  if (ctx.config.openehr.query.templateIds.length === 0) {
    err.write(
      'warning: openehr.query.template_ids is empty; `atlas export` needs at least one template ' +
        '(set it, ATLAS_OPENEHR_QUERY_TEMPLATE_IDS or --template-id)\n',
    );
  }
  if (!opts.check) return ExitCode.ok;

  out.write('\nChecks:\n');
  const results = await checkConnections(ctx);
  for (const r of results) {
    out.write(r.error ? `  ✗ ${r.label}: ${r.error.message}\n` : `  ✓ ${r.label}: ${r.detail}\n`);
  }
  const failures = results.flatMap((r) => (r.error ? [r.error] : []));
  if (failures.length === 0) return ExitCode.ok;
  if (failures.some((e) => e instanceof AuthError)) return ExitCode.auth;
  const typed = failures.find((e): e is AtlasError => e instanceof AtlasError);
  return typed?.exitCode ?? ExitCode.connection;
}

export const validateConfigCommand: CommandModule = {
  register(program: Command) {
    program
      .command('validate-config')
      .description('check the configuration (offline); --check also connects to the servers')
      .option('--check', 'also connect to the openEHR server and the database')
      .action(
        action((opts: { check?: boolean }, cmd: Command) =>
          withCliContext(cmd, {}, (ctx, info) => runValidateConfig(ctx, info, opts)),
        ),
      );
  },
};
