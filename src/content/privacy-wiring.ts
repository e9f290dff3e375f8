import type { AppContext } from '../context.js';
import {
  type AuditLog,
  createAnonymizer,
  DryRunReport,
  type Finding,
  openAuditLog,
} from '../privacy/index.js';
import { type ContentPreparer, contentPreparer } from './preparer.js';

export interface PrivacyWiring {
  content: ContentPreparer;
  /** The anonymisation dry-run report, when anonymization.dry_run. */
  report?: DryRunReport;
  /** Fingerprint of the anonymisation key (reveals nothing about it), recorded with each run. */
  keyFingerprint?: string;
  /** Throws ConfigError (exit 2) when a previous run used another key: pseudonyms would not match. */
  assertSameKey?: (stored: string) => void;
  /** Called after each committed batch: keeps the audit log in step with the data. */
  afterWrite?: () => Promise<void>;
  close(): Promise<void>;
}

/**
 * The content path of a run: without anonymisation, transform only. With it: the FLAT is anonymised before
 * the transform, findings go to the audit log (export) or the dry-run report (anonymization.dry_run), and
 * ehr ids are pseudonymised when configured. `forVerify`: the same transformation without audit or report,
 * so verify recomputes exactly what the export stored.
 */
export async function openPrivacy(ctx: AppContext, opts: { forVerify: boolean }): Promise<PrivacyWiring> {
  const { config } = ctx;
  const a = config.anonymization;
  const format = config.export.compositionFormat;
  if (!a.enabled) return { content: contentPreparer({ format, pseudonymizeEhrId: false }), async close() {} };
  const anonymizer = createAnonymizer(a);
  const report = !opts.forVerify && a.dryRun ? new DryRunReport() : undefined;
  const audit: AuditLog | undefined =
    !opts.forVerify && !a.dryRun && a.audit.enabled ? await openAuditLog(a.audit) : undefined;
  const content = contentPreparer<Finding>({
    format,
    anonymizer,
    pseudonymizeEhrId: a.pseudonymizeEhrId,
    onFindings: (meta, findings) => {
      report?.add(meta.templateId, findings);
      audit?.record(findings, meta.compositionUid, meta.templateId);
    },
  });
  return {
    content,
    report,
    keyFingerprint: anonymizer.keyFingerprint(),
    assertSameKey: (stored) => anonymizer.assertSameKey(stored),
    afterWrite: audit ? () => audit.flush() : undefined,
    async close() {
      await audit?.close();
    },
  };
}
