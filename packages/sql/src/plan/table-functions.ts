import { QueryError } from '@sochdb/core';
import { compileExpr } from '../expr/expr.js';
import { markJsonValueColumn } from '../expr/json-subtype.js';
import { Scope, type Env, type QueryLevel, type SourceColumn, type SubqueryHandle } from '../expr/scope.js';
import type { Expr, Select } from '../parse/index.js';
import { JSON_EACH_COLUMNS, JSON_EACH_HIDDEN, jsonEachRows } from '../values/json/each.js';
import type { SqlValue } from '../values/values.js';
import type { CompileContext, LateralRows, RowSource } from './plan-types.js';
import { PRAGMA_FUNCTIONS } from './pragma-functions.js';

/**
 * Table-valued functions in FROM (`FROM json_each(t.tags) AS e`), as SQLite's eponymous virtual
 * tables: a function name, visible columns, then hidden columns that the arguments fill in order
 * (json_each's `json` and `root`). A function's arguments may read the FROM items before it
 * (a lateral join: its rows are computed again for each row of those items) and enclosing
 * queries. Add a function by adding an entry to TABLE_FUNCTIONS.
 */
export interface TableFunction {
  readonly columns: readonly string[];
  /** Hidden columns (filled by the arguments, left out of `SELECT *`). */
  readonly hidden: readonly string[];
  /** The rows (visible then hidden values) for one set of argument values. */
  rows(args: readonly SqlValue[], ctx: CompileContext): readonly SqlValue[][];
  /** Marks a column object (json_each's `value`, whose JSON subtype other JSON functions read). */
  readonly column?: (name: string, column: SourceColumn) => SourceColumn;
}

const jsonColumn = (name: string, column: SourceColumn): SourceColumn => (name === 'value' ? markJsonValueColumn(column) : column);

export const TABLE_FUNCTIONS: ReadonlyMap<string, TableFunction> = new Map<string, TableFunction>([
  ['json_each', { columns: JSON_EACH_COLUMNS, hidden: JSON_EACH_HIDDEN, rows: (args) => jsonEachRows(args, false), column: jsonColumn }],
  ['json_tree', { columns: JSON_EACH_COLUMNS, hidden: JSON_EACH_HIDDEN, rows: (args) => jsonEachRows(args, true), column: jsonColumn }],
  ['jsonb_each', { columns: JSON_EACH_COLUMNS, hidden: JSON_EACH_HIDDEN, rows: (args) => jsonEachRows(args, false, true) }],
  ['jsonb_tree', { columns: JSON_EACH_COLUMNS, hidden: JSON_EACH_HIDDEN, rows: (args) => jsonEachRows(args, true, true) }],
  ...PRAGMA_FUNCTIONS,
]);

/** What compiling a table-valued function in FROM gives the FROM compiler. */
export interface CompiledTableFunction {
  readonly columns: SourceColumn[];
  /** Rows for a whole execution (arguments read no earlier FROM item). */
  readonly rowSource: RowSource;
  /** Set when the arguments read earlier FROM items or an enclosing query: rows per joined row. */
  readonly lateral: LateralRows | undefined;
}

/** The compile-time surroundings of a FROM item's arguments. */
export interface TableFunctionScope {
  /** The FROM items before this one. */
  readonly before: Scope['sources'];
  readonly parent: Scope | undefined;
  readonly compileSubquery: (query: Select, scope: Scope) => SubqueryHandle;
  /** The query level the item belongs to (read slots and correlation are recorded there). */
  readonly level: QueryLevel;
}

export function compileTableFunction(name: string, args: readonly Expr[], where: TableFunctionScope, ctx: CompileContext): CompiledTableFunction | undefined {
  const key = name.toLowerCase();
  const fn = TABLE_FUNCTIONS.get(key);
  if (!fn) return undefined;
  if (args.length > fn.hidden.length) {
    throw new QueryError(`too many arguments on ${key}() - max ${fn.hidden.length}`, {
      remediation: `${key}() takes at most ${fn.hidden.length} argument(s).`,
    });
  }
  const own: QueryLevel = { correlated: false, slots: new Set() };
  const scope = new Scope(where.before, where.parent, where.compileSubquery, undefined, undefined, own);
  const evaluators = args.map((a) => compileExpr(a, scope).evaluate);
  for (const s of own.slots) where.level.slots.add(s);
  if (own.correlated) where.level.correlated = true;
  const columns: SourceColumn[] = [
    ...fn.columns.map((c) => ({ name: c, affinity: undefined })),
    ...fn.hidden.map((c) => ({ name: c, affinity: undefined, hidden: true })),
  ].map((c) => fn.column?.(c.name, c) ?? c);
  // The rows of the last argument values: constant arguments are read once per statement.
  let lastArgs: SqlValue[] | undefined;
  let lastRows: readonly SqlValue[][] = [];
  const rowsFor = (env: Env): readonly SqlValue[][] => {
    const values = evaluators.map((f) => f(env));
    if (lastArgs && values.length === lastArgs.length && values.every((v, i) => v === lastArgs![i])) return lastRows;
    const rows = fn.rows(values, ctx);
    lastArgs = values;
    lastRows = rows;
    return rows;
  };
  const lateral = scope.used.size > 0 || own.correlated ? rowsFor : undefined;
  const rowSource: RowSource = async (env) => rowsFor(env);
  TABLE_FUNCTION_ROWS.add(rowSource);
  return { columns, rowSource, lateral };
}

const TABLE_FUNCTION_ROWS = new WeakSet<RowSource>();

/** Whether a FROM item's rows come from a table-valued function (EXPLAIN names it so). */
export function isTableFunctionRows(rows: RowSource): boolean {
  return TABLE_FUNCTION_ROWS.has(rows);
}
