/** SQL identifier quoting ("name", doubled inner quotes): schema and role names come from configuration. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A schema-qualified, quoted relation name. */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/** SQL string literal ('…', doubled inner quotes). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
