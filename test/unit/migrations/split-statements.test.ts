import { describe, expect, it } from 'vitest';
import {
  isTransactionControl,
  splitStatements,
} from '../../../src/store/postgres/migrate/split-statements.js';

describe('splitStatements', () => {
  it('splits at top-level semicolons and records the line each statement starts on', () => {
    const sql =
      "-- header; not a statement\nBEGIN;\n\nCREATE TABLE a (x int);\nCOMMENT ON TABLE a IS 'one; two';\nCOMMIT;\n";
    expect(splitStatements(sql)).toEqual([
      { sql: 'BEGIN', line: 2 },
      { sql: 'CREATE TABLE a (x int)', line: 4 },
      { sql: "COMMENT ON TABLE a IS 'one; two'", line: 5 },
      { sql: 'COMMIT', line: 6 },
    ]);
  });

  it('keeps semicolons inside quotes, identifiers, dollar quotes, escape strings and block comments', () => {
    const sql = [
      `SELECT 'it''s; fine', "odd;name" FROM t;`,
      'DO $body$ BEGIN PERFORM 1; END $body$;',
      'SELECT $$a;b$$;',
      "SELECT E'back\\'slash; still';",
      '/* outer /* nested; */ still comment; */ SELECT 2;',
    ].join('\n');
    expect(splitStatements(sql).map((s) => s.sql)).toEqual([
      `SELECT 'it''s; fine', "odd;name" FROM t`,
      'DO $body$ BEGIN PERFORM 1; END $body$',
      'SELECT $$a;b$$',
      "SELECT E'back\\'slash; still'",
      // A leading comment is not part of the statement (its line is the code's line).
      'SELECT 2',
    ]);
  });

  it('drops comment-only and empty statements, keeps a last statement without semicolon', () => {
    expect(splitStatements(';;\n-- only a comment\n;\nSELECT 1\n')).toEqual([{ sql: 'SELECT 1', line: 4 }]);
  });

  it('recognises the transaction control the runner replaces', () => {
    for (const s of ['BEGIN', 'begin work', 'START TRANSACTION', 'COMMIT', 'commit transaction', 'END']) {
      expect(isTransactionControl(s), s).toBe(true);
    }
    for (const s of ['ROLLBACK', 'BEGIN ISOLATION LEVEL SERIALIZABLE', 'CREATE TABLE begin_x (x int)']) {
      expect(isTransactionControl(s), s).toBe(false);
    }
  });
});
