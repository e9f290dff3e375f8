/**
 * EHRbase rejects a page larger than `ehrbase.rest.aql.max-fetch` with 422
 * `Fetch parameter n exceeds maximum fetch m`; the client then pages with m. Returns m, or undefined.
 */
export function parseMaxFetch(message: string | undefined): number | undefined {
  if (!message) return undefined;
  const m = /fetch parameter \d+ exceeds maximum fetch (\d+)/i.exec(message);
  if (!m?.[1]) return undefined;
  const max = Number(m[1]);
  return max > 0 ? max : undefined;
}
