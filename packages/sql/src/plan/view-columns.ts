import type { Select, SelectCore } from '../parse/index.js';
import { nameKey, type TableDef, type ViewDef } from '../schema/schema.js';
import type { Affinity } from '../values/values.js';
import { compileQuery } from './plan-select.js';
import type { CompileContext } from './plan-types.js';

/**
 * A view's result columns as PRAGMA table_info shows them: the name, the affinity, and, for a
 * column that is a plain column of a table in the view's first SELECT, that column's declared
 * type (SQLite shows it; for anything else it shows the affinity's standard name).
 */
export function viewColumns(view: ViewDef, ctx: CompileContext): { name: string; affinity: Affinity | undefined; declared: string | undefined }[] {
  const plan = compileQuery(view.query, undefined, { ...ctx, ctes: undefined, subqueries: [] });
  const declared = declaredTypes(view.query, ctx);
  const exact = declared?.length === plan.columns.length ? declared : undefined;
  return plan.columns.map((name, i) => ({ name: view.columns?.[i] ?? name, affinity: plan.affinities[i], declared: exact?.[i] || undefined }));
}

/** Declared types of the first SELECT's result columns ('' where none); undefined when they cannot be followed. */
function declaredTypes(query: Select, ctx: CompileContext): string[] | undefined {
  if (query.first.kind !== 'select') return undefined;
  const core: SelectCore = query.first;
  const tables: { alias: string; table: TableDef | undefined }[] = [];
  for (const joined of core.from?.items ?? []) {
    const item = joined.item;
    if (item.kind === 'join') return undefined;
    const table = item.kind === 'table' && item.args === undefined ? ctx.table(item.name) : undefined;
    tables.push({ alias: nameKey(item.alias ?? (item.kind === 'table' ? item.name : '')), table });
    if (joined.using || joined.join?.natural) return undefined;
  }
  const out: string[] = [];
  for (const column of core.columns) {
    if (column.kind === 'star') {
      for (const t of tables) {
        if (!t.table) return undefined;
        out.push(...t.table.columns.map((c) => c.declaredType));
      }
    } else if (column.kind === 'tableStar') {
      const t = tables.find((x) => x.alias === nameKey(column.table));
      if (!t?.table) return undefined;
      out.push(...t.table.columns.map((c) => c.declaredType));
    } else {
      const e = column.expr;
      if (e.kind !== 'column') {
        out.push('');
        continue;
      }
      const candidates = tables.filter(
        (t) => (e.table === undefined || t.alias === nameKey(e.table)) && t.table?.columns.some((c) => nameKey(c.name) === nameKey(e.column)),
      );
      const c = candidates.length === 1 ? candidates[0]!.table!.columns.find((x) => nameKey(x.name) === nameKey(e.column)) : undefined;
      out.push(c?.declaredType ?? '');
    }
  }
  return out;
}
