// SQL: run a statement and get one page of its result with the page's token counts as TOON and
// as JSON; EXPLAIN QUERY PLAN as a tree; export a whole result as CSV, JSON or TOON.
import { Hono, type Context } from 'hono';
import type { OutputValue } from '@sochdb/sdk';
import type { StudioContext } from '../context.js';
import { ExplainBody, ExportBody, ExportQuery, SqlBody } from '../schemas.js';
import { cellOf, jsonOf, toonOf, type ApiSqlParams } from '../sql-run.js';
import { csvOf } from '../csv.js';
import { jsonSafe, type JsonSafe } from '../json.js';
import { countTokens } from '../tokens.js';
import { validate } from '../validate.js';

/** What `POST /api/sql` answers. */
export interface SqlPage {
  readonly columns: readonly string[];
  /** The page's rows (`offset` … `offset + limit`), each an array in `columns` order. */
  readonly rows: readonly (readonly JsonSafe[])[];
  /** Rows in the whole result. */
  readonly rowCount: number;
  readonly offset: number;
  /** Rows written by INSERT/UPDATE/DELETE (write mode). */
  readonly rowsAffected: number;
  /** o200k_base tokens of this page as TOON and as JSON records. */
  readonly tokens: { readonly toon: number; readonly json: number };
}

/** One node of an EXPLAIN QUERY PLAN tree. */
export interface PlanNode {
  /** 1, 2, … in plan order. */
  readonly id: number;
  /** The id of the node this one belongs under; 0 at the top (SQLite's convention). */
  readonly parent: number;
  readonly detail: string;
  readonly children: readonly PlanNode[];
}

/**
 * The plan rows (id, parent, notused, detail) as a tree. SochDB's engine reports every row with
 * parent 0 and shows nesting by indenting `detail` two spaces a level (a subquery's scans under
 * it), so the tree is built from the indentation: each row goes under the nearest earlier row that
 * is indented less. Ids are renumbered from 1 so that parent 0 unambiguously means the top.
 */
export function planTree(rows: readonly (readonly OutputValue[])[]): PlanNode[] {
  type Mutable = { id: number; parent: number; detail: string; children: PlanNode[] };
  const roots: PlanNode[] = [];
  const open: { depth: number; node: Mutable }[] = [];
  rows.forEach((row, i) => {
    const text = String(row[3] ?? '');
    const depth = text.length - text.trimStart().length;
    while (open.length > 0 && (open.at(-1)?.depth ?? 0) >= depth) open.pop();
    const under = open.at(-1)?.node;
    const node: Mutable = { id: i + 1, parent: under?.id ?? 0, detail: text.trim(), children: [] };
    if (under === undefined) roots.push(node);
    else under.children.push(node);
    open.push({ depth, node });
  });
  return roots;
}

/** The `/api/sql` routes. */
export function sqlRoutes(ctx: StudioContext): Hono {
  const exportResult = async (c: Context, sql: string, params: ApiSqlParams | undefined, format: 'csv' | 'json' | 'toon') => {
    const result = await ctx.source.sql(sql, params, !ctx.write);
    const [body, type] =
      format === 'csv'
        ? [csvOf(result.columns, result.rows), 'text/csv; charset=utf-8']
        : format === 'json'
          ? [jsonOf(result.columns, result.rows), 'application/json; charset=utf-8']
          : [toonOf(result.columns, result.rows), 'text/plain; charset=utf-8'];
    c.header('content-type', type);
    c.header('content-disposition', `attachment; filename="result.${format}"`);
    return c.body(body);
  };
  return new Hono()
    .post('/', validate('json', SqlBody), async (c) => {
      const { sql, params, limit, offset } = c.req.valid('json');
      const result = await ctx.source.sql(sql, params, !ctx.write);
      const page = result.rows.slice(offset, offset + limit);
      const [toon, json] = await Promise.all([countTokens(toonOf(result.columns, page)), countTokens(jsonOf(result.columns, page))]);
      return c.json({
        columns: result.columns,
        rows: page.map((row) => row.map(cellOf)),
        rowCount: result.rows.length,
        offset,
        rowsAffected: result.rowsAffected,
        tokens: { toon, json },
      } satisfies SqlPage);
    })
    .post('/explain', validate('json', ExplainBody), async (c) => {
      const { sql } = c.req.valid('json');
      // Always read-only: EXPLAIN only plans, and a write-mode studio should not run it otherwise.
      const result = await ctx.source.explain(sql);
      return c.json({ plan: planTree(result.rows), rows: jsonSafe(result.rows) });
    })
    .get('/export', validate('query', ExportQuery), async (c) => {
      const { sql, params, format } = c.req.valid('query');
      return exportResult(c, sql, params, format);
    })
    .post('/export', validate('json', ExportBody), async (c) => {
      const { sql, params, format } = c.req.valid('json');
      return exportResult(c, sql, params, format);
    });
}
