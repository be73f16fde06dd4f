import { QueryError } from '@sochdb/core';

/**
 * A small SQL lexer used before node-sql-parser: to split `;`-separated statements, number `?`
 * parameters in text order, and cut out the clauses the parser's SQLite grammar lacks
 * (ON CONFLICT, INTERSECT/EXCEPT, EXPLAIN, DROP INDEX). It only needs to know where strings,
 * identifiers and comments start and end, which node-sql-parser does not expose.
 */
export interface Token {
  readonly kind: 'word' | 'string' | 'ident' | 'number' | 'param' | 'punct' | 'space';
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: Token['kind'], end: number) => {
    tokens.push({ kind, text: sql.slice(i, end), start: i, end });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /\s/.test(sql[j]!)) j++;
      push('space', j);
    } else if (c === '-' && next === '-') {
      const j = sql.indexOf('\n', i);
      push('space', j < 0 ? sql.length : j);
    } else if (c === '/' && next === '*') {
      const j = sql.indexOf('*/', i + 2);
      if (j < 0) throw syntaxAt(sql, i, 'unterminated /* comment');
      push('space', j + 2);
    } else if (c === "'" || c === '"' || c === '`') {
      push(c === "'" ? 'string' : 'ident', closeQuote(sql, i, c));
    } else if (c === '[') {
      const j = sql.indexOf(']', i);
      if (j < 0) throw syntaxAt(sql, i, 'unterminated [identifier]');
      push('ident', j + 1);
    } else if ((c === 'x' || c === 'X') && next === "'") {
      push('string', closeQuote(sql, i + 1, "'"));
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]!)) j++;
      push('word', j);
    } else if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      const m = /^(0x[0-9a-fA-F]+|(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)/.exec(sql.slice(i))!;
      push('number', i + m[0].length);
    } else if (c === '?' || c === '$' || c === ':' || c === '@') {
      const m = /^[?$:@][A-Za-z0-9_]*/.exec(sql.slice(i))!;
      if (m[0].length === 1 && c !== '?') push('punct', i + 1);
      else push('param', i + m[0].length);
    } else {
      const two = sql.slice(i, i + 2);
      push('punct', ['<=', '>=', '<>', '!=', '==', '||', '<<', '>>'].includes(two) ? i + 2 : i + 1);
    }
  }
  return tokens;
}

function closeQuote(sql: string, start: number, quote: string): number {
  let j = start + 1;
  for (;;) {
    const k = sql.indexOf(quote, j);
    if (k < 0) throw syntaxAt(sql, start, `unterminated ${quote === "'" ? 'string' : 'quoted identifier'}`);
    if (sql[k + 1] === quote) {
      j = k + 2;
      continue;
    }
    return k + 1;
  }
}

/** 1-based line and column of a character offset. */
export function lineColumn(sql: string, offset: number): { line: number; column: number } {
  const before = sql.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export function syntaxAt(sql: string, offset: number, what: string): QueryError {
  const { line, column } = lineColumn(sql, offset);
  return new QueryError(`SQL syntax error at line ${line}, column ${column}: ${what}`, {
    line,
    column,
    remediation: 'Fix the SQL text at the position given; see the @sochdb/sql README for the supported syntax.',
  });
}

/** A statement's tokens (without surrounding space) and where it starts in the full text. */
export interface StatementText {
  readonly tokens: readonly Token[];
  readonly start: number;
}

/** Splits on top-level `;`, numbering `?` parameters across the whole text as SQLite would. */
export function splitStatements(sql: string): StatementText[] {
  const out: StatementText[] = [];
  let current: Token[] = [];
  let nextParam = 1;
  const flush = () => {
    const meaningful = current.filter((t) => t.kind !== 'space');
    if (meaningful.length > 0) out.push({ tokens: current, start: meaningful[0]!.start });
    current = [];
  };
  for (const t of tokenize(sql)) {
    if (t.kind === 'punct' && t.text === ';') {
      flush();
      continue;
    }
    if (t.kind === 'param' && t.text.startsWith('?')) {
      const n = t.text.length > 1 ? Number(t.text.slice(1)) : nextParam;
      nextParam = Math.max(nextParam, n + 1);
      current.push({ ...t, text: `$${n}` });
      continue;
    }
    current.push(t);
  }
  flush();
  return out;
}

export function upper(t: Token | undefined): string {
  return t && t.kind === 'word' ? t.text.toUpperCase() : '';
}

/** Index of the first top-level token (outside parentheses) satisfying `test`, from `from`. */
export function findTopLevel(tokens: readonly Token[], test: (t: Token, i: number) => boolean, from = 0): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') depth--;
    else if (depth === 0 && test(t, i)) return i;
  }
  return -1;
}

export function joinTokens(tokens: readonly Token[]): string {
  return tokens.map((t) => t.text).join('');
}

/** The next non-space token index at or after `i`. */
export function skipSpace(tokens: readonly Token[], i: number): number {
  while (i < tokens.length && tokens[i]!.kind === 'space') i++;
  return i;
}
