/** Web template node types that are data values (leaves of a FLAT path), not containers. */
export function isLeafType(rmType: string): boolean {
  return rmType.startsWith('DV_') || rmType === 'CODE_PHRASE' || rmType.startsWith('PARTY_');
}

/** Whether a canonical value's `_type` can fill a web template leaf of `rmType`. */
export function leafAccepts(rmType: string, actual: unknown): boolean {
  if (typeof actual !== 'string') return true;
  if (actual === rmType) return true;
  if (rmType === 'DV_CODED_TEXT' && actual === 'DV_TEXT') return true;
  if (rmType === 'DV_TEXT' && actual === 'DV_CODED_TEXT') return true;
  if (rmType.startsWith('PARTY_') && actual.startsWith('PARTY_')) return true;
  if (rmType === 'DV_INTERVAL' || rmType.startsWith('DV_INTERVAL')) return actual.startsWith('DV_INTERVAL');
  return false;
}

export function isMulti(node: { max?: number }): boolean {
  return node.max === -1 || (node.max ?? 1) > 1;
}
