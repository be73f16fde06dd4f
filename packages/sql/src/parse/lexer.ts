/**
 * The tokenizer, following SQLite's tokenize.c (sqlite3GetToken) rule for rule. The whole text is
 * tokenized up front into parallel typed arrays (type, start, end) so the parser can look ahead
 * cheaply; token text is only sliced out of the source when the parser needs a value.
 *
 * A token SQLite rejects becomes a TK_ILLEGAL token carrying its message, and the error is raised
 * only when the parser reaches it — as in SQLite, a syntax error earlier in the text wins.
 */
import {
  IS_PEEK_ID,
  TK_AS,
  TK_BITAND,
  TK_BITNOT,
  TK_BITOR,
  TK_BLOB,
  TK_COMMA,
  TK_CONCAT,
  TK_DOT,
  TK_EOF,
  TK_EQ,
  TK_FILTER,
  TK_FLOAT,
  TK_GE,
  TK_GT,
  TK_ID,
  TK_ILLEGAL,
  TK_INTEGER,
  TK_LE,
  TK_LP,
  TK_LSHIFT,
  TK_LT,
  TK_MINUS,
  TK_NE,
  TK_OVER,
  TK_PLUS,
  TK_PTR,
  TK_PTR2,
  TK_REM,
  TK_RP,
  TK_RSHIFT,
  TK_SEMI,
  TK_SLASH,
  TK_STAR,
  TK_STRING,
  TK_VARIABLE,
  TK_WINDOW,
  keywordType,
} from './keywords.js';

export interface TokenStream {
  readonly src: string;
  /** Number of tokens, including the final TK_EOF. */
  readonly count: number;
  readonly types: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Why each TK_ILLEGAL token was rejected, by token index. */
  readonly illegal: ReadonlyMap<number, string>;
}

// Character classes for the first character of a token (ASCII only; everything >= 0x80 is CC_ID).
const CC_ID = 0; // letters, '_', non-ASCII: identifier or keyword
const CC_DIGIT = 1;
const CC_SPACE = 2;
const CC_QUOTE = 3; // ' " `
const CC_QUOTE2 = 4; // [
const CC_VARNUM = 5; // ?
const CC_VARALPHA = 6; // $ @ # :
const CC_X = 7; // x X: blob literal or identifier
const CC_PUNCT = 8; // handled by a switch on the character itself
const CC_ILLEGAL = 9;

const charClass = new Uint8Array(128).fill(CC_ILLEGAL);
/** IdChar() of tokenize.c for ASCII: letters, digits, '_' and '$'. */
const idChar = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z_]/.test(ch)) charClass[c] = CC_ID;
  if (/[A-Za-z0-9_$]/.test(ch)) idChar[c] = 1;
  if (/[0-9]/.test(ch)) charClass[c] = CC_DIGIT;
}
for (const c of [9, 10, 12, 13, 32]) charClass[c] = CC_SPACE;
for (const ch of `'"\``) charClass[ch.charCodeAt(0)] = CC_QUOTE;
charClass[0x5b] = CC_QUOTE2;
charClass[0x3f] = CC_VARNUM;
for (const ch of '$@#:') charClass[ch.charCodeAt(0)] = CC_VARALPHA;
charClass[0x78] = CC_X;
charClass[0x58] = CC_X;
for (const ch of '-()/;+*%=<>!|,&~.') charClass[ch.charCodeAt(0)] = CC_PUNCT;

