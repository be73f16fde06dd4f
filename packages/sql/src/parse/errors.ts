/**
 * Parse errors. Every failure is a SqlSyntaxError (code 5004, a QueryError) whose message names the 1-based line and
 * column of the offending token, followed by SQLite's own wording for the problem.
 */
import { SqlSyntaxError } from '@sochdb/core';

const REMEDIATION = 'Fix the SQL at the position given; see the @sochdb/sql README for the supported syntax.';

/** 1-based line and column (in UTF-16 code units) of `offset` in `src`. */
function positionOf(src: string, offset: number): { readonly line: number; readonly column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = src.indexOf('\n'); i >= 0 && i < offset; i = src.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** A SqlSyntaxError for `problem` (SQLite's wording, e.g. `near "x": syntax error`) at `offset`. */
export function sqlError(src: string, offset: number, problem: string): SqlSyntaxError {
  const { line, column } = positionOf(src, offset);
  return new SqlSyntaxError(`SQL syntax error at line ${line}, column ${column}: ${problem}`, {
    line,
    column,
    remediation: REMEDIATION,
  });
}
