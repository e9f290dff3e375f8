/**
 * Ids of Atlas's documents in the control container (partition key /id, as in the original). Cosmos ids
 * may not contain `/`, `\`, `?` or `#`, and template ids can: those (and `%`, the escape character) are
 * written as %XX, so every template id maps to a valid, distinct and still readable document id.
 */
export function idPart(text: string): string {
  return text.replace(
    /[%/\\?#]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

export const controlIds = {
  cursor: (templateId: string) => `cursor::${idPart(templateId)}`,
  watermark: (templateId: string, ehrId: string) => `watermark::${idPart(templateId)}::${idPart(ehrId)}`,
  failure: (templateId: string, id: string) => `failure::${idPart(templateId)}::${idPart(id)}`,
  lease: (templateId: string) => `lease::${idPart(templateId)}`,
  container: (containerName: string) => `container::${containerName}`,
  run: (runId: number) => `run::${runId}`,
  runCounter: 'run-counter',
} as const;

/** `uuid::system::3` → 3; a uid without a version number counts as version 0. */
export function versionOf(uid: string): number {
  const n = Number(uid.slice(uid.lastIndexOf('::') + 2));
  return Number.isSafeInteger(n) && uid.includes('::') ? n : 0;
}