function isIdChar(c: number): boolean {
  return c >= 128 ? true : idChar[c] === 1;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
/** sqlite3Isspace: includes \v, which is nevertheless illegal as the first character of a token. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xfeff;
}

const DIGIT_SEPARATOR = 95; // '_'

class Tokens {
  types: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  count = 0;
  illegal: Map<number, string> | undefined;

  constructor(capacity: number) {
    this.types = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  push(type: number, start: number, end: number): void {
    if (this.count === this.types.length) this.grow();
    const i = this.count++;
    this.types[i] = type;
    this.starts[i] = start;
    this.ends[i] = end;
  }

  pushIllegal(start: number, end: number, message: string): void {
    (this.illegal ??= new Map()).set(this.count, message);
    this.push(TK_ILLEGAL, start, end);
  }

  private grow(): void {
    const size = this.types.length * 2;
    const types = new Uint8Array(size);
    types.set(this.types);
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    this.types = types;
    this.starts = starts;
    this.ends = ends;
  }
}

export function tokenize(src: string): TokenStream {
  const n = src.length;
  const out = new Tokens(Math.max(16, (n >> 2) + 8));
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    const cls = c < 128 ? charClass[c]! : c === 0xfeff ? CC_SPACE : CC_ID;
    const start = i;
    switch (cls) {
      case CC_SPACE:
        i++;
        while (i < n && isSpace(src.charCodeAt(i))) i++;
        continue;
      case CC_ID: {
        i++;
        while (i < n && isIdChar(src.charCodeAt(i))) i++;
        out.push(c < 128 ? keywordType(src, start, i) : TK_ID, start, i);
        continue;
      }
      case CC_X: {
        if (src.charCodeAt(i + 1) === 39) {
          i = scanBlob(src, i, out);
        } else {
          i++;
          while (i < n && isIdChar(src.charCodeAt(i))) i++;
          out.push(TK_ID, start, i);
        }
        continue;
      }
      case CC_DIGIT:
        i = scanNumber(src, i, out);
        continue;
      case CC_QUOTE:
        i = scanQuoted(src, i, c, out);
        continue;
      case CC_QUOTE2: {
        const close = src.indexOf(']', i + 1);
        if (close < 0) {
          out.pushIllegal(start, n, `unrecognized token: "${src.slice(start, n)}"`);
          i = n;
        } else {
          i = close + 1;
          out.push(TK_ID, start, i);
        }
        continue;
      }
      case CC_VARNUM:
        i++;
        while (i < n && isDigit(src.charCodeAt(i))) i++;
        out.push(TK_VARIABLE, start, i);
        continue;
      case CC_VARALPHA: {
        i++;
        while (i < n && isIdChar(src.charCodeAt(i))) i++;
        if (i === start + 1) out.pushIllegal(start, i, `unrecognized token: "${src.slice(start, i)}"`);
        else out.push(TK_VARIABLE, start, i);
        continue;
      }
      case CC_PUNCT:
        i = scanPunctuation(src, i, c, out);
        continue;
      default:
        i++;
        out.pushIllegal(start, i, `unrecognized token: "${src.slice(start, i)}"`);
        continue;
    }
  }
  out.push(TK_EOF, n, n);
  classifyWindowKeywords(out);
  return { src, count: out.count, types: out.types, starts: out.starts, ends: out.ends, illegal: out.illegal ?? new Map() };
}

function scanPunctuation(src: string, i: number, c: number, out: Tokens): number {
  const next = src.charCodeAt(i + 1);
  let type: number;
  let length = 1;
  switch (c) {
    case 45: // -
      if (next === 45) {
        const eol = src.indexOf('\n', i + 2);
        return eol < 0 ? src.length : eol;
      }
      if (next === 62) {
        const long = src.charCodeAt(i + 2) === 62;
        type = long ? TK_PTR2 : TK_PTR;
        length = long ? 3 : 2;
      } else type = TK_MINUS;
      break;
    case 47: // /
      // tokenize.c: "/*" is a comment only when something follows it; an unterminated comment runs to the end.
      if (next === 42 && i + 2 < src.length) {
        const close = src.indexOf('*/', i + 2);
        return close < 0 ? src.length : close + 2;
      }
      type = TK_SLASH;
      break;
    case 40:
      type = TK_LP;
      break;
    case 41:
      type = TK_RP;
      break;
    case 59:
      type = TK_SEMI;
      break;
    case 43:
      type = TK_PLUS;
      break;
    case 42:
      type = TK_STAR;
      break;
    case 37:
      type = TK_REM;
      break;
    case 44:
      type = TK_COMMA;
      break;
    case 38:
      type = TK_BITAND;
      break;
    case 126:
      type = TK_BITNOT;
      break;
    case 61: // = or ==
      type = TK_EQ;
      if (next === 61) length = 2;
      break;
    case 60: // < <= <> <<
      if (next === 61) type = TK_LE;
      else if (next === 62) type = TK_NE;
      else if (next === 60) type = TK_LSHIFT;
      else type = TK_LT;
      if (type !== TK_LT) length = 2;
      break;
    case 62: // > >= >>
      if (next === 61) type = TK_GE;
      else if (next === 62) type = TK_RSHIFT;
      else type = TK_GT;
      if (type !== TK_GT) length = 2;
      break;
    case 33: // != (a lone ! is illegal)
      if (next !== 61) {
        out.pushIllegal(i, i + 1, 'unrecognized token: "!"');
        return i + 1;
      }
      type = TK_NE;
      length = 2;
      break;
    case 124: // | or ||
      if (next === 124) {
        type = TK_CONCAT;
        length = 2;
      } else type = TK_BITOR;
      break;
    case 46: // . or a number like .5
      if (isDigit(next)) return scanNumber(src, i, out);
      type = TK_DOT;
      break;
    default:
      out.pushIllegal(i, i + 1, `unrecognized token: "${src[i]}"`);
      return i + 1;
  }
  out.push(type, i, i + length);
  return i + length;
}

