// Terse constructors for expected syntax trees in the parser tests.
import type {
  BinaryOperator,
  ColumnExpr,
  Expr,
  FromItem,
  FunctionExpr,
  JoinedItem,
  LiteralExpr,
  OrderingTerm,
  ResultColumn,
  Select,
  SelectCore,
  Statement,
  TableSource,
  UnaryOperator,
  ValuesCore,
} from '../../src/parse/index.js';
import { parseExpression, parseSql } from '../../src/parse/index.js';

export const lit = (value: LiteralExpr['value']): LiteralExpr => ({ kind: 'literal', value });
export const NULL = lit(null);

export function col(column: string, table?: string, schema?: string, doubleQuoted = false): ColumnExpr {
  return { kind: 'column', schema, table, column, doubleQuoted };
}

export const bin = (op: BinaryOperator, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
export const un = (op: UnaryOperator, operand: Expr): Expr => ({ kind: 'unary', op, operand });

export function fn(name: string, args: readonly Expr[], extra: Partial<FunctionExpr> = {}): FunctionExpr {
  return { kind: 'function', name, args, star: false, distinct: false, orderBy: [], filter: undefined, over: undefined, keyword: false, ...extra };
}

export function asc(expr: Expr, extra: Partial<OrderingTerm> = {}): OrderingTerm {
  return { expr, desc: false, nulls: undefined, ...extra };
}

export function table(name: string, extra: Partial<TableSource> = {}): TableSource {
  return { kind: 'table', schema: undefined, name, alias: undefined, indexedBy: undefined, args: undefined, ...extra };
}

export function joined(item: FromItem, extra: Partial<JoinedItem> = {}): JoinedItem {
  return { item, join: undefined, on: undefined, using: undefined, ...extra };
}

export function rc(expr: Expr, text: string, alias?: string): ResultColumn {
  return { kind: 'expr', expr, alias, text };
}

export function core(columns: readonly ResultColumn[], extra: Partial<SelectCore> = {}): SelectCore {
  return { kind: 'select', distinct: false, columns, from: undefined, where: undefined, groupBy: [], having: undefined, windows: [], ...extra };
}

export function query(first: SelectCore | ValuesCore, extra: Partial<Select> = {}): Select {
  return { with: undefined, first, compounds: [], orderBy: [], limit: undefined, offset: undefined, ...extra };
}

/** The only statement of `sql`. */
export function one(sql: string): Statement {
  const statements = parseSql(sql);
  if (statements.length !== 1) throw new Error(`expected one statement, got ${statements.length}`);
  return statements[0]!;
}

/** The query of a single SELECT statement. */
export function selectOf(sql: string): Select {
  const statement = one(sql);
  if (statement.kind !== 'select') throw new Error(`expected a SELECT, got ${statement.kind}`);
  return statement.query;
}

/** The first core of a single SELECT statement. */
export function coreOf(sql: string): SelectCore {
  const { first } = selectOf(sql);
  if (first.kind !== 'select') throw new Error('expected a SELECT core');
  return first;
}

export const expr = parseExpression;
