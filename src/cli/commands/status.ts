import type { Command } from 'commander';
import { ConfigError } from '../../errors.js';
import { gatherStatus } from '../../status/gather.js';
import { renderStatus } from '../../status/render.js';
import { openStore } from '../../store/index.js';
import type { WatermarkStatus } from '../../store/types.js';
import { withCliContext } from '../cli-context.js';
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

const STATUSES: readonly WatermarkStatus[] = [
  'in_progress',
  'completed',
  'failed',
  'interrupted',
  'not_started',
];

/** `atlas status`: per template cursor, counts, last run and failures; per-EHR watermarks with filters. */
export const statusModule: CommandModule = {
  register(program: Command) {
    program
      .command('status')
      .description('show export state: per-template cursor, counts, last run, failures; per-EHR watermarks')
      .option('--template-id <ids>', 'only these templates; repeatable or comma-separated', collectList)
      .option('--ehr-id <id>', 'only watermarks of this EHR')
      .option('--status <status>', `only watermarks with this status (${STATUSES.join(', ')})`)
      .option('--limit <n>', 'watermarks shown (default 50)', positiveInt('--limit'))
      .option('--json', 'print the status as JSON on stdout')
      .action(action((opts: StatusCliOptions, cmd: Command) => runStatus(cmd, opts)));
  },
};

async function runStatus(cmd: Command, opts: StatusCliOptions): Promise<number> {
  if (opts.status !== undefined && !STATUSES.includes(opts.status as WatermarkStatus)) {
    throw new ConfigError(
      `--status must be one of ${STATUSES.join(', ')}; got ${JSON.stringify(opts.status)}`,
    );
  }
  const templateIds = opts.templateId
    ?.flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return withCliContext(cmd, {}, async (ctx) => {
    // Unlike the original, status brings the schema up to date first (it failed on a fresh database).
    // It only reads afterwards: 'read' access lets a SELECT-only reporting role run it.
    const store = await openStore(ctx, { access: 'read' });
    try {
      const report = await gatherStatus(store, {
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
    } finally {
      await store.close();
    }
  });
}
