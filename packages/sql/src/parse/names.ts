/**
 * Small name-shaped productions of parse.y shared by several statements: `nm dbnm`, `as`,
 * `idlist`, `eidlist`, `typetoken` and signed numbers.
 */
import {
  IS_IDS,
  TK_ALWAYS,
  TK_AS,
  TK_ASC,
  TK_COLLATE,
  TK_COMMA,
  TK_DESC,
  TK_DOT,
  TK_FLOAT,
  TK_GENERATED,
  TK_INTEGER,
  TK_LP,
  TK_MINUS,
  TK_PLUS,
  TK_RP,
} from './keywords.js';
import type { Parser } from './parser-core.js';

export interface QualifiedName {
  readonly schema: string | undefined;
  readonly name: string;
}

/** `nm [. nm]` (parse.y `nm dbnm` / `fullname`). */
export function parseQualifiedName(p: Parser): QualifiedName {
  const first = p.name();
  if (!p.eat(TK_DOT)) return { schema: undefined, name: first };
  return { schema: first, name: p.name() };
}

/** `AS nm` or an implicit alias (an identifier or string, never a join keyword or INDEXED). */
export function parseAlias(p: Parser): string | undefined {
  if (p.eat(TK_AS)) return p.name();
  return IS_IDS[p.peek()] === 1 ? p.nameOf(p.pos++) : undefined;
}

/** `nm, nm, …` (parse.y `idlist`). */
export function parseIdList(p: Parser): string[] {
  const names = [p.name()];
  while (p.eat(TK_COMMA)) names.push(p.name());
  return names;
}

/** `( idlist )`. */
export function parseParenIdList(p: Parser): string[] {
  p.expect(TK_LP);
  const names = parseIdList(p);
  p.expect(TK_RP);
  return names;
}

/**
 * `( nm [COLLATE x] [ASC|DESC], … )` (parse.y `eidlist`): SQLite parses the decorations only to
 * reject them with its own message (they are accepted in legacy schemas, which we never load).
 */
export function parseEidList(p: Parser): string[] {
  p.expect(TK_LP);
  const names: string[] = [];
  do {
    const index = p.pos;
    names.push(p.name());
    const decorated = p.peek() === TK_COLLATE || p.peek() === TK_ASC || p.peek() === TK_DESC;
    if (decorated) throw p.errorAt(index, `syntax error after column name "${p.nameOf(index)}"`);
  } while (p.eat(TK_COMMA));
  p.expect(TK_RP);
  return names;
}

/**
 * parse.y `typetoken`: identifier words, then optionally `(n)` or `(n, m)` with signed numbers.
 * Returns the words joined by one space plus the parenthesized part without spaces, or '' when
 * there is no type. In a column definition a trailing `GENERATED ALWAYS` belongs to the
 * constraint, not the type (SQLite strips it from the type text after the fact).
 */
export function parseTypeName(p: Parser, inColumnDefinition: boolean): string {
  let type = '';
  while (IS_IDS[p.peek()] === 1) {
    if (inColumnDefinition && p.peek() === TK_GENERATED && p.peekAt(1) === TK_ALWAYS) break;
    const word = p.nameOf(p.pos++);
    type = type === '' ? word : `${type} ${word}`;
  }
  if (type === '' || p.peek() !== TK_LP) return type;
  p.pos++;
  let size = parseSignedNumberText(p);
  if (p.eat(TK_COMMA)) size += `,${parseSignedNumberText(p)}`;
  p.expect(TK_RP);
  return `${type}(${size})`;
}

/** `[+|-] number` as written, without inner spaces. */
function parseSignedNumberText(p: Parser): string {
  let sign = '';
  if (p.eat(TK_PLUS)) sign = '+';
  else if (p.eat(TK_MINUS)) sign = '-';
  const type = p.peek();
  if (type !== TK_INTEGER && type !== TK_FLOAT) throw p.syntaxError();
  return sign + p.text(p.pos++);
}
