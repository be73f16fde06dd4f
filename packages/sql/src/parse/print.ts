/**
 * Prints syntax trees back as SQL. Every operator node is wrapped in parentheses, so the text means
 * the same to SQLite whatever the precedence rules, and parseExpression(exprToSql(e)) rebuilds e.
 */
import type {
  ColumnExpr,
  Expr,
  FromClause,
  FromItem,
  FunctionExpr,
  InSource,
  LiteralExpr,
  OrderingTerm,
  ResultColumn,
  Select,
  SelectCore,
  ValuesCore,
  WindowFrame,
  FrameBound,
  WindowSpec,
  WithClause,
} from './ast.js';
import { isFallbackWord, isKeywordWord } from './keywords.js';

const PLAIN_NAME = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*$/;

/** True when `name` can be written bare: identifier characters only, not a keyword, not TRUE/FALSE. */
function isPlainName(name: string): boolean {
  if (!PLAIN_NAME.test(name) || isKeywordWord(name)) return false;
  const lower = name.toLowerCase();
  return lower !== 'true' && lower !== 'false';
}

/** A name as SQL: bare when safe, otherwise double-quoted. */
function quoteName(name: string): string {
  return isPlainName(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

/** A column name that was not double-quoted: backticks keep SQLite from reading it as a string. */
function quoteColumn(column: ColumnExpr): string {
  if (column.doubleQuoted) return `"${column.column.replaceAll('"', '""')}"`;
  return isPlainName(column.column) ? column.column : `\`${column.column.replaceAll('`', '``')}\``;
}

/** Function names: fallback keywords such as replace, like or if are fine bare before `(`. */
function functionName(name: string): string {
  if (PLAIN_NAME.test(name) && (!isKeywordWord(name) || isFallbackWord(name))) {
    const upper = name.toUpperCase();
    if (upper !== 'CAST' && upper !== 'RAISE' && !upper.startsWith('CURRENT_')) return name;
  }
  return `"${name.replaceAll('"', '""')}"`;
}

function literalToSql(literal: LiteralExpr): string {
  const { value } = literal;
  if (value === null) return 'NULL';
  if (typeof value === 'bigint') return value < 0n ? `(-${-value})` : value.toString();
  if (typeof value === 'number') return numberToSql(value);
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  let hex = '';
  for (const byte of value) hex += byte.toString(16).padStart(2, '0');
  return `X'${hex.toUpperCase()}'`;
}

/** A REAL, always written so that it reads back as REAL (with a '.' or an exponent). */
function numberToSql(value: number): string {
  if (Number.isNaN(value)) return 'NULL';
  if (value < 0 || Object.is(value, -0)) return `(-${numberToSql(-value)})`;
  if (value === Infinity) return '1e999';
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** A type name: words that are not plain identifiers are quoted, the `(n, m)` part is kept. */
function typeToSql(type: string): string {
  const paren = type.indexOf('(');
  const words = paren < 0 ? type : type.slice(0, paren);
  const size = paren < 0 ? '' : type.slice(paren);
  const quoted = words.split(' ').map((word) => (word === '' || (PLAIN_NAME.test(word) && !isKeywordWord(word)) ? word : quoteName(word)));
  return quoted.join(' ') + size;
}

export function exprToSql(expr: Expr): string {
  switch (expr.kind) {
    case 'literal':
      return literalToSql(expr);
    case 'column': {
      const schema = expr.schema === undefined ? '' : `${quoteName(expr.schema)}.`;
      const table = expr.table === undefined ? '' : `${quoteName(expr.table)}.`;
      return schema + table + quoteColumn(expr);
    }
    case 'param':
      return expr.text;
    case 'unary':
      return expr.op === 'NOT' ? `(NOT ${exprToSql(expr.operand)})` : `(${expr.op}${exprToSql(expr.operand)})`;
    case 'binary':
      return `(${exprToSql(expr.left)} ${expr.op} ${exprToSql(expr.right)})`;
    case 'like': {
      const escape = expr.escape === undefined ? '' : ` ESCAPE ${exprToSql(expr.escape)}`;
      return `(${exprToSql(expr.operand)} ${expr.not ? 'NOT ' : ''}${expr.op} ${exprToSql(expr.pattern)}${escape})`;
    }
    case 'between':
      return `(${exprToSql(expr.operand)} ${expr.not ? 'NOT ' : ''}BETWEEN ${exprToSql(expr.low)} AND ${exprToSql(expr.high)})`;
    case 'in':
      return `(${exprToSql(expr.operand)} ${expr.not ? 'NOT ' : ''}IN ${inSourceToSql(expr.source)})`;
    case 'exists':
      return `EXISTS (${selectToSql(expr.query)})`;
    case 'subquery':
      return `(${selectToSql(expr.query)})`;
    case 'case': {
      const operand = expr.operand === undefined ? '' : ` ${exprToSql(expr.operand)}`;
      const whens = expr.whens.map((w) => ` WHEN ${exprToSql(w.when)} THEN ${exprToSql(w.then)}`).join('');
      const otherwise = expr.otherwise === undefined ? '' : ` ELSE ${exprToSql(expr.otherwise)}`;
      return `CASE${operand}${whens}${otherwise} END`;
    }
    case 'cast':
      return `CAST(${exprToSql(expr.operand)} AS ${typeToSql(expr.type)})`;
    case 'collate':
      return `(${exprToSql(expr.operand)} COLLATE ${quoteName(expr.collation)})`;
    case 'function':
      return functionToSql(expr);
    case 'row':
      return `(${expr.items.map(exprToSql).join(', ')})`;
    case 'raise':
      return expr.message === undefined ? `RAISE(${expr.action})` : `RAISE(${expr.action}, ${exprToSql(expr.message)})`;
  }
}

function inSourceToSql(source: InSource): string {
  switch (source.kind) {
    case 'list':
      return `(${source.items.map(exprToSql).join(', ')})`;
    case 'select':
      return `(${selectToSql(source.query)})`;
    case 'table': {
      const name = (source.schema === undefined ? '' : `${quoteName(source.schema)}.`) + quoteName(source.name);
      return source.args === undefined ? name : `${name}(${source.args.map(exprToSql).join(', ')})`;
    }
  }
}

function functionToSql(call: FunctionExpr): string {
  if (call.keyword) return call.name.toUpperCase();
  let args: string;
  if (call.star) args = '*';
  else {
    args = (call.distinct ? 'DISTINCT ' : '') + call.args.map(exprToSql).join(', ');
    if (call.orderBy.length > 0) args += ` ORDER BY ${orderingToSql(call.orderBy)}`;
  }
  let sql = `${functionName(call.name)}(${args})`;
  if (call.filter !== undefined) sql += ` FILTER (WHERE ${exprToSql(call.filter)})`;
  if (call.over !== undefined) sql += ` OVER ${overToSql(call.over)}`;
  return sql;
}

function orderingToSql(terms: readonly OrderingTerm[]): string {
  return terms.map((t) => `${exprToSql(t.expr)}${t.desc ? ' DESC' : ''}${t.nulls === undefined ? '' : ` NULLS ${t.nulls}`}`).join(', ');
}

/**
 * `OVER name` for a bare reference: SQLite reads `OVER (name)` as a new window based on `name`,
 * which it refuses when `name` has a frame.
 */
function overToSql(spec: WindowSpec): string {
  const bare = spec.base !== undefined && spec.parenthesized !== true && spec.partitionBy.length === 0 && spec.orderBy.length === 0 && spec.frame === undefined;
  return bare ? quoteName(spec.base) : `(${windowToSql(spec)})`;
}

function windowToSql(spec: WindowSpec): string {
  const parts: string[] = [];
  if (spec.base !== undefined) parts.push(quoteName(spec.base));
  if (spec.partitionBy.length > 0) parts.push(`PARTITION BY ${spec.partitionBy.map(exprToSql).join(', ')}`);
  if (spec.orderBy.length > 0) parts.push(`ORDER BY ${orderingToSql(spec.orderBy)}`);
  if (spec.frame !== undefined) parts.push(frameToSql(spec.frame));
  return parts.join(' ');
}

function frameToSql(frame: WindowFrame): string {
  const exclude = frame.exclude === undefined ? '' : ` EXCLUDE ${frame.exclude}`;
  return `${frame.units} BETWEEN ${boundToSql(frame.start)} AND ${boundToSql(frame.end)}${exclude}`;
}

function boundToSql(bound: FrameBound): string {
  return bound.offset === undefined ? bound.kind : `${exprToSql(bound.offset)} ${bound.kind}`;
}

// ── Queries ─────────────────────────────────────────────────────────────────────────────────

export function selectToSql(select: Select): string {
  let sql = select.with === undefined ? '' : `${withToSql(select.with)} `;
  sql += coreToSql(select.first);
  for (const { op, core } of select.compounds) sql += ` ${op} ${coreToSql(core)}`;
  if (select.orderBy.length > 0) sql += ` ORDER BY ${orderingToSql(select.orderBy)}`;
  if (select.limit !== undefined || select.offset !== undefined) {
    sql += ` LIMIT ${select.limit === undefined ? '-1' : exprToSql(select.limit)}`;
    if (select.offset !== undefined) sql += ` OFFSET ${exprToSql(select.offset)}`;
  }
  return sql;
}

function withToSql(clause: WithClause): string {
  const ctes = clause.ctes.map((cte) => {
    const columns = cte.columns === undefined ? '' : `(${cte.columns.map(quoteName).join(', ')})`;
    const materialized = cte.materialized === undefined ? '' : cte.materialized ? 'MATERIALIZED ' : 'NOT MATERIALIZED ';
    return `${quoteName(cte.name)}${columns} AS ${materialized}(${selectToSql(cte.query)})`;
  });
  return `WITH ${clause.recursive ? 'RECURSIVE ' : ''}${ctes.join(', ')}`;
}

function coreToSql(core: SelectCore | ValuesCore): string {
  if (core.kind === 'values') return `VALUES ${core.rows.map((row) => `(${row.map(exprToSql).join(', ')})`).join(', ')}`;
  let sql = `SELECT ${core.distinct ? 'DISTINCT ' : ''}${core.columns.map(resultColumnToSql).join(', ')}`;
  if (core.from !== undefined) sql += ` FROM ${fromToSql(core.from)}`;
  if (core.where !== undefined) sql += ` WHERE ${exprToSql(core.where)}`;
  if (core.groupBy.length > 0) sql += ` GROUP BY ${core.groupBy.map(exprToSql).join(', ')}`;
  if (core.having !== undefined) sql += ` HAVING ${exprToSql(core.having)}`;
  if (core.windows.length > 0) {
    sql += ` WINDOW ${core.windows.map((w) => `${quoteName(w.name)} AS (${windowToSql(w.spec)})`).join(', ')}`;
  }
  return sql;
}

function resultColumnToSql(column: ResultColumn): string {
  switch (column.kind) {
    case 'star':
      return '*';
    case 'tableStar':
      return `${quoteName(column.table)}.*`;
    case 'expr':
      return exprToSql(column.expr) + (column.alias === undefined ? '' : ` AS ${quoteName(column.alias)}`);
  }
}

function fromToSql(from: FromClause): string {
  let sql = '';
  for (const { item, join, on, using } of from.items) {
    if (join !== undefined) {
      if (join.kind === 'comma') sql += ', ';
      else {
        const natural = join.natural ? 'NATURAL ' : '';
        const kind = join.kind === 'inner' ? '' : `${join.kind.toUpperCase()} `;
        sql += ` ${natural}${kind}JOIN `;
      }
    }
    sql += fromItemToSql(item);
    if (on !== undefined) sql += ` ON ${exprToSql(on)}`;
    if (using !== undefined) sql += ` USING (${using.map(quoteName).join(', ')})`;
  }
  return sql;
}

function fromItemToSql(item: FromItem): string {
  const alias = item.alias === undefined ? '' : ` AS ${quoteName(item.alias)}`;
  switch (item.kind) {
    case 'table': {
      let sql = (item.schema === undefined ? '' : `${quoteName(item.schema)}.`) + quoteName(item.name);
      if (item.args !== undefined) sql += `(${item.args.map(exprToSql).join(', ')})`;
      sql += alias;
      if (item.indexedBy === null) sql += ' NOT INDEXED';
      else if (item.indexedBy !== undefined) sql += ` INDEXED BY ${quoteName(item.indexedBy)}`;
      return sql;
    }
    case 'subquery':
      return `(${selectToSql(item.query)})${alias}`;
    case 'join':
      return `(${fromToSql(item.from)})${alias}`;
  }
}
