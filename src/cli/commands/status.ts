import type { Command } from 'commander';
import { exportStatus } from '../../app/status.js';
import { ConfigError } from '../../errors.js';
import { renderStatus } from '../../status/render.js';
import { WATERMARK_STATUSES, type WatermarkStatus } from '../../store/index.js';
import { DATABASE_ONLY, withCliContext } from '../cli-context.js';
import { collectList, positiveInt } from '../options.js';
import { action } from '../run.js';
import type { CommandModule } from './index.js';

interface StatusCliOptions {
  templateId?: string[];
  ehrId?: string;
  status?: string;
  limit?: number;
  json?: boolean;
}

/** `atlas status`: per template cursor, counts, last run and failures; per-EHR watermarks with filters. */
export const statusCommand: CommandModule = {
  register(program: Command) {
    program
      .command('status')
      .description('show export state: per-template cursor, counts, last run, failures; per-EHR watermarks')
      .option('--template-id <ids>', 'only these templates; repeatable or comma-separated', collectList)
      .option('--ehr-id <id>', 'only watermarks of this EHR')
      .option('--status <status>', `only watermarks with this status (${WATERMARK_STATUSES.join(', ')})`)
      .option('--limit <n>', 'watermarks shown (default 50)', positiveInt('--limit'))
      .option('--json', 'print the status as JSON on stdout')
      .action(action((opts: StatusCliOptions, cmd: Command) => runStatus(cmd, opts)));
  },
};

async function runStatus(cmd: Command, opts: StatusCliOptions): Promise<number> {
  if (opts.status !== undefined && !WATERMARK_STATUSES.includes(opts.status as WatermarkStatus)) {
    throw new ConfigError(
      `--status must be one of ${WATERMARK_STATUSES.join(', ')}; got ${JSON.stringify(opts.status)}`,
    );
  }
  const templateIds = opts.templateId
    ?.flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return withCliContext(
    cmd,
    {},
    async (ctx) => {
      const report = await exportStatus(ctx, {
        templateIds,
        ehrId: opts.ehrId,
        status: opts.status as WatermarkStatus | undefined,
        limit: opts.limit,
      });
      const filtered = Boolean(templateIds?.length || opts.ehrId || opts.status);
      process.stdout.write(
        opts.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report, filtered),
      );
      return 0;
    },
    DATABASE_ONLY,
  );
}
