/** Web template node types that are data values (leaves of a FLAT path), not containers. */
export function isLeafType(rmType: string, hasChildren = false): boolean {
  // DV_INTERVAL<…> nodes have `lower`/`upper` children and are walked like containers.
  if (hasChildren) return false;
  return rmType.startsWith('DV_') || rmType === 'CODE_PHRASE' || rmType.startsWith('PARTY_');
}

/** RM type name without generic parameters (`DV_INTERVAL<DV_COUNT>` → `DV_INTERVAL`). */
export function baseType(rmType: string): string {
  const lt = rmType.indexOf('<');
  return lt < 0 ? rmType : rmType.slice(0, lt);
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
