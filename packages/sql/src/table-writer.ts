import { ConstraintError, QueryError, decodeKey, encodeKey, keyRange, type KeyPart, type KeyValueReader } from '@sochdb/core';
import { compileExpr } from './expr.js';
import { keyPart, type KeySpace } from './keys.js';
import { decodeRow, encodeRow } from './row-codec.js';
import { constantValue } from './constant.js';
import { checkExprOf, columnIndex, defaultExprOf, type IndexDef, type TableDef } from './schema.js';
import { Scope, type Evaluator, type Runtime } from './scope.js';
import type { SqlTriggers, TriggerEvent, TriggerRow } from './triggers.js';
import { applyAffinity, fromInput, toOutput, truth, type SqlValue } from './values.js';
import type { StatementWrites } from './writes.js';

/** What to do when a row collides with an existing one on the primary key or a UNIQUE index. */
export type ConflictMode = 'ABORT' | 'IGNORE' | 'REPLACE' | { readonly update: (existingKey: Buffer, existing: SqlValue[], excluded: SqlValue[]) => Promise<void> };

/** Everything a row change needs; one per statement execution. */
export interface DmlContext {
  readonly keys: KeySpace;
  readonly writes: StatementWrites;
  readonly table: (name: string) => TableDef | undefined;
  readonly allTables: () => readonly TableDef[];
  readonly triggers: SqlTriggers | undefined;
  readonly rt: Runtime;
  /** Foreign-key checks, run when every row of the statement is written (as SQLite does). */
  readonly deferred: (() => Promise<void>)[];
  /**
   * AFTER hooks, run once every row has passed its BEFORE hooks and constraints and the deferred
   * checks, so an in-process hook never observes a row of a statement that then fails.
   */
  readonly afterTriggers: (() => Promise<void>)[];
  /** Next rowid per table, kept for the whole transaction. */
  readonly rowids: Map<string, bigint>;
  /** Committed data, read outside the transaction only to find the highest rowid. */
  readonly committed: KeyValueReader;
  /** RETURNING: called with each inserted or updated row's final values (not for rows REPLACE removes). */
  readonly onRow: ((values: readonly SqlValue[]) => void) | undefined;
  /** AUTOINCREMENT tables this statement inserted into: their sequence is written when it completes. */
  readonly sequences: Set<TableDef>;
}

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

export const tableKey = (t: TableDef): string => t.name.toLowerCase();

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

export function indexEntry(keys: KeySpace, table: TableDef, index: IndexDef, values: readonly SqlValue[], pk: readonly KeyPart[]): { key: Buffer; value: Buffer; unique: boolean } {
  const vals = index.columns.map((c) => keyPart(values[c]!));
  const unique = index.unique && vals.every((v) => v !== null);
  const key = encodeKey([...keys.indexPrefix(tableKey(table), index.name.toLowerCase(), vals), ...(unique ? [] : pk)]);
  return { key, value: encodeKey(pk), unique };
}

