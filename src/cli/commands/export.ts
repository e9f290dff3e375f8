import type { Command } from 'commander';
import { exportCompositions, planExport } from '../../app/export.js';
import type { ConfigFlags } from '../../config/index.js';
import { coerceError } from '../../errors.js';
import { type ExportSummary, exitCodeOf, formatSummary } from '../../export/index.js';
import { withCliContext } from '../cli-context.js';
import { collectList } from '../options.js';
import { chooseProgress } from '../progress/index.js';
import { logLineProgress } from '../progress/log-lines.js';
import { action } from '../run.js';
import { installShutdown } from '../signals.js';
import { confirmExport } from './export-confirm.js';
import type { CommandModule } from './index.js';

interface ExportOptions extends Omit<ConfigFlags, 'templateIds' | 'ehrIds'> {
  templateId?: string[];
  ehrId?: string[];
  reconcile?: boolean;
  json?: boolean;
}

/** `atlas export`: full or incremental export into PostgreSQL, crash-safe per batch. */
export const exportCommand: CommandModule = {
  register(program: Command) {
    program
      .command('export')
      .description('export compositions from the openEHR server into the database')
      .option('--mode <mode>', 'full | incremental (the first incremental run exports everything)')
      .option('--template-id <ids>', 'template id(s); repeatable or comma-separated', collectList)
      .option('--ehr-id <ids>', 'restrict to these EHR ids; repeatable or comma-separated', collectList)
      .option('--since <time>', 'only changes committed at or after this ISO-8601 time')
      .option('--until <time>', 'only changes committed before this ISO-8601 time')
      .option('--dry-run', 'read and transform everything, write nothing; report what would be written')
      .option('-y, --yes', 'do not ask for confirmation (never asked when stdin is not a terminal)')
      .option('--reconcile', 'incremental run that also marks compositions deleted in the source')
      .option('--json', 'print the summary as JSON on stdout')
      .option('--lock <mode>', 'wait | fail when another exporter holds a template')
      .option('--format <format>', 'preserve | flatten')
      .option('--batch-size <n>', 'compositions per discovery page and write batch (100-5000)')
      .option('--parallel <n>', 'compositions fetched concurrently (1-100)')
      .option('--fetch <mode>', 'composition (one FLAT GET each) | aql (whole compositions in the AQL pages)')
      .option('--overlap-seconds <n>', 'seconds before the cursor re-scanned by incremental runs')
      .option('--deletions <policy>', 'mark | delete rows of compositions gone from the source')
      .option('--anonymize', 'anonymise content before storing it')
      .option('--anonymize-mode <mode>', 'gdpr | hipaa_safe_harbor')
      .option('--anonymize-dry-run', 'report what anonymisation would change; writes nothing')
      .option('--verify', 'verify source against target after the export')
      .option('--verify-sample <n>', 'verify the content of a random sample of N compositions per template')
      .option('--views', 'regenerate the per-template SQL views after the export')
      .action(action((opts: ExportOptions, cmd: Command) => runExportCommand(cmd, opts)));
  },
};

async function runExportCommand(cmd: Command, opts: ExportOptions): Promise<number> {
  const { reconcile, json, templateId, ehrId, ...rest } = opts;
  const flags: ConfigFlags = { ...rest, templateIds: templateId, ehrIds: ehrId };
  const shutdown = installShutdown({
    timeoutSeconds: 30,
    write: (text) => process.stderr.write(text),
    exit: (code) => process.exit(code),
  });
  try {
    return await withCliContext(
      cmd,
      flags,
      async (ctx) => {
        // Nothing to export is a usage error (exit 2), reported before any prompt, request or connection.
        const job = planExport(ctx, { reconcile: reconcile === true });
        shutdown.setTimeoutSeconds(ctx.config.export.shutdownTimeoutSecs);
        if (!ctx.config.export.dryRun && !(await confirmExport(ctx))) {
          process.stdout.write('Export cancelled.\n');
          return 0;
        }
        const progress =
          json === true
            ? logLineProgress(ctx.logger)
            : chooseProgress(ctx.logger, { stderrIsTty: process.stderr.isTTY === true });
        let summary: ExportSummary;
        try {
          summary = await exportCompositions(ctx, job, { progress });
        } catch (err) {
          const interrupted = shutdown.exitCode();
          if (interrupted === undefined) throw err;
          process.stderr.write(`Export interrupted: ${coerceError(err).message}\n`);
          return interrupted;
        }
        const code = exitCodeOf(summary, shutdown.exitCode() ?? 130);
        if (json === true) {
          process.stdout.write(`${JSON.stringify({ ...summary, exitCode: code }, null, 2)}\n`);
        } else {
          if (summary.anonymizationReport) process.stdout.write(`\n${summary.anonymizationReport.text}`);
          process.stdout.write(formatSummary(summary));
        }
        return code;
      },
      { signal: shutdown.signal },
    );
  } finally {
    shutdown.dispose();
  }
}
