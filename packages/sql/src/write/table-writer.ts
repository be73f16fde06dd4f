import { ConstraintError, QueryError, decodeKey, encodeKey, keyRange, type KeyPart } from '@sochdb/core';
import { constantValue } from '../expr/constant.js';
import { compileExpr } from '../expr/expr.js';
import { Scope, type Evaluator } from '../expr/scope.js';
import { indexEntryParts, keyPart, type KeySpace } from '../schema/keys.js';
import { decodeRow, encodeRow } from '../schema/row-codec.js';
import { checkExprOf, defaultExprOf, type IndexDef, type TableDef } from '../schema/schema.js';
import { applyAffinity, fromInput, toOutput, truth, type SqlValue } from '../values/values.js';
import { describeColumns, tableKey, type ConflictMode, type DmlContext } from './dml-context.js';
import { checkChildren, checkParents } from './foreign-keys.js';
import type { TriggerEvent, TriggerRow } from './triggers.js';

// Row changes with everything SQLite does around them: rowids, NOT NULL and CHECK, primary-key
// and UNIQUE conflicts (ABORT / IGNORE / REPLACE / upsert), index entries, trigger hooks (plugin
// hooks and SQL triggers, in the order row-triggers.ts gives), and the foreign-key checks of
// foreign-keys.ts.

/** Writes each AUTOINCREMENT table's largest rowid used (the transaction's next rowid less one). */
export function writeSequences(ctx: DmlContext): void {
  for (const table of ctx.sequences) {
    const next = ctx.rowids.get(tableKey(table));
    if (next !== undefined) ctx.writes.put(ctx.keys.sequence(tableKey(table)), Buffer.from(String(next - 1n), 'latin1'));
  }
}

const checkCache = new WeakMap<TableDef, { name: string; evaluate: Evaluator }[]>();

function checksOf(table: TableDef): { name: string; evaluate: Evaluator }[] {
  let checks = checkCache.get(table);
  if (!checks) {
    const scope = new Scope([{ alias: table.name.toLowerCase(), columns: table.columns, offset: 0 }], undefined, () => {
      throw new QueryError('subqueries are not allowed in CHECK constraints');
    });
    checks = table.checks.map((c) => ({ name: c.name, evaluate: compileExpr(checkExprOf(c), scope).evaluate }));
    checkCache.set(table, checks);
  }
  return checks;
}

const notNullCache = new WeakMap<TableDef, number[]>();

/** Columns that refuse NULL: NOT NULL ones, and the primary key of a table whose key is not the rowid. */
function notNullColumnsOf(table: TableDef): number[] {
  let cols = notNullCache.get(table);
  if (!cols) {
    cols = [];
    table.columns.forEach((c, i) => {
      if (c.notNull || (table.primaryKey.includes(i) && table.rowidColumn === undefined)) cols!.push(i);
    });
    notNullCache.set(table, cols);
  }
  return cols;
}

export function pkPartsOf(table: TableDef, values: readonly SqlValue[], rowid: bigint | undefined): KeyPart[] {
  return table.primaryKey.length > 0 ? table.primaryKey.map((i) => keyPart(values[i]!)) : [keyPart(rowid!)];
}

/** The primary key parts of a stored row, read back from its key. */
export function pkPartsOfKey(key: Buffer): KeyPart[] {
  return decodeKey(key).slice(4);
}

export function indexEntry(
  keys: KeySpace,
  table: TableDef,
  index: IndexDef,
  values: readonly SqlValue[],
  pk: readonly KeyPart[],
): { key: Buffer; value: Buffer; unique: boolean } {
  const { parts, unique } = indexEntryParts(index, values, pk);
  const key = encodeKey([...keys.indexPrefix(tableKey(table), index.name.toLowerCase()), ...parts]);
  return { key, value: encodeKey(pk), unique };
}

/** Errors thrown by trigger hooks: they reach the caller unchanged (never wrapped as QueryError). */
export const triggerErrors = new WeakSet<object>();

