import type { Select } from '../parse/index.js';
import { nameKey, type TableDef } from '../schema/schema.js';
import type { CompileContext } from './plan-types.js';

/** Where a result column comes from, as SQLite's sqlite3_column_table_name/origin_name/decltype report it. */
export interface ColumnOrigin {
  readonly table: string;
  readonly column: string;
  /** The declared type ('' when none was declared). */
  readonly type: string;
}

/**
 * The origin of each result column of a query's first SELECT that is a plain column of a table
 * named in its FROM (undefined for expressions, and for every column when the FROM has joins
 * written with USING/NATURAL, a subquery under a star, or a view: SQLite follows those, this
 * does not, so it reports nothing rather than something wrong). Mirrors view-columns.ts.
 */
export function columnOrigins(query: Select, ctx: CompileContext, width: number): readonly (ColumnOrigin | undefined)[] {
  const none: readonly undefined[] = new Array<undefined>(width).fill(undefined);
  if (query.first.kind !== 'select') return none;
  const core = query.first;
  const tables: { alias: string; table: TableDef | undefined }[] = [];
  for (const joined of core.from?.items ?? []) {
    const item = joined.item;
    if (item.kind === 'join' || joined.using || joined.join?.natural) return none;
    const table = item.kind === 'table' && item.args === undefined ? ctx.table(item.name) : undefined;
    tables.push({ alias: nameKey(item.alias ?? (item.kind === 'table' ? item.name : '')), table });
  }
  const whole = (table: TableDef): ColumnOrigin[] => table.columns.map((c) => ({ table: table.name, column: c.name, type: c.declaredType }));
  const out: (ColumnOrigin | undefined)[] = [];
  for (const column of core.columns) {
    if (column.kind === 'star') {
      for (const t of tables) {
        if (!t.table) return none;
        out.push(...whole(t.table));
      }
    } else if (column.kind === 'tableStar') {
      const t = tables.find((x) => x.alias === nameKey(column.table));
      if (!t?.table) return none;
      out.push(...whole(t.table));
    } else {
      const e = column.expr;
      if (e.kind !== 'column') {
        out.push(undefined);
        continue;
      }
      const has = (t: TableDef | undefined): boolean => t?.columns.some((c) => nameKey(c.name) === nameKey(e.column)) ?? false;
      const candidates = tables.filter((t) => (e.table === undefined || t.alias === nameKey(e.table)) && has(t.table));
      const table = candidates.length === 1 ? candidates[0]!.table! : undefined;
      const c = table?.columns.find((x) => nameKey(x.name) === nameKey(e.column));
      out.push(table && c ? { table: table.name, column: c.name, type: c.declaredType } : undefined);
    }
  }
  // A count that differs from the compiled columns means something here was misread: report nothing.
  return out.length === width ? out : none;
}
