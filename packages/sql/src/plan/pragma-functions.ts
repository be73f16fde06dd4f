import type { ViewDef } from '../schema/schema.js';
import { valuesView } from '../schema/sqlite-master.js';
import { toText, type SqlValue } from '../values/values.js';
import { foreignKeyList, indexInfo, indexList, PRAGMA_COLUMNS, tableInfo, tableList, type PragmaRows, type SchemaLookup } from './pragma-tables.js';
import type { CompileContext } from './plan-types.js';

// The schema PRAGMAs as table-valued functions (SQLite's eponymous pragma virtual tables):
// `SELECT * FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'` is how
// Drizzle, Kysely and migration tools read a schema. Each takes the PRAGMA's argument and a
// schema name as its hidden `arg` and `schema` columns.

const HIDDEN = ['arg', 'schema'] as const;

/** An entry of table-functions.ts's TABLE_FUNCTIONS (declared here too, so neither file imports the other's types back). */
interface TableFunction {
  readonly columns: readonly string[];
  readonly hidden: readonly string[];
  rows(args: readonly SqlValue[], ctx: CompileContext): readonly SqlValue[][];
}

function pragmaFunction(name: string, produce: (lookup: SchemaLookup, arg: string) => PragmaRows, optionalArg = false): TableFunction {
  return {
    columns: PRAGMA_COLUMNS.get(name)!,
    hidden: HIDDEN,
    rows(args, ctx) {
      const arg = args[0] ?? null;
      const schema = args[1] ?? null;
      if (!ctx.schema || (arg === null && !optionalArg)) return [];
      if (schema !== null && !['main', 'temp'].includes(String(toText(schema)).toLowerCase())) return [];
      return produce(ctx.schema, arg === null ? '' : String(toText(arg))).rows.map((r): SqlValue[] => [...r, arg, schema]);
    },
  };
}

export const PRAGMA_FUNCTIONS: ReadonlyMap<string, TableFunction> = new Map([
  ['pragma_table_info', pragmaFunction('table_info', (l, a) => tableInfo(l, a, false))],
  ['pragma_table_xinfo', pragmaFunction('table_xinfo', (l, a) => tableInfo(l, a, true))],
  ['pragma_index_list', pragmaFunction('index_list', indexList)],
  ['pragma_index_info', pragmaFunction('index_info', (l, a) => indexInfo(l, a, false))],
  ['pragma_index_xinfo', pragmaFunction('index_xinfo', (l, a) => indexInfo(l, a, true))],
  ['pragma_foreign_key_list', pragmaFunction('foreign_key_list', foreignKeyList)],
  ['pragma_table_list', pragmaFunction('table_list', (l, a) => tableList(l, a === '' ? undefined : a), true)],
]);

/** `FROM pragma_table_list` written without arguments: its rows as a view. */
export function pragmaView(name: string, lookup: SchemaLookup): ViewDef | undefined {
  if (name.toLowerCase() !== 'pragma_table_list') return undefined;
  const { columns, rows } = tableList(lookup, undefined);
  return valuesView(name, columns, rows as (string | bigint | null)[][]);
}
