/** Writes the rows of one view, batch by batch, as they come from the cursor. */
export interface ViewWriter {
  /** Rows in the order of the export's columns, values as PostgreSQL text (null = SQL NULL). */
  write(rows: Array<Array<string | null>>): Promise<void>;
  /** Completes the file (or table); nothing is readable before. */
  finish(): Promise<void>;
}
