import { QueryError, type Storage, type Transaction } from '@sochdb/core';
import type { PragmaStatement } from '../parse/index.js';
import { foreignKeyList, indexInfo, indexList, PRAGMA_COLUMNS, tableInfo, tableList, type PragmaRows } from '../plan/pragma-tables.js';
import type { Catalog } from '../schema/catalog.js';
import type { KeySpace } from '../schema/keys.js';
import type { StatementResult } from '../statements/statement.js';
import type { SqlValue } from '../values/values.js';
import type { EngineEnv } from './engine-env.js';

/** What a PRAGMA reads and changes. */
export interface PragmaContext {
  readonly catalog: Catalog;
  readonly txn: Transaction | undefined;
  readonly env: EngineEnv;
  readonly storage: Storage;
  readonly keys: KeySpace;
}

const result = (r: PragmaRows): StatementResult => ({ rows: r.rows, columns: r.columns, rowsAffected: 0, lastInsertRowid: undefined });
const NOTHING: StatementResult = { rows: [], columns: [], rowsAffected: 0, lastInsertRowid: undefined };

/**
 * The PRAGMAs this engine answers, as SQLite does: the schema ones (table_info, table_xinfo,
 * index_list, index_info, index_xinfo, foreign_key_list, table_list; no rows for a missing
 * name), user_version (kept in Storage, so it survives a reopen and is seen by other engines),
 * foreign_keys (per engine, see EngineEnv) and recursive_triggers (always off). Any other PRAGMA
 * is refused with a QueryError, never silently accepted (a setting this engine would then ignore
 * is a wrong answer waiting to happen).
 */
export function runPragma(statement: PragmaStatement, pc: PragmaContext): StatementResult | Promise<StatementResult> {
  if (statement.schema !== undefined && !['main', 'temp'].includes(statement.schema.toLowerCase())) {
    throw new QueryError(`unknown database ${statement.schema}`);
  }
  const name = statement.name;
  const value = statement.value;
  const lookup = pc.env.schemaLookup(pc.catalog, pc.txn);
  const arg = value === undefined ? undefined : String(value);
  switch (name) {
    case 'table_info':
    case 'table_xinfo':
      return result(arg === undefined ? { columns: PRAGMA_COLUMNS.get(name)!, rows: [] } : tableInfo(lookup, arg, name === 'table_xinfo'));
    case 'index_list':
      return result(arg === undefined ? { columns: PRAGMA_COLUMNS.get(name)!, rows: [] } : indexList(lookup, arg));
    case 'index_info':
    case 'index_xinfo':
      return result(arg === undefined ? { columns: PRAGMA_COLUMNS.get(name)!, rows: [] } : indexInfo(lookup, arg, name === 'index_xinfo'));
    case 'foreign_key_list':
      return result(arg === undefined ? { columns: PRAGMA_COLUMNS.get(name)!, rows: [] } : foreignKeyList(lookup, arg));
    case 'table_list':
      return result(tableList(lookup, arg));
    case 'user_version':
      return value === undefined ? readUserVersion(pc) : writeUserVersion(pc, value);
    case 'foreign_keys':
      if (value === undefined) return one('foreign_keys', pc.env.foreignKeys ? 1n : 0n);
      // As in SQLite, a no-op inside a transaction.
      if (!pc.txn) pc.env.foreignKeys = booleanSetting(value);
      return NOTHING;
    case 'recursive_triggers':
      if (value === undefined) return one('recursive_triggers', 0n);
      if (booleanSetting(value))
        throw new QueryError('PRAGMA recursive_triggers = ON is not supported', {
          remediation: "Triggers do not fire themselves recursively (SQLite's default); write the recursion as a loop or a recursive CTE.",
        });
      return NOTHING;
    default:
      throw new QueryError(`PRAGMA ${name} is not supported yet`, {
        remediation:
          'Supported: table_info, table_xinfo, index_list, index_info, index_xinfo, foreign_key_list, table_list, user_version, foreign_keys, recursive_triggers.',
      });
  }
}

function one(column: string, value: SqlValue): StatementResult {
  return { rows: [[value]], columns: [column], rowsAffected: 0, lastInsertRowid: undefined };
}

/** SQLite's sqlite3GetBoolean for a PRAGMA value: on/yes/true/a non-zero number, else off. */
function booleanSetting(value: string | number | bigint): boolean {
  if (typeof value !== 'string') return Number(value) !== 0;
  const v = value.toLowerCase();
  if (/^[+-]?\d+$/.test(v)) return Number(v) !== 0;
  return v === 'on' || v === 'yes' || v === 'true';
}

/** SQLite's sqlite3Atoi: a leading 32-bit integer, else 0. */
function int32(value: string | number | bigint): bigint {
  const text = typeof value === 'number' ? String(Math.trunc(value)) : String(value);
  const m = /^\s*([+-]?\d+)/.exec(text);
  if (!m) return 0n;
  const n = BigInt(m[1]!);
  return n >= -2147483648n && n <= 2147483647n ? n : 0n;
}

async function readUserVersion(pc: PragmaContext): Promise<StatementResult> {
  const stored = await (pc.txn ?? pc.storage).get(pc.keys.userVersion());
  return one('user_version', stored === undefined ? 0n : BigInt(stored.toString('latin1')));
}

async function writeUserVersion(pc: PragmaContext, value: string | number | bigint): Promise<StatementResult> {
  const bytes = Buffer.from(String(int32(value)), 'latin1');
  if (pc.txn) await pc.txn.put(pc.keys.userVersion(), bytes);
  else await pc.storage.transaction(async (t) => t.put(pc.keys.userVersion(), bytes));
  return NOTHING;
}
