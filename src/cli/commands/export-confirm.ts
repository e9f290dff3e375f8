import { createInterface } from 'node:readline/promises';
import { maskConnectionString } from '../../config/index.js';
import type { AppContext } from '../../context.js';

/** Where the rows go, without secrets. */
export function describeTarget(ctx: AppContext): string {
  const { config } = ctx;
  if (config.databaseTarget === 'postgresql' && config.postgresql) {
    return `PostgreSQL ${maskConnectionString(config.postgresql.connectionString)} (schema ${config.postgresql.schema})`;
  }
  return `embedded database ${config.embedded.path}`;
}

/** The confirmation text: mode, templates, EHR filter, target, batch size. */
export function confirmationText(ctx: AppContext): string {
  const { config } = ctx;
  const q = config.openehr.query;
  return [
    'Export configuration:',
    `  Mode: ${config.export.mode}`,
    `  Templates: ${q.templateIds.map((t) => JSON.stringify(t)).join(', ')}`,
    `  EHRs: ${q.ehrIds.length === 0 ? 'all' : q.ehrIds.join(', ')}`,
    `  Target: ${describeTarget(ctx)}`,
    `  Batch size: ${q.batchSize}`,
    '',
    'Proceed with export? [y/N]: ',
  ].join('\n');
}

/**
 * Asks before exporting, only when a person can answer: stdin and stdout are terminals and neither `--yes`
 * nor `export.assume_yes` was given. Everywhere else (cron, containers, CI) it proceeds: nobody could
 * answer there, and a scheduled export that silently cancels itself would never run.
 */
export async function confirmExport(
  ctx: AppContext,
  io: {
    input: NodeJS.ReadableStream & { isTTY?: boolean };
    output: NodeJS.WritableStream & { isTTY?: boolean };
  } = {
    input: process.stdin,
    output: process.stdout,
  },
): Promise<boolean> {
  if (ctx.config.export.assumeYes || io.input.isTTY !== true || io.output.isTTY !== true) return true;
  const rl = createInterface({ input: io.input, output: io.output });
  // Ctrl+C at the prompt reaches readline as input, not as a signal: treat it as "no".
  const cancel = new AbortController();
  rl.on('SIGINT', () => cancel.abort());
  try {
    const answer = await rl.question(confirmationText(ctx), { signal: cancel.signal });
    return /^y(es)?$/i.test(answer.trim());
  } catch (err) {
    if (cancel.signal.aborted) return false;
    throw err;
  } finally {
    rl.close();
  }
}
