/**
 * The Grammar every Parser carries (see parser-core.ts): the one place that names the files of
 * the recursive part of SQL's grammar together, so they need not import one another.
 */
import { parseExpr, parseExprList } from './expressions.js';
import { parseFromClause } from './from.js';
import type { Grammar } from './parser-core.js';
import { parsePrimary } from './primary.js';
import { parseSelect } from './select.js';
import { parseFilterOver, parseOrderingTerms, parseWindowClause } from './windows.js';

export const GRAMMAR: Grammar = {
  expr: parseExpr,
  exprList: parseExprList,
  primary: parsePrimary,
  select: parseSelect,
  fromClause: parseFromClause,
  orderingTerms: parseOrderingTerms,
  filterOver: parseFilterOver,
  windowClause: parseWindowClause,
};
