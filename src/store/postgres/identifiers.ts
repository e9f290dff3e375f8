/**
 * Identifier quoting for the configurable schema. Every table name in Atlas's SQL goes through `table()`,
 * so a schema such as `atlas-data` or `Export` works and nothing user-supplied is spliced in unquoted.
 */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes('\0'))
    throw new Error(`invalid SQL identifier: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"` for one of Atlas's tables in the configured schema. */
export function table(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * `timestamptz` → ISO-8601 UTC text with microseconds, computed by the server. Returning text instead of a
 * JS Date keeps the microseconds of commit times (a cursor rounded to milliseconds would re-read or skip
 * rows) and does not depend on the session's TimeZone or DateStyle.
 */
export function isoText(expr: string): string {
  return `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
