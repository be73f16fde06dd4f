import { QueryError } from '@sochdb/core';
import { CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, END, ERROR, isAlnum, isId1, isId2, isSpace, isUnicodeSpace, Lexer } from './lex.js';
import { FALSE_NODE, J_ARRAY, J_OBJECT, J_TEXT, J_TEXTJ, J_TEXTRAW, JsonNode, NULL_NODE, TRUE_NODE } from './node.js';

/**
 * JSON text into nodes, accepting what SQLite's parser (json.c, jsonTranslateTextToBlob)
 * accepts — RFC 8259 plus the JSON5 extensions — and rejecting, at the same character, what it
 * rejects. The control flow follows SQLite's on purpose: which inputs are valid, which count as
 * non-standard (json_valid's flags) and where json_error_position points all fall out of it.
 */

/** SQLite's JSON nesting limit (SQLITE_JSON_MAX_DEPTH). */
export const JSON_MAX_DEPTH = 1000;

export interface Parsed {
  readonly root: JsonNode;
  /** Whether any JSON5 extension was used (json_valid(x, 1) is then false). */
  readonly nonstd: boolean;
}

// Return codes of Parser.value besides a next index, as in SQLite.
class Parser extends Lexer {
  depth = 0;

  value(i: number, out: JsonNode[]): number {
    for (;;) {
      const c = this.at(i);
      switch (c) {
        case 0x7b: // {
          return this.object(i, out);
        case 0x5b: // [
          return this.array(i, out);
        case 0x22: // "
        case 0x27: // '
          return this.string(i, out);
        case 0x74: // t
          if (this.s.startsWith('true', i) && !isAlnum(this.at(i + 4))) {
            out.push(TRUE_NODE);
            return i + 4;
          }
          this.err = i;
          return ERROR;
        case 0x66: // f
          if (this.s.startsWith('false', i) && !isAlnum(this.at(i + 5))) {
            out.push(FALSE_NODE);
            return i + 5;
          }
          this.err = i;
          return ERROR;
        case 0x2b: // +
        case 0x2e: // .
        case 0x2d: // -
        case 0x30:
        case 0x31:
        case 0x32:
        case 0x33:
        case 0x34:
        case 0x35:
        case 0x36:
        case 0x37:
        case 0x38:
        case 0x39:
          return this.number(i, out);
        case 0x7d:
          this.err = i;
          return CLOSE_BRACE;
        case 0x5d:
          this.err = i;
          return CLOSE_BRACKET;
        case 0x2c:
          this.err = i;
          return COMMA;
        case 0x3a:
          this.err = i;
          return COLON;
        case 0:
          return END;
        case 0x09:
        case 0x0a:
        case 0x0d:
        case 0x20:
          i++;
          while (isSpace(this.at(i))) i++;
          continue;
        case 0x6e: // n
          if (this.s.startsWith('null', i) && !isAlnum(this.at(i + 4))) {
            out.push(NULL_NODE);
            return i + 4;
          }
          return this.nanInf(i, out);
        default: {
          if (c === 0x0b || c === 0x0c || c === 0x2f || (c >= 0x80 && isUnicodeSpace(c))) {
            const n = this.whitespace(i);
            if (n > 0) {
              i += n;
              this.nonstd = true;
              continue;
            }
            this.err = i;
            return ERROR;
          }
          return this.nanInf(i, out);
        }
      }
    }
  }