function scanQuoted(src: string, start: number, delim: number, out: Tokens): number {
  const n = src.length;
  let i = start + 1;
  for (;;) {
    const close = src.indexOf(delim === 39 ? "'" : delim === 34 ? '"' : '`', i);
    if (close < 0) {
      out.pushIllegal(start, n, `unrecognized token: "${src.slice(start, n)}"`);
      return n;
    }
    if (src.charCodeAt(close + 1) === delim) {
      i = close + 2;
      continue;
    }
    out.push(delim === 39 ? TK_STRING : TK_ID, start, close + 1);
    return close + 1;
  }
}

function scanBlob(src: string, start: number, out: Tokens): number {
  const n = src.length;
  let i = start + 2;
  while (i < n && isHexDigit(src.charCodeAt(i))) i++;
  if (src.charCodeAt(i) !== 39 || (i - start) % 2 !== 0) {
    while (i < n && src.charCodeAt(i) !== 39) i++;
    if (i < n) i++;
    out.pushIllegal(start, i, `unrecognized token: "${src.slice(start, i)}"`);
    return i;
  }
  out.push(TK_BLOB, start, i + 1);
  return i + 1;
}

/** Digits (hex digits when `hex`) and '_' separators from `i`; returns the index after them. */
function scanDigits(src: string, i: number, hex: boolean): number {
  for (;;) {
    const c = src.charCodeAt(i);
    if ((hex ? isHexDigit(c) : isDigit(c)) || c === DIGIT_SEPARATOR) i++;
    else return i;
  }
}

/**
 * Digits, with SQLite 3.46's '_' digit separators; hex after 0x; a fraction and exponent for
 * REALs. Identifier characters glued to a number make the whole run one illegal token (`1abc`).
 */
function scanNumber(src: string, start: number, out: Tokens): number {
  const n = src.length;
  let i = start;
  let type = TK_INTEGER;
  let hex = false;
  const x = src.charCodeAt(i + 1);
  if (src.charCodeAt(i) === 48 && (x === 120 || x === 88) && isHexDigit(src.charCodeAt(i + 2))) {
    hex = true;
    i = scanDigits(src, i + 2, true);
  } else {
    i = scanDigits(src, i, false);
    if (src.charCodeAt(i) === 46) {
      type = TK_FLOAT;
      i = scanDigits(src, i + 1, false);
    }
    const e = src.charCodeAt(i);
    if (e === 101 || e === 69) {
      const s = src.charCodeAt(i + 1);
      if (isDigit(s) || ((s === 43 || s === 45) && isDigit(src.charCodeAt(i + 2)))) {
        type = TK_FLOAT;
        i = scanDigits(src, i + 2, false);
      }
    }
  }
  let illegal = false;
  while (i < n && isIdChar(src.charCodeAt(i))) {
    illegal = true;
    i++;
  }
  if (!illegal && !separatorsValid(src, start, i, hex)) illegal = true;
  if (illegal) out.pushIllegal(start, i, `unrecognized token: "${src.slice(start, i)}"`);
  else out.push(type, start, i);
  return i;
}

/** sqlite3DequoteNumber: every '_' must sit between two digits. */
function separatorsValid(src: string, start: number, end: number, hex: boolean): boolean {
  for (let i = start; i < end; i++) {
    if (src.charCodeAt(i) !== DIGIT_SEPARATOR) continue;
    const before = src.charCodeAt(i - 1);
    const after = i + 1 < end ? src.charCodeAt(i + 1) : NaN;
    if (!(hex ? isHexDigit(before) && isHexDigit(after) : isDigit(before) && isDigit(after))) return false;
  }
  return true;
}

/**
 * tokenize.c's analyzeWindowKeyword / analyzeOverKeyword / analyzeFilterKeyword: WINDOW, OVER and
 * FILTER are keywords only in their clause and plain identifiers everywhere else.
 */
function classifyWindowKeywords(out: Tokens): void {
  const { types } = out;
  for (let i = 0; i < out.count; i++) {
    const t = types[i];
    if (t === TK_WINDOW) {
      if (!(IS_PEEK_ID[types[i + 1]!] === 1 && types[i + 2] === TK_AS)) types[i] = TK_ID;
    } else if (t === TK_OVER) {
      const after = types[i + 1]!;
      if (!(i > 0 && types[i - 1] === TK_RP && (after === TK_LP || IS_PEEK_ID[after] === 1))) types[i] = TK_ID;
    } else if (t === TK_FILTER) {
      if (!(i > 0 && types[i - 1] === TK_RP && types[i + 1] === TK_LP)) types[i] = TK_ID;
    }
  }
}
