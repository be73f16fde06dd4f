import { J_FLOAT, J_INT, J_TEXT, J_TEXT5, J_TEXTJ, JsonNode, NULL_NODE } from './node.js';

// The lexical part of the JSON parser (parse.ts): whitespace and comments, strings, numbers and
// SQLite's extra literals, each following json.c's jsonTranslateTextToBlob.

export const END = 0;
export const ERROR = -1;
export const CLOSE_BRACE = -2;
export const CLOSE_BRACKET = -3;
export const COMMA = -4;
export const COLON = -5;

export const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
export const isXDigit = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
export const isAlpha = (c: number): boolean => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
export const isAlnum = (c: number): boolean => isAlpha(c) || isDigit(c);
export const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
/** Characters a string literal can hold without a closer look (not control, quote or backslash). */
export const isPlain = (c: number): boolean => c >= 0x20 && c !== 0x22 && c !== 0x27 && c !== 0x5c;
/** First character of an unquoted JSON5 label (SQLite's sqlite3JsonId1: letters, _, $, non-ASCII). */
export const isId1 = (c: number): boolean => isAlpha(c) || c === 0x5f || c === 0x24 || c >= 0x80;
export const isId2 = (c: number): boolean => isId1(c) || isDigit(c);

/** The non-ASCII characters JSON5 counts as whitespace. */
export function isUnicodeSpace(c: number): boolean {
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** The scanning state, and the scanners for everything but arrays and objects. */
export class Lexer {
  err = 0;
  nonstd = false;
  readonly len: number;

  constructor(readonly s: string) {
    this.len = s.length;
  }

  /** The character at i, 0 past the end (SQLite reads a NUL terminator there). */
  at(i: number): number {
    return i < this.len ? this.s.charCodeAt(i) : 0;
  }

  /** Length of the JSON5 whitespace and comments at i. */
  whitespace(i: number): number {
    let n = i;
    for (;;) {
      const c = this.at(n);
      if (c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d || c === 0x20 || (c >= 0x80 && isUnicodeSpace(c))) {
        n++;
      } else if (c === 0x2f && this.at(n + 1) === 0x2a && this.at(n + 2) !== 0) {
        let j = n + 3;
        while (this.at(j) !== 0x2f || this.at(j - 1) !== 0x2a) {
          if (this.at(j) === 0) return n - i;
          j++;
        }
        n = j + 1;
      } else if (c === 0x2f && this.at(n + 1) === 0x2f) {
        let j = n + 2;
        for (let d = this.at(j); d !== 0; d = this.at(++j)) {
          if (d === 0x0a || d === 0x0d || d === 0x2028 || d === 0x2029) break;
        }
        n = j;
        if (this.at(n) !== 0) n++;
      } else return n - i;
    }
  }

  /** Parses one element at i into `out`; returns the index after it or a negative code. */
  /** SQLite's extra literals: inf, infinity (as 9e999), NaN, QNaN, SNaN (as null), any case. */
  nanInf(i: number, out: JsonNode[]): number {
    for (const [word, node] of NAN_INF) {
      if (this.s.length - i < word.length || this.s.slice(i, i + word.length).toLowerCase() !== word || isAlnum(this.at(i + word.length))) continue;
      out.push(node);
      this.nonstd = true;
      return i + word.length;
    }
    this.err = i;
    return ERROR;
  }

  isHexEscape(i: number): boolean {
    return this.at(i) === 0x75 && isXDigit(this.at(i + 1)) && isXDigit(this.at(i + 2)) && isXDigit(this.at(i + 3)) && isXDigit(this.at(i + 4));
  }

  string(i: number, out: JsonNode[]): number {
    const delim = this.at(i);
    if (delim === 0x27) this.nonstd = true;
    let op = J_TEXT;
    let j = i + 1;
    for (;;) {
      let c = this.at(j);
      while (isPlain(c)) c = this.at(++j);
      if (c === delim) break;
      if (c === 0x5c) {
        c = this.at(++j);
        if (
          c === 0x22 ||
          c === 0x5c ||
          c === 0x2f ||
          c === 0x62 ||
          c === 0x66 ||
          c === 0x6e ||
          c === 0x72 ||
          c === 0x74 ||
          (c === 0x75 && this.isHexEscape(j))
        ) {
          if (op === J_TEXT) op = J_TEXTJ;
        } else if (
          c === 0x27 ||
          c === 0x76 ||
          c === 0x0a ||
          (c === 0x30 && !isDigit(this.at(j + 1))) ||
          c === 0x2028 ||
          c === 0x2029 ||
          (c === 0x78 && isXDigit(this.at(j + 1)) && isXDigit(this.at(j + 2)))
        ) {
          op = J_TEXT5;
          this.nonstd = true;
        } else if (c === 0x0d) {
          if (this.at(j + 1) === 0x0a) j++;
          op = J_TEXT5;
          this.nonstd = true;
        } else {
          this.err = j;
          return ERROR;
        }
      } else if (c <= 0x1f) {
        // The end of the text (or an embedded NUL, where SQLite's text ends) leaves it unterminated.
        if (c === 0) {
          this.err = j;
          return ERROR;
        }
        op = J_TEXT5;
        this.nonstd = true;
      } else if (c === 0x22) {
        op = J_TEXT5;
      }
      j++;
    }
    out.push(new JsonNode(op, this.s.slice(i + 1, j), undefined));
    return j + 1;
  }

  number(i: number, out: JsonNode[]): number {
    let t = 0; // bit 1: JSON5, bit 2: FLOAT
    let j: number;
    let c = this.at(i);
    let hex = false;
    if (c === 0x2e) {
      if (!isDigit(this.at(i + 1))) {
        this.err = i;
        return ERROR;
      }
      this.nonstd = true;
      t = 3;
    } else {
      if (c === 0x2b) this.nonstd = true;
      if (c === 0x30) {
        const x = this.at(i + 1);
        if ((x === 0x78 || x === 0x58) && isXDigit(this.at(i + 2))) {
          this.nonstd = true;
          t = 1;
          hex = true;
        } else if (isDigit(x)) {
          this.err = i + 1;
          return ERROR;
        }
      } else if (c === 0x2b || c === 0x2d) {
        const x = this.at(i + 1);
        if (!isDigit(x)) {
          if ((x === 0x49 || x === 0x69) && this.s.slice(i + 1, i + 4).toLowerCase() === 'inf') {
            this.nonstd = true;
            out.push(new JsonNode(J_FLOAT, c === 0x2d ? '-9e999' : '9e999', undefined));
            return i + (this.s.slice(i + 4, i + 9).toLowerCase() === 'inity' ? 9 : 4);
          }
          if (x !== 0x2e) {
            this.err = i;
            return ERROR;
          }
          this.nonstd = true;
          t |= 1;
        } else if (x === 0x30) {
          const y = this.at(i + 2);
          if (isDigit(y)) {
            this.err = i + 1;
            return ERROR;
          }
          if ((y === 0x78 || y === 0x58) && isXDigit(this.at(i + 3))) {
            this.nonstd = true;
            t |= 1;
            hex = true;
          }
        }
      }
    }
    if (hex) {
      j = this.at(i) === 0x30 ? i + 3 : i + 4;
      while (isXDigit(this.at(j))) j++;
    } else {
      let seenE = false;
      for (j = i + 1; ; j++) {
        c = this.at(j);
        if (isDigit(c)) continue;
        if (c === 0x2e) {
          if (t & 2) {
            this.err = j;
            return ERROR;
          }
          t |= 2;
          continue;
        }
        if (c === 0x65 || c === 0x45) {
          if (this.at(j - 1) < 0x30) {
            if (this.at(j - 1) === 0x2e && j - 2 >= i && isDigit(this.at(j - 2))) {
              this.nonstd = true;
              t |= 1;
            } else {
              this.err = j;
              return ERROR;
            }
          }
          if (seenE) {
            this.err = j;
            return ERROR;
          }
          t |= 2;
          seenE = true;
          c = this.at(j + 1);
          if (c === 0x2b || c === 0x2d) {
            j++;
            c = this.at(j + 1);
          }
          if (!isDigit(c)) {
            this.err = j;
            return ERROR;
          }
          continue;
        }
        break;
      }
      if (this.at(j - 1) < 0x30) {
        if (this.at(j - 1) === 0x2e && j - 2 >= i && isDigit(this.at(j - 2))) {
          this.nonstd = true;
          t |= 1;
        } else {
          this.err = j;
          return ERROR;
        }
      }
    }
    const start = this.at(i) === 0x2b ? i + 1 : i;
    out.push(new JsonNode(J_INT + t, this.s.slice(start, j), undefined));
    return j;
  }
}

const NAN_INF: readonly (readonly [string, JsonNode])[] = [
  ['inf', new JsonNode(J_FLOAT, '9e999', undefined)],
  ['infinity', new JsonNode(J_FLOAT, '9e999', undefined)],
  ['nan', NULL_NODE],
  ['qnan', NULL_NODE],
  ['snan', NULL_NODE],
];
