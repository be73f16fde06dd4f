import type { CreateTriggerStatement, Expr, TriggerBodyStatement } from '../parse/index.js';

/** A SQL trigger (CREATE TRIGGER), as the catalog keeps it: parsed from its stored text. */
export interface TriggerDef {
  readonly name: string;
  /** The table or view it is on, as written in CREATE TRIGGER (sqlite_master's tbl_name). */
  readonly table: string;
  readonly timing: 'BEFORE' | 'AFTER' | 'INSTEAD OF';
  readonly event: 'INSERT' | 'UPDATE' | 'DELETE';
  /** `UPDATE OF a, b`: fires only when one of these columns is assigned. */
  readonly columns: readonly string[] | undefined;
  readonly when: Expr | undefined;
  readonly body: readonly TriggerBodyStatement[];
  /** CREATE TRIGGER's text as sqlite_master keeps it. */
  readonly sql: string;
  /** A TEMP trigger lives in this engine only, as on a SQLite connection. */
  readonly temp: boolean;
  readonly createdAt?: number;
}

export function triggerFromStatement(stmt: CreateTriggerStatement, sql: string, temp: boolean, createdAt?: number): TriggerDef {
  return {
    name: stmt.name,
    table: stmt.table,
    timing: stmt.timing,
    event: stmt.event,
    columns: stmt.columns,
    when: stmt.when,
    body: stmt.body,
    sql,
    temp,
    ...(createdAt === undefined ? {} : { createdAt }),
  };
}