async function fire(ctx: DmlContext, table: TableDef, event: TriggerEvent, values: SqlValue[], old?: SqlValue[]): Promise<SqlValue[]> {
  const t = ctx.triggers;
  if (!t || (t.has && !t.has(table.name, event))) return values;
  const toRow = (vs: readonly SqlValue[]): TriggerRow => Object.fromEntries(table.columns.map((c, i) => [c.name, toOutput(vs[i]!)]));
  const call = async (): Promise<TriggerRow | void> => {
    try {
      return await t.fire(table.name, event, toRow(values), old ? { oldRow: toRow(old) } : {});
    } catch (error) {
      if (typeof error === 'object' && error !== null) triggerErrors.add(error);
      throw error;
    }
  };
  if (event.startsWith('AFTER')) {
    ctx.afterTriggers.push(async () => void (await call()));
    return values;
  }
  const replaced = await call();
  if (!replaced || !event.startsWith('BEFORE') || event === 'BEFORE DELETE') return values;
  return table.columns.map((c, i) => (c.name in replaced ? applyAffinity(fromInput(replaced[c.name], `${table.name}.${c.name}`), c.affinity) : values[i]!));
}

/** NOT NULL and CHECK. */
export function validate(ctx: DmlContext, table: TableDef, values: SqlValue[]): void {
  for (const i of notNullColumnsOf(table)) {
    if (values[i] === null) {
      const c = table.columns[i]!;
      throw new ConstraintError(`NOT NULL constraint failed: ${table.name}.${c.name}`, {
        table: table.name,
        columnName: c.name,
        constraint: 'NOT NULL',
        remediation: `Give ${c.name} a value (or a DEFAULT in the table definition).`,
      });
    }
  }
  const checks = checksOf(table);
  if (checks.length === 0) return;
  const env = { row: values, outer: undefined, rt: ctx.rt };
  for (const check of checks) {
    if (truth(check.evaluate(env)) === false) {
      throw new ConstraintError(`CHECK constraint failed: ${check.name}`, {
        table: table.name,
        constraint: 'CHECK',
        remediation: `Change the row so that CHECK (${check.name}) holds.`,
      });
    }
  }
}

/**
 * The next rowid is max(rowid) + 1, as in SQLite. The max is read from committed data (a
 * reverse seek on Storage) plus what this transaction wrote after it, then kept per transaction
 * so a long transaction does not seek again. (Reverse iteration inside a core Transaction is
 * avoided: see the package README, "Known limits".)
 */
async function rowidState(ctx: DmlContext, table: TableDef): Promise<bigint> {
  const name = tableKey(table);
  const known = ctx.rowids.get(name);
  if (known !== undefined) return known;
  const range = keyRange(ctx.keys.rowPrefix(name));
  let next = 1n;
  const idOf = (key: Buffer) => {
    const id = pkPartsOfKey(key)[0];
    if ((typeof id === 'number' && Number.isInteger(id)) || typeof id === 'bigint') {
      const n = BigInt(id) + 1n;
      if (n > next) next = n;
    }
  };
  const committed = ctx.committed.iterator({ ...range, reverse: true, limit: 1 });
  let from: Buffer = range.gte;
  try {
    const last = await committed.next();
    if (last) {
      idOf(last[0]);
      from = last[0];
    }
  } finally {
    await committed.close();
  }
  const own = ctx.writes.base.iterator({ gt: from, ...(range.lt ? { lt: range.lt } : {}) });
  try {
    for (;;) {
      const batch = await own.nextv(256);
      if (batch.length === 0) break;
      for (const [k] of batch) idOf(k);
    }
  } finally {
    await own.close();
  }
  if (table.autoincrement) {
    // AUTOINCREMENT never hands out a rowid again, even one whose row is gone.
    const seq = await ctx.writes.get(ctx.keys.sequence(name));
    if (seq !== undefined) {
      const after = BigInt(seq.toString('latin1')) + 1n;
      if (after > next) next = after;
    }
  }
  ctx.rowids.set(name, next);
  return next;
}

async function nextRowid(ctx: DmlContext, table: TableDef): Promise<bigint> {
  const next = await rowidState(ctx, table);
  ctx.rowids.set(tableKey(table), next + 1n);
  return next;
}

async function noteRowid(ctx: DmlContext, table: TableDef, id: bigint): Promise<void> {
  const next = await rowidState(ctx, table);
  if (id >= next) ctx.rowids.set(tableKey(table), id + 1n);
}

/**
 * True when `rowid` is at least the transaction's known next rowid (max + 1 over committed data
 * and this transaction's writes), so no row can hold it: the primary-key read is skipped, which
 * makes appending rows (the common bulk insert) one read cheaper per row. Every path that writes
 * a rowid (insert, an UPDATE that moves it) raises the known next rowid, so it never falls below
 * a stored one. (If another transaction deletes a row after this one's snapshot was taken and
 * before the max was read, the max can miss that row; writing its key then fails at commit with
 * a TransactionConflictError rather than a UNIQUE error — still no silent overwrite.)
 */
