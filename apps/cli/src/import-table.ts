// `sochdb import <db> --table NAME`: rows into an existing SQL table, from JSON Lines (one object
// per line, keys are column names) or CSV (header row = column names). Values are converted as
// values.ts describes; columns a record leaves out get their DEFAULT.
import { ValidationError } from '@sochdb/core';
import type { Database, DatabaseTransaction, PreparedStatement } from '@sochdb/sdk';
import type { ImportTarget } from './import-run.js';
import { quoteIdent, tableColumns, type ColumnInfo } from './sql-tables.js';
import { csvToSql, jsonToSql } from './values.js';

/** A target for JSONL objects (`csv: false`) or CSV records (`csv: true`) into `table`. */
export async function tableTarget(db: Database, table: string, csv: boolean): Promise<ImportTarget<unknown>> {
  const columns = new Map<string, ColumnInfo>((await tableColumns(db, table)).map((c) => [c.name.toLowerCase(), c]));
  // One prepared INSERT per column list (records may name different columns), per transaction:
  // a statement prepared in one transaction writes into that one.
  let statementsOf: DatabaseTransaction | undefined;
  const statements = new Map<string, PreparedStatement>();
  const insert = (txn: DatabaseTransaction, names: readonly string[]): PreparedStatement => {
    if (statementsOf !== txn) {
      statements.clear();
      statementsOf = txn;
    }
    const signature = names.join('\0');
    let statement = statements.get(signature);
    if (!statement) {
      const list = names.map(quoteIdent).join(', ');
      const sql =
        names.length === 0
          ? `INSERT INTO ${quoteIdent(table)} DEFAULT VALUES`
          : `INSERT INTO ${quoteIdent(table)} (${list}) VALUES (${names.map(() => '?').join(', ')})`;
      statement = txn.prepare(sql);
      statements.set(signature, statement);
    }
    return statement;
  };
  return {
    async write({ value }, txn) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new ValidationError(`expected an object of column values, got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`, {
          remediation: 'Write one object per line: {"column": value, …}.',
        });
      }
      const names: string[] = [];
      const params: unknown[] = [];
      for (const [name, cell] of Object.entries(value as Record<string, unknown>)) {
        const column = columns.get(name.toLowerCase());
        if (!column) {
          throw new ValidationError(`table ${table} has no column ${JSON.stringify(name)}`, {
            field: name,
            remediation: `Its columns are ${[...columns.values()].map((c) => c.name).join(', ')}.`,
          });
        }
        names.push(column.name);
        params.push(csv ? csvToSql(cell as string | null, column.type, name) : jsonToSql(cell, name));
      }
      await insert(txn, names).run(...params);
    },
  };
}