  /** SQLite's extra literals: inf, infinity (as 9e999), NaN, QNaN, SNaN (as null), any case. */
  object(i: number, out: JsonNode[]): number {
    const items: JsonNode[] = [];
    if (++this.depth > JSON_MAX_DEPTH) {
      this.err = i;
      return ERROR;
    }
    let j = i + 1;
    for (; ; j++) {
      let x = this.value(j, items);
      if (x <= 0) {
        if (x === CLOSE_BRACE) {
          j = this.err;
          if (items.length > 0) this.nonstd = true;
          break;
        }
        j += this.whitespace(j);
        const c = this.at(j);
        if (!isId1(c) && !(c === 0x5c && this.isHexEscape(j + 1))) {
          if (x !== ERROR) this.err = j;
          return ERROR;
        }
        // An unquoted JSON5 label.
        let op = c === 0x5c ? J_TEXTJ : J_TEXT;
        let k = j + 1;
        for (;;) {
          const d = this.at(k);
          if (isId2(d) && this.whitespace(k) === 0) k++;
          else if (d === 0x5c && this.isHexEscape(k + 1)) {
            op = J_TEXTJ;
            k++;
          } else break;
        }
        items.push(new JsonNode(op, this.s.slice(j, k), undefined));
        this.nonstd = true;
        x = k;
      }
      const label = items[items.length - 1]!;
      if (label.type < J_TEXT || label.type > J_TEXTRAW) {
        this.err = j;
        return ERROR;
      }
      j = x;
      let colon = this.at(j) === 0x3a;
      if (colon) j++;
      else if (isSpace(this.at(j))) {
        do j++;
        while (isSpace(this.at(j)));
        if (this.at(j) === 0x3a) {
          j++;
          colon = true;
        }
      }
      if (!colon) {
        x = this.value(j, items);
        if (x !== COLON) {
          if (x !== ERROR) this.err = j;
          return ERROR;
        }
        j = this.err + 1;
      }
      x = this.value(j, items);
      if (x <= 0) {
        if (x !== ERROR) this.err = j;
        return ERROR;
      }
      j = x;
      const next = this.afterElement(j, items, 0x7d, CLOSE_BRACE);
      if (next < 0) return ERROR;
      j = next >> 1;
      if (next & 1) break;
    }
    this.depth--;
    out.push(new JsonNode(J_OBJECT, '', items));
    return j + 1;
  }

  array(i: number, out: JsonNode[]): number {
    const items: JsonNode[] = [];
    if (++this.depth > JSON_MAX_DEPTH) {
      this.err = i;
      return ERROR;
    }
    let j = i + 1;
    for (; ; j++) {
      const x = this.value(j, items);
      if (x <= 0) {
        if (x === CLOSE_BRACKET) {
          j = this.err;
          if (items.length > 0) this.nonstd = true;
          break;
        }
        if (x !== ERROR) this.err = j;
        return ERROR;
      }
      const next = this.afterElement(x, items, 0x5d, CLOSE_BRACKET);
      if (next < 0) return ERROR;
      j = next >> 1;
      if (next & 1) break;
    }
    this.depth--;
    out.push(new JsonNode(J_ARRAY, '', items));
    return j + 1;
  }

  /**
   * What follows an element ending at j: a comma or the closing bracket, possibly after
   * whitespace or comments. Returns (position << 1) | 1 for the closer, position << 1 for a comma
   * (the position of that character), or ERROR.
   */
  private afterElement(j: number, items: JsonNode[], close: number, closeCode: number): number {
    let c = this.at(j);
    if (c !== 0x2c && c !== close && isSpace(c)) {
      j++;
      while (isSpace(this.at(j))) j++;
      c = this.at(j);
    }
    if (c === 0x2c) return j * 2;
    if (c === close) return j * 2 + 1;
    const x = this.value(j, items);
    if (x === COMMA) return this.err * 2;
    if (x === closeCode) return this.err * 2 + 1;
    this.err = j;
    return ERROR;
  }
}

/** The parse, or the index (in `text`) where SQLite's parser gives up. */
export function tryParse(text: string): Parsed | number {
  const p = new Parser(text);
  const out: JsonNode[] = [];
  let i = p.value(0, out);
  if (i > 0) {
    while (isSpace(p.at(i))) i++;
    if (p.at(i) !== 0) {
      i += p.whitespace(i);
      // SQLite reports trailing text at the last position its parser noted, not where it starts.
      if (p.at(i) !== 0) return p.err;
      p.nonstd = true;
    }
    return { root: out[0]!, nonstd: p.nonstd };
  }
  return p.err;
}

/**
 * Recently parsed texts (as SQLite keeps per statement): a query often reads several paths of
 * one document. Parses are immutable, so sharing them is safe; very large texts are not kept.
 */
const cache: { text: string; parsed: Parsed }[] = [];
const CACHE_MAX_TEXT = 1 << 20;

export function malformed(): QueryError {
  return new QueryError('malformed JSON', { remediation: 'Pass well-formed JSON text (json_valid() tells whether a value is).' });
}

/** Parses JSON text; malformed text is SQLite's "malformed JSON" error. */
export function parseJson(text: string): Parsed {
  for (let k = cache.length - 1; k >= 0; k--) if (cache[k]!.text === text) return cache[k]!.parsed;
  if (text.length === 0) throw malformed();
  const r = tryParse(text);
  if (typeof r === 'number') throw malformed();
  if (text.length <= CACHE_MAX_TEXT) {
    if (cache.length >= 4) cache.shift();
    cache.push({ text, parsed: r });
  }
  return r;
}
