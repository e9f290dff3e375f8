/**
 * Version uids are `<uuid>::<system id>::<version>`; a versioned-object id is the bare uuid. The object id
 * is stable across versions (our row id); the version number orders updates.
 */
export interface ParsedUid {
  objectId: string;
  /** Undefined for a bare versioned-object id. */
  version: number | undefined;
}

export function parseUid(uid: string): ParsedUid {
  const first = uid.indexOf('::');
  if (first < 0) return { objectId: uid, version: undefined };
  const objectId = uid.slice(0, first);
  const last = uid.lastIndexOf('::');
  const version = last > first ? Number(uid.slice(last + 2)) : Number.NaN;
  return { objectId, version: Number.isInteger(version) && version > 0 ? version : undefined };
}
