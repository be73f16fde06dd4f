import { ConstraintError, QueryError, keyRange } from '@sochdb/core';
import { readRows, FULL_SCAN } from './access.js';
import { child, children, columnName, isNode, text, type Node } from './ast.js';
import { constantValue } from './plan-select.js';
import { columnIndex, nameKey, storedDefaults, type CheckDef, type ColumnDef, type ForeignKeyDef, type IndexDef, type TableDef } from './schema.js';
import type { ExecContext, Executable, StatementResult } from './statement.js';
import { indexEntry, pkPartsOfKey } from './table-writer.js';
import { affinityOf, type SqlValue } from './values.js';

const DONE: StatementResult = { rows: [], columns: [], rowsAffected: 0, lastInsertRowid: undefined };

function ddl(describe: string, run: (ec: ExecContext) => Promise<void>): Executable {
  return {
    kind: 'ddl',
    subqueries: [],
    explain: () => [describe],
    async run(ec) {
      await run(ec);
      await ec.writes.flush();
      return DONE;
    },
  };
}

function names(nodes: readonly Node[]): string[] {
  return nodes.map((n) => columnName(n['column']) ?? columnName(n) ?? '');
}

/** Builds a TableDef from CREATE TABLE's AST. */
export function tableFromAst(ast: Node): TableDef {
  const name = text(children(ast, 'table')[0] ?? {}, 'table') ?? '';
  const columns: ColumnDef[] = [];
  let primaryKey: number[] = [];
  const uniques: number[][] = [];
  const checks: CheckDef[] = [];
  const fks: ForeignKeyDef[] = [];
  const defs = children(ast, 'create_definitions');
  const colIndex = (n: string) => {
    const i = columns.findIndex((c) => nameKey(c.name) === nameKey(n));
    if (i < 0) throw new QueryError(`no such column: ${n} in table ${name}`);
    return i;
  };
  for (const d of defs) {
    if (d['resource'] !== 'column') continue;
    const colName = columnName(d['column']) ?? '';
    if (columns.some((c) => nameKey(c.name) === nameKey(colName))) throw new QueryError(`duplicate column name: ${colName}`);
    const def = child(d, 'definition');
    const declaredType = def ? (text(def, 'dataType') ?? '') : '';
    const defaultNode = child(d, 'default_val');
    columns.push({
      name: colName,
      declaredType,
      affinity: affinityOf(declaredType),
      notNull: isNode(d['nullable']) && text(d['nullable'], 'type') === 'not null',
      defaultExpr: defaultNode ? child(defaultNode, 'value') : undefined,
    });
    const i = columns.length - 1;
    if (d['primary_key']) {
      if (primaryKey.length > 0) throw new QueryError(`table ${name} has more than one primary key`);
      primaryKey = [i];
    }
    if (d['unique']) uniques.push([i]);
    const check = child(d, 'check');
    if (check) checks.push(...children(check, 'definition').map((expr) => ({ name: colName, expr })));
    const ref = child(d, 'reference_definition');
    if (ref) fks.push({ columns: [i], refTable: text(children(ref, 'table')[0] ?? {}, 'table') ?? '', refColumns: names(children(ref, 'definition')) });
  }
  for (const d of defs) {
    if (d['resource'] !== 'constraint') continue;
    const type = (text(d, 'constraint_type') ?? '').toLowerCase();
    const cols = names(children(d, 'definition'));
    if (type === 'primary key') {
      if (primaryKey.length > 0) throw new QueryError(`table ${name} has more than one primary key`);
      primaryKey = cols.map(colIndex);
    } else if (type.startsWith('unique')) uniques.push(cols.map(colIndex));
    else if (type === 'check') checks.push(...children(d, 'definition').map((expr, k) => ({ name: text(d, 'constraint') ?? `${name}_check_${k + 1}`, expr })));
    else if (type === 'foreign key') {
      const ref = child(d, 'reference_definition')!;
      fks.push({ columns: cols.map(colIndex), refTable: text(children(ref, 'table')[0] ?? {}, 'table') ?? '', refColumns: names(children(ref, 'definition')) });
    }
  }
  if (columns.length === 0) throw new QueryError(`table ${name} must have at least one column`);
  const rowidColumn = primaryKey.length === 1 && columns[primaryKey[0]!]!.declaredType.toUpperCase() === 'INTEGER' ? primaryKey[0] : undefined;
  const indexes: IndexDef[] = uniques.map((cols, k) => ({ name: `sqlite_autoindex_${name}_${k + 1}`, columns: cols, unique: true, implicit: true }));
  fks.forEach((fk, k) => {
    const covered = indexes.some((i) => fk.columns.every((c, n) => i.columns[n] === c)) || fk.columns.every((c, n) => primaryKey[n] === c);
    if (!covered) indexes.push({ name: `sochdb_fkindex_${name}_${k + 1}`, columns: fk.columns, unique: false, implicit: true });
  });
  return { name, columns, primaryKey, rowidColumn, checks, foreignKeys: fks, indexes };
}

