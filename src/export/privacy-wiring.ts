import type { AppContext } from '../context.js';
import { ConfigError } from '../errors.js';
import { contentPreparer } from './content.js';
import type { ContentPreparer } from './process-record.js';

export interface PrivacyWiring {
  content: ContentPreparer;
  /** The anonymisation dry-run report, when anonymization.dry_run. */
  report?: () => unknown;
  close(): Promise<void>;
}

/** The content path for this run: anonymiser (when enabled), audit log, dry-run report. */
export async function openPrivacy(ctx: AppContext, _opts: { forVerify: boolean }): Promise<PrivacyWiring> {
  const { config } = ctx;
  if (config.anonymization.enabled) {
    throw new ConfigError('anonymization is not available in this build yet');
  }
  return {
    content: contentPreparer({ format: config.export.compositionFormat, pseudonymizeEhrId: false }),
    async close() {},
  };
}