function beyondKnownRowids(ctx: DmlContext, table: TableDef, rowid: bigint | undefined): boolean {
  if (rowid === undefined || table.rowidColumn === undefined) return false;
  const next = ctx.rowids.get(tableKey(table));
  return next !== undefined && rowid >= next;
}

export function conflictError(table: TableDef, cols: readonly number[], constraint: string): ConstraintError {
  return new ConstraintError(`UNIQUE constraint failed: ${describeColumns(table, cols)}`, {
    table: table.name,
    columnName: cols.map((c) => table.columns[c]!.name).join(', '),
    constraint,
    remediation: 'Use a different value, or INSERT OR REPLACE / ON CONFLICT to update the existing row.',
  });
}

/** Inserts one row (values in column order, affinity applied). Returns the rowid when a row was written. */
export async function insertRow(ctx: DmlContext, table: TableDef, input: SqlValue[], mode: ConflictMode): Promise<bigint | undefined> {
  let values = ctx.triggers ? await fire(ctx, table, 'BEFORE INSERT', input) : input;
  const sql = ctx.sqlTriggers?.has(table, 'INSERT') ? ctx.sqlTriggers : undefined;
  if (sql && !(await sql.before(table, 'INSERT', undefined, beforeInsertRow(table, values), undefined))) return undefined;
  let rowid: bigint | undefined;
  if (table.rowidColumn !== undefined) {
    const v = values[table.rowidColumn]!;
    if (v === null) values[table.rowidColumn] = rowid = await nextRowid(ctx, table);
    else if (typeof v !== 'bigint') {
      throw new ConstraintError(
        `datatype mismatch: ${table.name}.${table.columns[table.rowidColumn]!.name} is an INTEGER PRIMARY KEY and must hold an integer`,
        {
          table: table.name,
          columnName: table.columns[table.rowidColumn]!.name,
          constraint: 'PRIMARY KEY',
        },
      );
    } else rowid = v;
  } else if (table.primaryKey.length === 0) rowid = await nextRowid(ctx, table);
  validate(ctx, table, values);
  const pk = pkPartsOf(table, values, rowid);
  const key = ctx.keys.row(tableKey(table), pk);
  // Collisions: the primary key, then each UNIQUE index without NULLs.
  const collisions: { key: Buffer; cols: readonly number[]; constraint: string }[] = [];
  if (table.primaryKey.length > 0 && !beyondKnownRowids(ctx, table, rowid) && (await ctx.writes.get(key)) !== undefined) {
    collisions.push({ key, cols: table.primaryKey, constraint: 'PRIMARY KEY' });
  }
  for (const index of table.indexes) {
    if (!index.unique) continue;
    const entry = indexEntry(ctx.keys, table, index, values, pk);
    if (!entry.unique) continue;
    const existing = await ctx.writes.get(entry.key);
    if (existing === undefined) continue;
    const otherKey = ctx.keys.row(tableKey(table), decodeKey(existing));
    if (!collisions.some((c) => c.key.equals(otherKey)))
      collisions.push({ key: otherKey, cols: index.columns, constraint: index.implicit ? 'UNIQUE' : index.name });
  }
  if (collisions.length > 0) {
    if (mode === 'IGNORE') return undefined;
    if (mode === 'ABORT') throw conflictError(table, collisions[0]!.cols, collisions[0]!.constraint);
    if (mode === 'REPLACE') {
      for (const c of collisions) {
        const old = await ctx.writes.get(c.key);
        // As in SQLite with recursive_triggers off, REPLACE's deletes fire no SQL DELETE trigger.
        if (old) await deleteRow(ctx, table, c.key, decodeStored(table, old), false);
      }
    } else {
      const c = collisions[0]!;
      const old = await ctx.writes.get(c.key);
      if (old) await mode.update(c.key, decodeStored(table, old), values);
      return undefined;
    }
  }
  writeRow(ctx, table, key, pk, values);
  if (rowid !== undefined) {
    const next = ctx.rowids.get(tableKey(table));
    if (next === undefined) await noteRowid(ctx, table, rowid);
    else if (rowid >= next) ctx.rowids.set(tableKey(table), rowid + 1n);
  }
  if (table.autoincrement) ctx.sequences.add(table);
  ctx.onRow?.(values);
  if (ctx.triggers) values = await fire(ctx, table, 'AFTER INSERT', values);
  if (sql) await sql.after(table, 'INSERT', undefined, values, undefined);
  return rowid ?? 0n;
}