export function compileCreateTable(ast: Node): Executable {
  const def = tableFromAst(ast);
  const ifNotExists = Boolean(ast['if_not_exists']);
  return ddl(`CREATE TABLE ${def.name}`, async (ec) => {
    if (ec.catalog.table(def.name, ec.txn)) {
      if (ifNotExists) return;
      throw new QueryError(`table ${def.name} already exists`, { remediation: 'Use CREATE TABLE IF NOT EXISTS, or DROP TABLE first.' });
    }
    await ec.catalog.save(def.name, def, ec.writes.base, ec.txn);
  });
}

async function deleteRange(ec: ExecContext, range: { gte: Buffer; lt: Uint8Array | undefined }): Promise<void> {
  const it = ec.writes.base.iterator(range);
  try {
    for (;;) {
      const batch = await it.nextv(1000);
      if (batch.length === 0) break;
      for (const [k] of batch) ec.writes.del(k);
    }
  } finally {
    await it.close();
  }
}

export function compileDropTable(ast: Node): Executable {
  const name = children(ast, 'name').map((n) => text(n, 'table'))[0] ?? '';
  const ifExists = Boolean(ast['prefix']);
  return ddl(`DROP TABLE ${name}`, async (ec) => {
    const table = ec.catalog.table(name, ec.txn);
    if (!table) {
      if (ifExists) return;
      throw new QueryError(`no such table: ${name}`, { remediation: 'Use DROP TABLE IF EXISTS to ignore a missing table.' });
    }
    const key = nameKey(name);
    for (const child of ec.catalog.allTables(ec.txn)) {
      if (nameKey(child.name) === key) continue;
      for (const fk of child.foreignKeys) {
        if (nameKey(fk.refTable) !== key) continue;
        const env = { row: [] as SqlValue[], outer: undefined, rt: ec.rt };
        for await (const batch of readRows(ec.base, ec.keys, child, FULL_SCAN, env, storedDefaults(child, constantValue))) {
          if (batch.some((r) => fk.columns.every((c) => r.values[c] !== null))) {
            throw new ConstraintError(`FOREIGN KEY constraint failed: ${child.name} still references ${table.name}`, { table: child.name, constraint: 'FOREIGN KEY', remediation: `Delete the referencing ${child.name} rows (or drop ${child.name}) first.` });
          }
        }
      }
    }
    await deleteRange(ec, keyRange(ec.keys.rowPrefix(key)) as { gte: Buffer; lt: Uint8Array | undefined });
    await deleteRange(ec, keyRange(['sql', ec.keys.namespace, 'x', key]) as { gte: Buffer; lt: Uint8Array | undefined });
    await ec.catalog.save(name, null, ec.writes.base, ec.txn);
  });
}