function describeColumns(table: TableDef, cols: readonly number[]): string {
  return cols.map((c) => `${table.name}.${table.columns[c]!.name}`).join(', ');
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
      throw new ConstraintError(`CHECK constraint failed: ${check.name}`, { table: table.name, constraint: 'CHECK', remediation: `Change the row so that CHECK (${check.name}) holds.` });
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
  let rowid: bigint | undefined;
  if (table.rowidColumn !== undefined) {
    const v = values[table.rowidColumn]!;
    if (v === null) values[table.rowidColumn] = rowid = await nextRowid(ctx, table);
    else if (typeof v !== 'bigint') {
      throw new ConstraintError(`datatype mismatch: ${table.name}.${table.columns[table.rowidColumn]!.name} is an INTEGER PRIMARY KEY and must hold an integer`, {
        table: table.name,
        columnName: table.columns[table.rowidColumn]!.name,
        constraint: 'PRIMARY KEY',
      });
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
    if (!collisions.some((c) => c.key.equals(otherKey))) collisions.push({ key: otherKey, cols: index.columns, constraint: index.implicit ? 'UNIQUE' : index.name });
  }
  if (collisions.length > 0) {
    if (mode === 'IGNORE') return undefined;
    if (mode === 'ABORT') throw conflictError(table, collisions[0]!.cols, collisions[0]!.constraint);
    if (mode === 'REPLACE') {
      for (const c of collisions) {
        const old = await ctx.writes.get(c.key);
        if (old) await deleteRow(ctx, table, c.key, decodeStored(table, old));
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
  return rowid ?? 0n;
}

export function decodeStored(table: TableDef, value: Buffer): SqlValue[] {
  return decodeRow(value, table.columns.length, table.columns.map((c) => constantValue(defaultExprOf(c))));
}

export function writeRow(ctx: DmlContext, table: TableDef, key: Buffer, pk: readonly KeyPart[], values: SqlValue[]): void {
  ctx.writes.put(key, encodeRow(values));
  for (const index of table.indexes) {
    const e = indexEntry(ctx.keys, table, index, values, pk);
    ctx.writes.put(e.key, e.value);
  }
  checkParents(ctx, table, values);
}

/** Child side of each FOREIGN KEY: the referenced parent row must exist (checked at statement end). */
function checkParents(ctx: DmlContext, table: TableDef, values: readonly SqlValue[]): void {
  for (const fk of table.foreignKeys) {
    const vals = fk.columns.map((c) => values[c]!);
    if (vals.some((v) => v === null)) continue;
    ctx.deferred.push(async () => {
      if (!(await parentExists(ctx, table, fk, vals))) {
        throw new ConstraintError(`FOREIGN KEY constraint failed: ${describeColumns(table, fk.columns)} references ${fk.refTable}, which has no matching row`, {
          table: table.name,
          columnName: fk.columns.map((c) => table.columns[c]!.name).join(', '),
          constraint: 'FOREIGN KEY',
          remediation: `Insert the ${fk.refTable} row first, or use a value that exists there.`,
        });
      }
    });
  }
}

export function resolveParent(ctx: Pick<DmlContext, 'table'>, child: TableDef, fk: TableDef['foreignKeys'][number]): { parent: TableDef; cols: number[]; index: IndexDef | undefined } {
  const parent = ctx.table(fk.refTable);
  if (!parent) throw new QueryError(`foreign key mismatch: ${child.name} references missing table ${fk.refTable}`, { remediation: `Create table ${fk.refTable} first.` });
  const cols = fk.refColumns.length > 0 ? fk.refColumns.map((n) => columnIndex(parent, n)) : [...parent.primaryKey];
  if (cols.length === 0 || cols.some((c) => c < 0) || cols.length !== fk.columns.length) {
    throw new QueryError(`foreign key mismatch: ${child.name} → ${fk.refTable}(${fk.refColumns.join(', ')})`, { remediation: 'Reference the parent primary key or UNIQUE columns, with as many columns as the foreign key.' });
  }
  const isPk = cols.length === parent.primaryKey.length && cols.every((c, i) => parent.primaryKey[i] === c);
  if (isPk) return { parent, cols, index: undefined };
  const index = parent.indexes.find((i) => i.unique && i.columns.length === cols.length && i.columns.every((c, k) => c === cols[k]));
  if (!index) throw new QueryError(`foreign key mismatch: ${fk.refTable}(${fk.refColumns.join(', ')}) is neither its primary key nor UNIQUE`, { remediation: 'Add a UNIQUE constraint on the referenced columns.' });
  return { parent, cols, index };
}

async function parentExists(ctx: DmlContext, child: TableDef, fk: TableDef['foreignKeys'][number], vals: readonly SqlValue[]): Promise<boolean> {
  const { parent, cols, index } = resolveParent(ctx, child, fk);
  const converted = vals.map((v, i) => keyPart(applyAffinity(v, parent.columns[cols[i]!]!.affinity)));
  if (!index) return (await ctx.writes.get(ctx.keys.row(tableKey(parent), converted))) !== undefined;
  return (await ctx.writes.get(encodeKey(ctx.keys.indexPrefix(tableKey(parent), index.name.toLowerCase(), converted)))) !== undefined;
}

/** Parent side: after a parent row goes away (or changes key), no child may still reference it. */
function checkChildren(ctx: DmlContext, parent: TableDef, oldValues: readonly SqlValue[]): void {
  for (const child of ctx.allTables()) {
    child.foreignKeys.forEach((fk) => {
      if (fk.refTable.toLowerCase() !== tableKey(parent)) return;
      const { cols } = resolveParent(ctx, child, fk);
      const vals = cols.map((c) => oldValues[c]!);
      if (vals.some((v) => v === null)) return;
      ctx.deferred.push(async () => {
        if (await parentExists(ctx, child, fk, vals)) return;
        const index = child.indexes.find((i) => fk.columns.every((c, k) => i.columns[k] === c));
        const parts = vals.map((v, i) => keyPart(applyAffinity(v, child.columns[fk.columns[i]!]!.affinity)));
        const referenced = index
          ? await ctx.writes.anyInRange(keyRange(ctx.keys.indexPrefix(tableKey(child), index.name.toLowerCase(), parts)) as { gte: Buffer; lt: Uint8Array | undefined })
          : false;
        if (referenced) {
          throw new ConstraintError(`FOREIGN KEY constraint failed: a row of ${child.name} still references ${parent.name}`, {
            table: child.name,
            columnName: fk.columns.map((c) => child.columns[c]!.name).join(', '),
            constraint: 'FOREIGN KEY',
            remediation: `Delete or update the referencing ${child.name} rows first.`,
          });
        }
      });
    });
  }
}

export async function deleteRow(ctx: DmlContext, table: TableDef, key: Buffer, values: SqlValue[]): Promise<void> {
  await fire(ctx, table, 'BEFORE DELETE', values);
  const pk = pkPartsOfKey(key);
  ctx.writes.del(key);
  for (const index of table.indexes) ctx.writes.del(indexEntry(ctx.keys, table, index, values, pk).key);
  checkChildren(ctx, table, values);
  await fire(ctx, table, 'AFTER DELETE', values);
}

/** Replaces a row's values (the key moves when the primary key changes). */
export async function updateRow(ctx: DmlContext, table: TableDef, key: Buffer, oldValues: SqlValue[], input: SqlValue[]): Promise<void> {
  const values = await fire(ctx, table, 'BEFORE UPDATE', input, oldValues);
  if (table.rowidColumn !== undefined && typeof values[table.rowidColumn] !== 'bigint') {
    throw new ConstraintError(`datatype mismatch: ${table.name}.${table.columns[table.rowidColumn]!.name} must hold an integer`, { table: table.name, columnName: table.columns[table.rowidColumn]!.name, constraint: 'PRIMARY KEY' });
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
      if (existing !== undefined && !ctx.keys.row(tableKey(table), decodeKey(existing)).equals(key)) throw conflictError(table, index.columns, index.implicit ? 'UNIQUE' : index.name);
    }
    ctx.writes.del(before.key);
  }
  if (moved) ctx.writes.del(key);
  if (moved && table.rowidColumn !== undefined) await noteRowid(ctx, table, values[table.rowidColumn] as bigint);
  writeRow(ctx, table, newKey, pk, values);
  checkChildren(ctx, table, oldValues);
  ctx.onRow?.(values);
  await fire(ctx, table, 'AFTER UPDATE', values, oldValues);
}