/** NEW in a BEFORE INSERT trigger: a rowid still to be assigned reads as -1, as in SQLite. */
function beforeInsertRow(table: TableDef, values: readonly SqlValue[]): readonly SqlValue[] {
  const c = table.rowidColumn;
  if (c === undefined || values[c] !== null) return values;
  const row = values.slice();
  row[c] = -1n;
  return row;
}

export function decodeStored(table: TableDef, value: Buffer): SqlValue[] {
  return decodeRow(
    value,
    table.columns.length,
    table.columns.map((c) => constantValue(defaultExprOf(c))),
  );
}

export function writeRow(ctx: DmlContext, table: TableDef, key: Buffer, pk: readonly KeyPart[], values: SqlValue[]): void {
  ctx.writes.put(key, encodeRow(values));
  for (const index of table.indexes) {
    const e = indexEntry(ctx.keys, table, index, values, pk);
    ctx.writes.put(e.key, e.value);
  }
  checkParents(ctx, table, values);
}

/** Deletes one row; false when a SQL BEFORE trigger's RAISE(IGNORE) kept it. */
export async function deleteRow(ctx: DmlContext, table: TableDef, key: Buffer, values: SqlValue[], sqlTriggers = true): Promise<boolean> {
  await fire(ctx, table, 'BEFORE DELETE', values);
  const sql = sqlTriggers && ctx.sqlTriggers?.has(table, 'DELETE') ? ctx.sqlTriggers : undefined;
  if (sql && !(await sql.before(table, 'DELETE', values, undefined, undefined))) return false;
  const pk = pkPartsOfKey(key);
  ctx.writes.del(key);
  for (const index of table.indexes) ctx.writes.del(indexEntry(ctx.keys, table, index, values, pk).key);
  checkChildren(ctx, table, values);
  await fire(ctx, table, 'AFTER DELETE', values);
  if (sql) await sql.after(table, 'DELETE', values, undefined, undefined);
  return true;
}

/**
 * Replaces a row's values (the key moves when the primary key changes). `setColumns`: the
 * columns the statement assigns (UPDATE OF triggers fire on those). False when a SQL BEFORE
 * trigger's RAISE(IGNORE) skipped the row.
 */
export async function updateRow(
  ctx: DmlContext,
  table: TableDef,
  key: Buffer,
  oldValues: SqlValue[],
  input: SqlValue[],
  setColumns?: ReadonlySet<number>,
): Promise<boolean> {
  const values = await fire(ctx, table, 'BEFORE UPDATE', input, oldValues);
  const sql = ctx.sqlTriggers?.has(table, 'UPDATE') ? ctx.sqlTriggers : undefined;
  if (sql && !(await sql.before(table, 'UPDATE', oldValues, values, setColumns))) return false;
  if (table.rowidColumn !== undefined && typeof values[table.rowidColumn] !== 'bigint') {
    throw new ConstraintError(`datatype mismatch: ${table.name}.${table.columns[table.rowidColumn]!.name} must hold an integer`, {
      table: table.name,
      columnName: table.columns[table.rowidColumn]!.name,
      constraint: 'PRIMARY KEY',
    });
  }
  validate(ctx, table, values);
  const oldPk = pkPartsOfKey(key);
  const pk = table.primaryKey.length > 0 ? pkPartsOf(table, values, undefined) : oldPk;
  const newKey = ctx.keys.row(tableKey(table), pk);
  const moved = !newKey.equals(key);
  if (moved && (await ctx.writes.get(newKey)) !== undefined) throw conflictError(table, table.primaryKey, 'PRIMARY KEY');
  for (const index of table.indexes) {
    const before = indexEntry(ctx.keys, table, index, oldValues, oldPk);
    const after = indexEntry(ctx.keys, table, index, values, pk);
    if (after.unique && !after.key.equals(before.key)) {
      const existing = await ctx.writes.get(after.key);
      if (existing !== undefined && !ctx.keys.row(tableKey(table), decodeKey(existing)).equals(key))
        throw conflictError(table, index.columns, index.implicit ? 'UNIQUE' : index.name);
    }
    ctx.writes.del(before.key);
  }
  if (moved) ctx.writes.del(key);
  if (moved && table.rowidColumn !== undefined) await noteRowid(ctx, table, values[table.rowidColumn] as bigint);
  writeRow(ctx, table, newKey, pk, values);
  checkChildren(ctx, table, oldValues);
  ctx.onRow?.(values);
  await fire(ctx, table, 'AFTER UPDATE', values, oldValues);
  if (sql) await sql.after(table, 'UPDATE', oldValues, values, setColumns);
  return true;
}
