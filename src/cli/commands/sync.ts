import type { Command } from 'commander';
import { SyncLoop } from '../../app/sync.js';
import { claimEmbeddedInstance } from '../../app/sync-instance-lock.js';
import { parseDuration, parseListen } from '../../app/sync-schedule.js';
import { type ConfigFlags, loadConfig } from '../../config/index.js';
import type { AppContext } from '../../context.js';
import { startSyncService } from '../../service/sync-service.js';
import { withCliContext } from '../cli-context.js';
import { collectList } from '../options.js';
import { action, globalOptions } from '../run.js';
import { installShutdown } from '../signals.js';
import type { CommandModule } from './index.js';

interface SyncCliOptions extends Omit<ConfigFlags, 'templateIds' | 'ehrIds' | 'every'> {
  templateId?: string[];
  every?: string;
  once?: boolean;
  reconcile?: boolean;
}

/** `atlas sync`: the long-running incremental export with /healthz, /readyz and /metrics. */
export const syncCommand: CommandModule = {
  register(program: Command) {
    program
      .command('sync')
      .description('keep the database in step with the openEHR server: an incremental export every interval')
      .option('--every <duration>', 'time between cycles, e.g. 30s, 5m, 1h (sync.interval_seconds)')
      .option('--once', 'run a single cycle, then exit')
      .option('--listen <host:port>', 'address of /healthz, /readyz and /metrics (sync.listen)')
      .option('--template-id <ids>', 'template id(s); repeatable or comma-separated', collectList)
      .option('--reconcile', 'every cycle also marks compositions deleted in the source')
      .option('--batch-size <n>', 'compositions per discovery page and write batch (100-5000)')
      .option('--parallel <n>', 'compositions fetched concurrently (1-100)')
      .option('--fetch <mode>', 'composition (one FLAT GET each) | aql (whole compositions in the AQL pages)')
      .option('--overlap-seconds <n>', 'seconds before the cursor re-scanned by each cycle')
      .action(action((opts: SyncCliOptions, cmd: Command) => runSyncCommand(cmd, opts)));
  },
};

async function runSyncCommand(cmd: Command, opts: SyncCliOptions): Promise<number> {
  const { once, reconcile, templateId, every, ...rest } = opts;
  const flags: ConfigFlags = {
    ...rest,
    templateIds: templateId,
    ...(every !== undefined ? { every: parseDuration(every) } : {}),
    yes: true,
  };
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
        shutdown.setTimeoutSeconds(ctx.config.export.shutdownTimeoutSecs);
        const listen = parseListen(ctx.config.sync.listen);
        const releaseInstance = claimEmbeddedInstance(ctx.config);
        try {
          await runService(ctx, cmd, flags, { once: once === true, reconcile: reconcile === true, listen });
        } finally {
          releaseInstance();
        }
        // A stop by SIGTERM/SIGINT is the service's normal end: the batch in flight was committed or rolled back.
        return 0;
      },
      { signal: shutdown.signal },
    );
  } finally {
    shutdown.dispose();
  }
}

async function runService(
  ctx: AppContext,
  cmd: Command,
  flags: ConfigFlags,
  opts: { once: boolean; reconcile: boolean; listen: { host: string; port: number } },
): Promise<void> {
  const global = globalOptions(cmd);
  const reload = async () =>
    (
      await loadConfig({
        configPath: global.config,
        flags: {
          ...flags,
          logLevel: flags.logLevel ?? global.logLevel,
          logFormat: flags.logFormat ?? global.logFormat,
        },
        stderrIsTty: process.stderr.isTTY === true,
      })
    ).config;
  const service = await startSyncService(
    ctx,
    opts.listen,
    (observer, listener) =>
      new SyncLoop(ctx, { once: opts.once, reconcile: opts.reconcile, reload, observer, listener }),
  );
  const onHup = () => service.loop.requestReload();
  process.on('SIGHUP', onHup);
  try {
    process.stderr.write(`atlas sync: endpoints on ${service.url} (/healthz, /readyz, /metrics)\n`);
    await service.loop.run();
  } finally {
    process.off('SIGHUP', onHup);
    await service.close();
  }
}
