/**
 * The token cursor shared by every grammar file, plus the parse-wide state SQLite keeps in its
 * Parse object: the parameter counter, the expression height of the last expression parsed, and
 * a nesting bound that turns absurdly deep input into a QueryError before the JS stack runs out.
 * It also carries the Grammar: the productions the grammar files reach one another through.
 */
import type { QueryError } from '@sochdb/core';
import type { Expr, FromClause, LiteralExpr, NamedWindow, OrderingTerm, Select, WindowSpec } from './ast.js';
import { sqlError } from './errors.js';
import { IS_NM, TK_EOF, TK_ILLEGAL, TK_STRING } from './keywords.js';
import type { TokenStream } from './lexer.js';
import { decodeIdentifier, decodeString } from './literals.js';

/** SQLite's SQLITE_MAX_EXPR_DEPTH. */
export const MAX_EXPR_HEIGHT = 1000;
/**
 * Bound on grammar recursion, chosen so the JS stack (Node's default ~1 MB) is never the limit:
 * about 1200 nested parentheses or calls (SQLite's own parser stack stops at 2493 parentheses,
 * 831 nested calls, 498 nested CASEs and 43 nested subqueries). Heavier constructs weigh more.
 */
export const MAX_NESTING = 1200;

/**
 * The productions that SQL's grammar re-enters from other grammar files: an expression holds a
 * subquery, whose FROM clause and ORDER BY hold expressions, whose function calls hold ORDER BY
 * and window clauses, and so on. The files that define them (expressions, primary, select, from,
 * windows) never import one another: a call from one into another goes through `p.grammar`,
 * assembled once in grammar.ts, so the recursion is spelled out in one place instead of being a
 * circle of imports. A file calls its own productions directly, and the statement files above
 * these five import what they use (nothing below imports them back).
 */
export interface Grammar {
  /** An expression whose operators bind at least as tightly as `minPrec` (expressions.ts). */
  readonly expr: (p: Parser, minPrec?: number) => Expr;
  /** Comma-separated expressions (expressions.ts). */
  readonly exprList: (p: Parser) => Expr[];
  /** One primary expression; `negated`: a unary minus precedes it (primary.ts). */
  readonly primary: (p: Parser, negated: boolean) => Expr;
  /** A whole query, WITH clause included (select.ts). */
  readonly select: (p: Parser) => Select;
  /** The items after FROM (from.ts). */
  readonly fromClause: (p: Parser) => FromClause;
  /** `expr [ASC|DESC] [NULLS FIRST|LAST], …` (windows.ts). */
  readonly orderingTerms: (p: Parser) => OrderingTerm[];
  /** `[FILTER (WHERE …)] [OVER …]` after a function call (windows.ts). */
  readonly filterOver: (p: Parser) => { filter: Expr | undefined; over: WindowSpec | undefined };
  /** A SELECT's `WINDOW name AS (…), …` (windows.ts). */
  readonly windowClause: (p: Parser) => NamedWindow[];
}

export class Parser {
  readonly src: string;
  readonly types: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  private readonly illegal: ReadonlyMap<number, string>;
  pos = 0;
  /** SQLite's Expr.nHeight of the expression the last expression parser returned. */
  height = 0;
  /** Current grammar recursion depth (see MAX_NESTING). */
  nesting = 0;
  /** SQLite's pParse->nVar: the highest parameter number handed out so far. */
  paramCount = 0;
  /** The literal most recently made from an INTEGER token that a unary minus must treat specially. */
  edgeLiteral: LiteralExpr | undefined = undefined;
  edgeKind: 'pow63' | 'hexMin' | undefined = undefined;
  edgeIndex = -1;
  /** > 0 while parsing the SELECT of an INSERT, where `ON CONFLICT` starts an upsert, not a join constraint. */
  insertSelect = 0;
  /** The most items an `IN (…)` list may have (see ParseOptions). */
  maxInListItems = Infinity;

  constructor(
    tokens: TokenStream,
    readonly grammar: Grammar,
  ) {
    this.src = tokens.src;
    this.types = tokens.types;
    this.starts = tokens.starts;
    this.ends = tokens.ends;
    this.illegal = tokens.illegal;
  }

  peek(): number {
    return this.types[this.pos]!;
  }

  peekAt(offset: number): number {
    return this.types[this.pos + offset] ?? TK_EOF;
  }

  /** Consumes the current token if it has type `type`. */
  eat(type: number): boolean {
    if (this.types[this.pos] !== type) return false;
    this.pos++;
    return true;
  }

  /** Consumes a token of type `type` and returns its index, or throws a syntax error. */
  expect(type: number): number {
    if (this.types[this.pos] !== type) throw this.syntaxError();
    return this.pos++;
  }

  /** SQLite's syntax error for the token at `index`: `near "…"`, `incomplete input`, or the lexer's reason. */
  syntaxError(index: number = this.pos): QueryError {
    const type = this.types[index];
    const start = this.starts[index]!;
    if (type === TK_ILLEGAL) return sqlError(this.src, start, this.illegal.get(index) ?? 'unrecognized token');
    if (type === TK_EOF) return sqlError(this.src, start, 'incomplete input');
    return sqlError(this.src, start, `near "${this.text(index)}": syntax error`);
  }

  /** An error with SQLite's message `problem`, located at token `index`. */
  errorAt(index: number, problem: string): QueryError {
    return sqlError(this.src, this.starts[index]!, problem);
  }

  /** Source text of token `index`. */
  text(index: number): string {
    return this.src.slice(this.starts[index], this.ends[index]);
  }

  /** Source text from the start of token `first` to the end of token `last`. */
  span(first: number, last: number): string {
    return this.src.slice(this.starts[first], this.ends[last]);
  }

  /** True when token `index` is the bare word `upper` (given in upper case), in any case. */
  isWord(index: number, upper: string): boolean {
    const start = this.starts[index]!;
    if (this.ends[index]! - start !== upper.length) return false;
    for (let i = 0; i < upper.length; i++) {
      let c = this.src.charCodeAt(start + i);
      if (c >= 97 && c <= 122) c -= 32;
      if (c !== upper.charCodeAt(i)) return false;
    }
    return true;
  }

  /** The name a name-like token stands for: identifiers and keywords as written (dequoted), strings by value. */
  nameOf(index: number): string {
    const start = this.starts[index]!;
    const end = this.ends[index]!;
    return this.types[index] === TK_STRING ? decodeString(this.src, start, end) : decodeIdentifier(this.src, start, end);
  }

  /** Consumes a token of class `cls` (IS_NM, IS_IDS, …; default parse.y's `nm`) and returns its name. */
  name(cls: Uint8Array = IS_NM): string {
    if (cls[this.types[this.pos]!] !== 1) throw this.syntaxError();
    return this.nameOf(this.pos++);
  }

  /** Enters one level of grammar recursion (see MAX_NESTING); pair with leave(). */
  enter(weight = 1): void {
    this.nesting += weight;
    if (this.nesting > MAX_NESTING) throw this.errorAt(this.pos, 'Recursion limit');
  }

  leave(weight = 1): void {
    this.nesting -= weight;
  }

  /** Checks SQLite's expression height limit for a node whose operator is token `index`. */
  checkHeight(height: number, index: number): void {
    if (height > MAX_EXPR_HEIGHT) {
      throw this.errorAt(index, `Expression tree is too large (maximum depth ${MAX_EXPR_HEIGHT})`);
    }
  }
}
