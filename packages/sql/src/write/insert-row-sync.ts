import type { TableDef } from '../schema/schema.js';
import { tableKey, type ConflictMode, type DmlContext } from './dml-context.js';
import { conflictError, indexEntry, pkPartsOf, validate, writeRow } from './table-writer.js';
import type { SqlValue } from '../values/values.js';

/** `insertRowSync` could not finish the row without an await: run `insertRow` instead. */
export const NEEDS_ASYNC: unique symbol = Symbol('needs async');

/**
 * `insertRow` without an await, for the common case — no insert hook, the table's next rowid already
 * known to the transaction, every collision check answered by the statement's buffer or
 * Storage.getSync (StatementWrites.peek) — so a bulk insert pays for no promise per row. Anything
 * else returns NEEDS_ASYNC having changed nothing (the caller then runs `insertRow`), so the two
 * paths give the same rows, errors and rowids.
 */
export function insertRowSync(ctx: DmlContext, table: TableDef, values: SqlValue[], mode: ConflictMode): bigint | undefined | typeof NEEDS_ASYNC {
  // Hooks run in insertRow; a trigger host with none for this table's inserts (the SDK always
  // passes one) keeps the fast path.
  const t = ctx.triggers;
  if (t && (!t.has || t.has(table.name, 'BEFORE INSERT') || t.has(table.name, 'AFTER INSERT'))) return NEEDS_ASYNC;
  if (ctx.sqlTriggers?.has(table, 'INSERT')) return NEEDS_ASYNC;
  const name = tableKey(table);
  const known = ctx.rowids.get(name);
  let rowid: bigint | undefined;
  let assigned = false;
  if (table.rowidColumn !== undefined) {
    const v = values[table.rowidColumn]!;
    if (v === null) {
      if (known === undefined) return NEEDS_ASYNC;
      values[table.rowidColumn] = rowid = known;
      assigned = true;
    } else if (typeof v !== 'bigint' || known === undefined) return NEEDS_ASYNC;
    else rowid = v;
  } else if (table.primaryKey.length === 0) {
    if (known === undefined) return NEEDS_ASYNC;
    rowid = known;
    assigned = true;
  }
  try {
    validate(ctx, table, values);
  } catch (error) {
    undoRowid(table, values, assigned);
    throw error;
  }
  const pk = pkPartsOf(table, values, rowid);
  const key = ctx.keys.row(name, pk);
  if (table.primaryKey.length > 0 && !(rowid !== undefined && table.rowidColumn !== undefined && rowid >= known!)) {
    const existing = ctx.writes.peek(key);
    if (existing === null) return undoRowid(table, values, assigned);
    if (existing !== undefined) {
      if (mode !== 'ABORT') return undoRowid(table, values, assigned);
      throw conflictError(table, table.primaryKey, 'PRIMARY KEY');
    }
  }
  for (const index of table.indexes) {
    if (!index.unique) continue;
    const entry = indexEntry(ctx.keys, table, index, values, pk);
    if (!entry.unique) continue;
    const existing = ctx.writes.peek(entry.key);
    if (existing === null) return undoRowid(table, values, assigned);
    if (existing !== undefined) {
      if (mode !== 'ABORT') return undoRowid(table, values, assigned);
      throw conflictError(table, index.columns, index.implicit ? 'UNIQUE' : index.name);
    }
  }
  writeRow(ctx, table, key, pk, values);
  if (rowid !== undefined && (assigned || rowid >= known!)) ctx.rowids.set(name, rowid + 1n);
  if (table.autoincrement) ctx.sequences.add(table);
  ctx.onRow?.(values);
  return rowid ?? 0n;
}

/** Takes back a rowid insertRowSync assigned, before it hands the row to insertRow. (A function, not a closure per row.) */
function undoRowid(table: TableDef, values: SqlValue[], assigned: boolean): typeof NEEDS_ASYNC {
  if (assigned && table.rowidColumn !== undefined) values[table.rowidColumn] = null;
  return NEEDS_ASYNC;
}
