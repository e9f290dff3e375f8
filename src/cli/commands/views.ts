import { type Command, Option } from 'commander';
import { dropTemplateViews, exportViews, generateTemplateViews, listTemplateViews } from '../../app/views.js';
import type { AppContext } from '../../context.js';
import { formatDrop, formatGenerate, formatList } from '../../views/report-text.js';
import { DATABASE_ONLY, withCliContext } from '../cli-context.js';
import { collectList } from '../options.js';
import { chooseProgress } from '../progress/index.js';
import { action } from '../run.js';
import type { CommandModule } from './index.js';

interface GenerateFlags {
  templateId?: string[];
  materialized?: boolean;
  dryRun?: boolean;
  pruneRemoved?: boolean;
  cascade?: boolean;
  json?: boolean;
}

/** `atlas views generate|list|drop`: typed SQL views per template (docs/views.md). */
export const viewsCommand: CommandModule = {
  register(program: Command) {
    const views = program
      .command('views')
      .description('typed SQL views per template, generated from the web template');
    views
      .command('generate')
      .description(
        'create or update the views of exported templates (skipped when the web template is unchanged)',
      )
      .option(
        '--template-id <id>',
        'template id; repeatable or comma-separated (default: every exported template)',
        collectList,
      )
      .option('--materialized', 'materialized views (default: [views] materialized)')
      .option('--dry-run', 'print the SQL; write nothing')
      .option('--prune-removed', 'drop columns and views of data points removed from the template')
      .option('--cascade', 'also drop objects that depend on a view that must be recreated')
      .option('--json', 'print the outcome as JSON')
      .action(
        action((opts: GenerateFlags, cmd: Command) =>
          withCliContext(cmd, {}, (ctx) => runGenerate(ctx, opts)),
        ),
      );
    views
      .command('export')
      .description(
        'write the generated views to files (Parquet, CSV or a DuckDB database) with a manifest.json',
      )
      .addOption(
        new Option('--format <format>', 'file format')
          .choices(['parquet', 'csv', 'duckdb'])
          .makeOptionMandatory(),
      )
      .requiredOption('--out <dir>', 'folder for the files and manifest.json (created if missing)')
      .option(
        '--template-id <id>',
        'template id; repeatable or comma-separated (default: every template with views)',
        collectList,
      )
      .option(
        '--since <time>',
        'only rows of compositions committed after this ISO 8601 instant (UTC if no offset)',
      )
      .action(
        action(
          (
            opts: {
              format: 'parquet' | 'csv' | 'duckdb';
              out: string;
              templateId?: string[];
              since?: string;
            },
            cmd: Command,
          ) =>
            withCliContext(
              cmd,
              {},
              async (ctx) => {
                const progress = chooseProgress(ctx.logger, { stderrIsTty: process.stderr.isTTY === true });
                let manifest: Awaited<ReturnType<typeof exportViews>>;
                try {
                  const templateIds = splitIds(opts.templateId);
                  manifest = await exportViews(ctx, {
                    format: opts.format,
                    outDir: opts.out,
                    ...(templateIds ? { templateIds } : {}),
                    ...(opts.since !== undefined ? { since: opts.since } : {}),
                    progress,
                  });
                } finally {
                  progress.stop();
                }
                const rows = manifest.views.reduce((n, v) => n + v.rowCount, 0);
                process.stdout.write(
                  `exported ${manifest.views.length} view(s), ${rows} row(s) as ${opts.format} into ${opts.out} (manifest.json)\n`,
                );
                return 0;
              },
              DATABASE_ONLY,
            ),
        ),
      );
    views
      .command('list')
      .description('list the generated views')
      .option('--json', 'print as JSON')
      .action(
        action((opts: { json?: boolean }, cmd: Command) =>
          withCliContext(
            cmd,
            {},
            async (ctx) => {
              const listed = await listTemplateViews(ctx);
              process.stdout.write(opts.json ? `${JSON.stringify(listed, null, 2)}\n` : formatList(listed));
              return 0;
            },
            DATABASE_ONLY,
          ),
        ),
      );
    views
      .command('drop')
      .description('drop generated views (all, or those of some templates)')
      .option('--template-id <id>', 'template id; repeatable or comma-separated', collectList)
      .option('--cascade', 'also drop objects that depend on the views')
      .option('--dry-run', 'print the SQL; write nothing')
      .action(
        action((opts: { templateId?: string[]; cascade?: boolean; dryRun?: boolean }, cmd: Command) =>
          withCliContext(
            cmd,
            {},
            async (ctx) => {
              const dryRun = opts.dryRun === true;
              const result = await dropTemplateViews(ctx, {
                templateIds: splitIds(opts.templateId),
                cascade: opts.cascade === true,
                dryRun,
              });
              process.stdout.write(dryRun ? result.sql : formatDrop(result, dryRun));
              return 0;
            },
            DATABASE_ONLY,
          ),
        ),
      );
  },
};

async function runGenerate(ctx: AppContext, opts: GenerateFlags): Promise<number> {
  const dryRun = opts.dryRun === true;
  const outcomes = await generateTemplateViews(ctx, {
    templateIds: splitIds(opts.templateId),
    materialized: opts.materialized === true || ctx.config.views.materialized,
    dryRun,
    pruneRemoved: opts.pruneRemoved === true,
    cascade: opts.cascade === true,
  });
  if (opts.json) process.stdout.write(`${JSON.stringify(outcomes, null, 2)}\n`);
  else if (dryRun) {
    for (const o of outcomes) if (o.status !== 'failed' && o.sql) process.stdout.write(`${o.sql}\n`);
    process.stderr.write(formatGenerate(outcomes));
  } else process.stdout.write(formatGenerate(outcomes));
  return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
}

/** `--template-id a --template-id b,c` → [a, b, c] (as `atlas export` reads it). */
function splitIds(values: string[] | undefined): string[] | undefined {
  const ids = (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return ids.length > 0 ? ids : undefined;
}
