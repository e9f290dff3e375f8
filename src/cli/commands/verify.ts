import type { Command } from 'commander';
import type { ConfigFlags } from '../../config/index.js';
import { ExitCode } from '../../errors.js';
import { DEFAULT_VERIFY_SEED } from '../../export/post-export.js';
import { openPrivacy } from '../../export/privacy-wiring.js';
import { createOpenEhrClient } from '../../openehr/index.js';
import { openStore } from '../../store/index.js';
import { formatVerifyReport } from '../../verify/report-text.js';
import { verify } from '../../verify/verify.js';
import { withCliContext } from '../cli-context.js';
import { collectList, positiveInt } from '../options.js';
import { action } from '../run.js';
import type { CommandModule } from './index.js';

interface VerifyCliOptions {
  templateId?: string[];
  sample?: number;
  seed?: number;
  json?: boolean;
}

/** `atlas verify`: reconcile the source with the target; exit 0 only when they are consistent. */
export const verifyModule: CommandModule = {
  register(program: Command) {
    program
      .command('verify')
      .description(
        'compare the openEHR server with the database: counts, missing/extra/stale versions, content checksums',
      )
      .option('--template-id <ids>', 'template id(s) to verify (default: the configured ones)', collectList)
      .option(
        '--sample <n>',
        'compare the content of a random sample of N compositions per template',
        positiveInt('--sample'),
      )
      .option('--seed <n>', 'seed of the sample (same seed, same sample)', positiveInt('--seed'))
      .option('--json', 'print the report as JSON on stdout')
      .action(action((opts: VerifyCliOptions, cmd: Command) => runVerify(cmd, opts)));
  },
};

async function runVerify(cmd: Command, opts: VerifyCliOptions): Promise<number> {
  const flags: ConfigFlags = { templateIds: opts.templateId };
  return withCliContext(cmd, flags, async (ctx) => {
    const privacy = await openPrivacy(ctx, { forVerify: true });
    const client = createOpenEhrClient(ctx);
    try {
      // Verify only reads the database: 'read' access lets a SELECT-only role run it.
      const store = await openStore(ctx, { access: 'read' });
      try {
        const q = ctx.config.openehr.query;
        const report = await verify(
          { client, store, content: privacy.content, logger: ctx.logger, signal: ctx.signal },
          {
            templateIds: q.templateIds,
            sample: opts.sample ?? ctx.config.verification.sample,
            seed: opts.seed ?? DEFAULT_VERIFY_SEED,
            pageSize: q.batchSize,
            concurrency: q.parallelEhrs,
          },
        );
        process.stdout.write(
          opts.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatVerifyReport(report),
        );
        return report.consistent ? ExitCode.ok : ExitCode.compositionsFailed;
      } finally {
        await store.close();
      }
    } finally {
      await client.close();
      await privacy.close();
    }
  });
}
