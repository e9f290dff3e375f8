/**
 * Privacy layer: anonymisation and keyed pseudonymisation of composition content during export
 * (docs/privacy.md). The engine calls, per run:
 *   const anonymizer = createAnonymizer(config.anonymization);   // ConfigError (exit 2) without a usable key
 *   const { flat, findings } = anonymizer.apply({ flat, ehrId, compositionUid, templateId });   // before transform
 *   dry run: report.add(templateId, findings) and write nothing; otherwise audit?.record(findings, uid, templateId)
 *   ehr_id column and watermarks: anonymizer.pseudonymizeEhrId(ehrId) when pseudonymize_ehr_id is set.
 */

export { MIN_KEY_LENGTH } from '../config/key-strength.js';
export { createAnonymizer } from './anonymizer.js';
export { type AuditLog, type AuditLogOptions, openAuditLog } from './audit-log.js';
export {
  type AnonymizationMode,
  type Category,
  QUASI_IDENTIFIER_CATEGORIES,
  SAFE_HARBOR_CATEGORIES,
} from './categories.js';
export { DryRunReport, type DryRunReportJson } from './dry-run-report.js';
export { TEXT_DETECTORS } from './patterns/registry.js';
export type { AnonymizeInput, AnonymizeResult, Anonymizer, AppliedStrategy, Finding } from './types.js';
