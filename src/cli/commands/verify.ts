import type { Command } from 'commander';
import { verifyExport } from '../../app/verify.js';
import type { ConfigFlags } from '../../config/index.js';
import { ExitCode } from '../../errors.js';
import { formatVerifyReport } from '../../verify/report-text.js';
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
export const verifyCommand: CommandModule = {
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
    const report = await verifyExport(ctx, { sample: opts.sample, seed: opts.seed });
    process.stdout.write(
      opts.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatVerifyReport(report),
    );
    return report.consistent ? ExitCode.ok : ExitCode.compositionsFailed;
  });
}
