/**
 * Another exporter holds the template (lock_mode = "fail"). Typed so the export can tell "someone else is on
 * it" from a database failure; the message says which template and what to do.
 */
export class TemplateLockedError extends Error {
  readonly templateId: string;
  constructor(templateId: string, where: string) {
    super(
      `template ${templateId} is locked: another Atlas export is running on it against ${where}. ` +
        'Wait for it to finish, or queue behind it with --lock wait (export.lock = "wait").',
    );
    this.name = 'TemplateLockedError';
    this.templateId = templateId;
  }
}
