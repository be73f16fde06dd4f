// Splitting typed or piped SQL into statements, the way sqlite3's shell does (sqlite3_complete):
// a statement ends at a `;` outside string literals, quoted identifiers and comments, except
// inside the BEGIN … END body of a CREATE TRIGGER, which ends at `END ;`.

/** One complete statement cut from the input, with the `;` that ends it. */
export interface SplitStatement {
  /** The statement's text, from its first significant character to its `;` inclusive. */
  readonly sql: string;
  /** 0-based offset of `sql` in the text given to splitStatements. */
  readonly offset: number;
}

export interface SplitResult {
  /** Complete statements in input order; empty ones (`;` alone, only comments) are left out. */
  readonly statements: SplitStatement[];
  /** What follows the last complete statement: an unfinished statement, or only whitespace and comments. */
  readonly rest: string;
  /** Offset of `rest` in the text given. */
  readonly restOffset: number;
  /** True when `rest` holds only whitespace and comments: nothing is waiting to run. */
  readonly restIsBlank: boolean;
}

const isWordChar = (c: string) => /[\p{L}\p{N}_$]/u.test(c);

/**
 * Cuts `text` into complete statements plus an unfinished rest. A statement is complete at a `;`
 * that is not inside '…', "…", `…`, […], a -- comment or a /* comment *\/, and not inside a CREATE
 * [TEMP] TRIGGER's body unless the word before the `;` is END.
 */
export function splitStatements(text: string): SplitResult {
  const statements: SplitStatement[] = [];
  let start = 0; // where the current statement's text begins
  let significant = false; // the current statement has a token other than whitespace/comments
  let words: string[] = []; // the first three words of the current statement, upper-cased
  let lastWord = ''; // the last significant token, upper-cased when a word ('' after punctuation)
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? n : nl + 1;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? n : close + 2;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === ';') {
      const inTrigger = isCreateTrigger(words);
      if (!inTrigger || lastWord === 'END') {
        if (significant) statements.push({ sql: text.slice(start, i + 1), offset: start });
        start = i + 1;
        significant = false;
        words = [];
        lastWord = '';
      } else {
        lastWord = '';
      }
      i++;
      continue;
    }
    if (!significant) {
      significant = true;
      // Comments before the statement are not part of it: start it here.
      start = i;
    }
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        const k = text.indexOf(close, j);
        if (k === -1) {
          j = n;
          break;
        }
        // A doubled quote inside the literal is an escaped quote ('it''s').
        if (close !== ']' && text[k + 1] === close) {
          j = k + 2;
          continue;
        }
        j = k + 1;
        break;
      }
      lastWord = '';
      i = j;
      continue;
    }
    if (isWordChar(c)) {
      let j = i + 1;
      while (j < n && isWordChar(text[j]!)) j++;
      const word = text.slice(i, j).toUpperCase();
      if (words.length < 3) words.push(word);
      lastWord = word;
      i = j;
      continue;
    }
    lastWord = '';
    i++;
  }
  return { statements, rest: text.slice(start), restOffset: start, restIsBlank: !significant };
}

function isCreateTrigger(words: readonly string[]): boolean {
  if (words[0] !== 'CREATE') return false;
  if (words[1] === 'TRIGGER') return true;
  return (words[1] === 'TEMP' || words[1] === 'TEMPORARY') && words[2] === 'TRIGGER';
}

/** The first word of a statement, upper-cased, skipping comments ('' when there is none). */
export function firstKeyword(sql: string): string {
  const stripped = sql.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  const match = /^[A-Za-z]+/.exec(stripped);
  return match === null ? '' : match[0].toUpperCase();
}
