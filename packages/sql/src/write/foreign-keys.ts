import { ConstraintError, QueryError, encodeKey, keyRange } from '@sochdb/core';
import { keyPart } from '../schema/keys.js';
import { columnIndex, type IndexDef, type TableDef } from '../schema/schema.js';
import { applyAffinity, type SqlValue } from '../values/values.js';
import { describeColumns, tableKey, type DmlContext } from './dml-context.js';

// FOREIGN KEY constraints, checked when the statement's rows are all written (ctx.deferred), as
// SQLite does: a child row needs its parent, and a parent row that goes away needs no children.

/** Child side of each FOREIGN KEY: the referenced parent row must exist (checked at statement end). */
export function checkParents(ctx: DmlContext, table: TableDef, values: readonly SqlValue[]): void {
  if (ctx.foreignKeys === false) return;
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

export function resolveParent(
  ctx: Pick<DmlContext, 'table'>,
  child: TableDef,
  fk: TableDef['foreignKeys'][number],
): { parent: TableDef; cols: number[]; index: IndexDef | undefined } {
  const parent = ctx.table(fk.refTable);
  if (!parent)
    throw new QueryError(`foreign key mismatch: ${child.name} references missing table ${fk.refTable}`, { remediation: `Create table ${fk.refTable} first.` });
  const cols = fk.refColumns.length > 0 ? fk.refColumns.map((n) => columnIndex(parent, n)) : [...parent.primaryKey];
  if (cols.length === 0 || cols.some((c) => c < 0) || cols.length !== fk.columns.length) {
    throw new QueryError(`foreign key mismatch: ${child.name} → ${fk.refTable}(${fk.refColumns.join(', ')})`, {
      remediation: 'Reference the parent primary key or UNIQUE columns, with as many columns as the foreign key.',
    });
  }
  const isPk = cols.length === parent.primaryKey.length && cols.every((c, i) => parent.primaryKey[i] === c);
  if (isPk) return { parent, cols, index: undefined };
  const index = parent.indexes.find((i) => i.unique && i.columns.length === cols.length && i.columns.every((c, k) => c === cols[k]));
  if (!index)
    throw new QueryError(`foreign key mismatch: ${fk.refTable}(${fk.refColumns.join(', ')}) is neither its primary key nor UNIQUE`, {
      remediation: 'Add a UNIQUE constraint on the referenced columns.',
    });
  return { parent, cols, index };
}

async function parentExists(ctx: DmlContext, child: TableDef, fk: TableDef['foreignKeys'][number], vals: readonly SqlValue[]): Promise<boolean> {
  const { parent, cols, index } = resolveParent(ctx, child, fk);
  const converted = vals.map((v, i) => keyPart(applyAffinity(v, parent.columns[cols[i]!]!.affinity)));
  if (!index) return (await ctx.writes.get(ctx.keys.row(tableKey(parent), converted))) !== undefined;
  return (await ctx.writes.get(encodeKey(ctx.keys.indexPrefix(tableKey(parent), index.name.toLowerCase(), converted)))) !== undefined;
}

/** Parent side: after a parent row goes away (or changes key), no child may still reference it. */
export function checkChildren(ctx: DmlContext, parent: TableDef, oldValues: readonly SqlValue[]): void {
  if (ctx.foreignKeys === false) return;
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
        const referenced = index ? await ctx.writes.anyInRange(keyRange(ctx.keys.indexPrefix(tableKey(child), index.name.toLowerCase(), parts))) : false;
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