export function compileCreateIndex(ast: Node): Executable {
  const indexName = text(child(ast, 'index') ?? {}, 'name') ?? text(ast, 'index') ?? '';
  const tableName = text(child(ast, 'table') ?? {}, 'table') ?? '';
  const unique = (text(ast, 'index_type') ?? '').toLowerCase() === 'unique';
  const cols = names(children(ast, 'index_columns'));
  const ifNotExists = Boolean(ast['if_not_exists']);
  return ddl(`CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${indexName} ON ${tableName}`, async (ec) => {
    const table = ec.catalog.table(tableName, ec.txn);
    if (!table) throw new QueryError(`no such table: ${tableName}`);
    if (ec.catalog.findIndex(indexName, ec.txn)) {
      if (ifNotExists) return;
      throw new QueryError(`index ${indexName} already exists`, { remediation: 'Use CREATE INDEX IF NOT EXISTS, or pick another name.' });
    }
    const columns = cols.map((c) => {
      const i = columnIndex(table, c);
      if (i < 0) throw new QueryError(`no such column: ${c} in table ${table.name}`);
      return i;
    });
    const index: IndexDef = { name: indexName, columns, unique, implicit: false };
    const env = { row: [] as SqlValue[], outer: undefined, rt: ec.rt };
    for await (const batch of readRows(ec.base, ec.keys, table, FULL_SCAN, env, storedDefaults(table, constantValue))) {
      for (const r of batch) {
        const e = indexEntry(ec.keys, table, index, r.values, pkPartsOfKey(r.key));
        if (e.unique && (await ec.writes.get(e.key)) !== undefined) {
          throw new ConstraintError(`UNIQUE constraint failed: ${columns.map((c) => `${table.name}.${table.columns[c]!.name}`).join(', ')}`, { table: table.name, columnName: cols.join(', '), constraint: indexName, remediation: 'Remove the duplicate rows before creating a UNIQUE index.' });
        }
        ec.writes.put(e.key, e.value);
      }
    }
    await ec.catalog.save(table.name, { ...table, indexes: [...table.indexes, index] }, ec.writes.base, ec.txn);
  });
}

export function compileDropIndex(name: string, ifExists: boolean): Executable {
  return ddl(`DROP INDEX ${name}`, async (ec) => {
    const found = ec.catalog.findIndex(name, ec.txn);
    if (!found) {
      if (ifExists) return;
      throw new QueryError(`no such index: ${name}`);
    }
    if (found.index.implicit) throw new QueryError(`index associated with a UNIQUE or FOREIGN KEY constraint cannot be dropped: ${name}`);
    const t = nameKey(found.table.name);
    await deleteRange(ec, keyRange(ec.keys.indexPrefix(t, nameKey(found.index.name))) as { gte: Buffer; lt: Uint8Array | undefined });
    await ec.catalog.save(found.table.name, { ...found.table, indexes: found.table.indexes.filter((i) => i !== found.index) }, ec.writes.base, ec.txn);
  });
}

export function compileAlter(ast: Node): Executable {
  const tableName = text(children(ast, 'table')[0] ?? {}, 'table') ?? '';
  const actions = children(ast, 'expr');
  return ddl(`ALTER TABLE ${tableName}`, async (ec) => {
    let table = ec.catalog.table(tableName, ec.txn);
    if (!table) throw new QueryError(`no such table: ${tableName}`);
    for (const a of actions) {
      if (text(a, 'action') !== 'add' || a['resource'] !== 'column') {
        throw new QueryError(`unsupported ALTER TABLE action: ${text(a, 'action') ?? '?'}`, { remediation: 'Only ALTER TABLE … ADD COLUMN is supported.' });
      }
      const probe = tableFromAst({ table: [{ table: table.name }], create_definitions: [a] });
      const col = probe.columns[0]!;
      if (columnIndex(table, col.name) >= 0) throw new QueryError(`duplicate column name: ${col.name}`);
      if (probe.primaryKey.length > 0 || probe.indexes.some((i) => i.unique)) throw new QueryError('cannot add a PRIMARY KEY or UNIQUE column', { remediation: 'Add the column, then CREATE UNIQUE INDEX on it.' });
      const dflt = constantValue(col.defaultExpr);
      if (col.notNull && dflt === null) throw new QueryError('cannot add a NOT NULL column with default value NULL', { remediation: 'Give the column a non-NULL DEFAULT.' });
      table = {
        ...table,
        columns: [...table.columns, col],
        checks: [...table.checks, ...probe.checks],
        foreignKeys: [...table.foreignKeys, ...probe.foreignKeys.map((fk) => ({ ...fk, columns: [table!.columns.length] }))],
      };
    }
    await ec.catalog.save(table.name, table, ec.writes.base, ec.txn);
  });
}
