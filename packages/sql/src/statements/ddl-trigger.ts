import { QueryError, NoSuchTableError } from '@sochdb/core';
import type { CreateTriggerStatement, DropStatement } from '../parse/index.js';
import { normalizeCreateSql } from '../schema/schema-sql.js';
import { nameKey } from '../schema/schema.js';
import { isSchemaTable } from '../schema/sqlite-master.js';
import { triggerFromStatement } from '../schema/trigger-def.js';
import { ddl, reservedName } from './ddl-common.js';
import type { ExecContext, Executable } from './statement.js';
import { checkTriggerStep, usesVariables } from './trigger-body.js';

// CREATE TRIGGER and DROP TRIGGER, with SQLite's checks and messages. A trigger is kept in the
// catalog as its CREATE TRIGGER text (like a view) and parsed again on load; a TEMP trigger (or
// one on a TEMP view) lives in this engine only.

export function compileCreateTrigger(stmt: CreateTriggerStatement): Executable {
  const schema = stmt.schema?.toLowerCase();
  if (schema !== undefined && schema !== 'main' && schema !== 'temp')
    throw new QueryError(`unknown database ${stmt.schema}`, { remediation: 'Only the main database exists; drop the schema prefix.' });
  // Checked while SQLite parses the statement, so before anything else.
  if (usesVariables(stmt.body) || usesVariables(stmt.when))
    throw new QueryError('trigger cannot use variables', { remediation: 'Write the values into the trigger, or read them from a table.' });
  for (const step of stmt.body) checkTriggerStep(step);
  return ddl(`CREATE TRIGGER ${stmt.name}`, async (ec) => {
    const temp = stmt.temp || schema === 'temp';
    const table = ec.catalog.table(stmt.table, ec.txn);
    const view = table ? undefined : ec.catalog.view(stmt.table, ec.txn);
    if (!table && !view && !isSchemaTable(stmt.table))
      throw new NoSuchTableError(`no such table: ${temp ? '' : 'main.'}${stmt.table}`, { remediation: 'Create the table first, or check the name.' });
    reservedName(stmt.name);
    if (ec.catalog.trigger(stmt.name, ec.txn)) {
      if (stmt.ifNotExists) return;
      throw new QueryError(`trigger ${stmt.name} already exists`, { remediation: 'Use CREATE TRIGGER IF NOT EXISTS, or DROP TRIGGER first.' });
    }
    if (!table && !view) throw new QueryError('cannot create trigger on system table');
    if (view && stmt.timing !== 'INSTEAD OF')
      throw new QueryError(`cannot create ${stmt.timing} trigger on view: ${stmt.table}`, { remediation: 'Use INSTEAD OF triggers on views.' });
    if (table && stmt.timing === 'INSTEAD OF')
      throw new QueryError(`cannot create INSTEAD OF trigger on table: ${stmt.table}`, { remediation: 'Use BEFORE or AFTER triggers on tables.' });
    // A trigger on a TEMP view is TEMP itself (SQLite puts it in the view's schema).
    const inTemp = temp || (view !== undefined && ec.catalog.isTempView(stmt.table));
    const def = triggerFromStatement(stmt, normalizeCreateSql(stmt.text, 'TRIGGER'), inTemp);
    await ec.catalog.saveTrigger(stmt.name, def, ec.writes.base, ec.txn, inTemp);
  });
}

export function compileDropTrigger(stmt: DropStatement): Executable {
  return ddl(`DROP TRIGGER ${stmt.name}`, async (ec) => {
    if (!ec.catalog.trigger(stmt.name, ec.txn)) {
      if (stmt.ifExists) return;
      throw new QueryError(`no such trigger: ${stmt.name}`, { remediation: 'Use DROP TRIGGER IF EXISTS to ignore a missing trigger.' });
    }
    await ec.catalog.saveTrigger(stmt.name, null, ec.writes.base, ec.txn, ec.catalog.isTempTrigger(stmt.name));
  });
}

/** DROP TABLE and DROP VIEW take the object's triggers with them, as in SQLite. */
export async function dropTriggersOn(ec: ExecContext, table: string): Promise<void> {
  const key = nameKey(table);
  for (const t of ec.catalog.allTriggers(ec.txn)) {
    if (nameKey(t.table) === key) await ec.catalog.saveTrigger(t.name, null, ec.writes.base, ec.txn, t.temp);
  }
}
