import { ToonParseError, ValidationError } from '@sochdb/errors';
import { MAX_TOON_DEPTH } from '../depth.js';
import { readBare } from './cells.js';
import type { ToonTable, ToonValue } from './types.js';

/**
 * Parses a compact TOON table (`name[count]{field,…}:v,v;v,v`) back into typed records: bare
 * cells read as numbers, booleans, `null` or strings; quoted cells are JSON string literals; cells
 * starting with `{` or `[` are inline JSON; an empty cell means the record lacks that field.
 *
 * The parser is strict, so that a truncated or hand-edited table never reads back as wrong data.
 * @throws ToonParseError (code 6002, a ValidationError) with the 0-based `offset` of the problem:
 * a bad header, a row count that differs from `[count]`, a row with the wrong number of cells, an
 * unterminated or misplaced quote, or malformed inline JSON.
 *
 * @example
 * ```ts
 * const { table, fields, records } = fromToon('users[2]{id,name}:1,Alice;2,"Bob, Jr."');
 * // 'users', ['id', 'name'], [{ id: 1, name: 'Alice' }, { id: 2, name: 'Bob, Jr.' }]
 * try {
 *   fromToon(llmReply);
 * } catch (error) {
 *   if (!(error instanceof ToonParseError)) throw error;
 *   console.error(`bad table at offset ${error.offset}: ${error.message}`);
 * }
 * ```
 */
export function fromToon(text: string): ToonTable {
  if (typeof text !== 'string') throw new ValidationError('TOON text must be a string', { field: 'text' });
  // A trailing line break (e.g. from a file) is not part of the last cell: bare cells never hold one.
  return new Parser(text.replace(/\r?\n$/, '')).table();
}

// Hand-written because no library parses this dialect; it is a single left-to-right pass with
// no backtracking, so its cost is linear in the input.
class Parser {
  #pos = 0;

  constructor(private readonly text: string) {}

  table(): ToonTable {
    const table = this.#name('table name', '[');
    this.#expect('[');
    const count = this.#count();
    this.#expect(']');
    this.#expect('{');
    const fields = this.#fields();
    this.#expect(':');
    const records: Record<string, ToonValue>[] = [];
    if (count > 0) {
      for (let row = 0; row < count; row++) {
        if (row > 0) this.#expectRowSeparator(count, row);
        records.push(this.#row(fields, row));
      }
    }
    if (this.#pos < this.text.length) {
      throw this.#error(this.text[this.#pos] === ';' ? `more rows than the header's count of ${count}` : `unexpected ${this.#describe()} after the last row`);
    }
    return { table, fields, records };
  }

  #fields(): string[] {
    const fields: string[] = [];
    if (this.text[this.#pos] === '}') {
      this.#pos++;
      return fields;
    }
    for (;;) {
      const at = this.#pos;
      const name = this.#name('field name', ',}');
      if (fields.includes(name)) throw this.#error(`field "${name}" appears twice in the header`, at);
      fields.push(name);
      const c = this.text[this.#pos];
      this.#pos++;
      if (c === '}') return fields;
      if (c !== ',') throw this.#error(`expected "," or "}" in the field list, found ${this.#describe(this.#pos - 1)}`, this.#pos - 1);
    }
  }

  #row(fields: readonly string[], row: number): Record<string, ToonValue> {
    const entries: [string, ToonValue][] = [];
    for (let i = 0; i < fields.length; i++) {
      if (i > 0) {
        if (this.text[this.#pos] !== ',') {
          throw this.#error(`row ${row + 1} has ${i} cells but the header lists ${fields.length} fields`);
        }
        this.#pos++;
      }
      const value = this.#cell();
      if (value !== undefined) entries.push([fields[i]!, value]);
    }
    const c = this.text[this.#pos];
    if (c === ',') throw this.#error(`row ${row + 1} has more cells than the header's ${fields.length} fields`);
    // fromEntries defines own properties, so a field named "__proto__" stays a plain field.
    return Object.fromEntries(entries);
  }

  #expectRowSeparator(count: number, row: number): void {
    if (this.text[this.#pos] === ';') {
      this.#pos++;
      return;
    }
    if (this.#pos >= this.text.length) throw this.#error(`the header promises ${count} rows but the text ends after ${row}`);
    throw this.#error(`expected ";" between rows, found ${this.#describe()}`);
  }

  #cell(): ToonValue | undefined {
    const c = this.text[this.#pos];
    if (c === '"') return this.#quoted();
    if (c === '{' || c === '[') return this.#json();
    const start = this.#pos;
    let end = start;
    for (; end < this.text.length; end++) {
      const ch = this.text.charCodeAt(end);
      if (ch === 0x2c /* , */ || ch === 0x3b /* ; */) break;
      if (ch === 0x22 /* " */ || ch === 0x5c /* \ */) {
        throw this.#error(`a ${this.text[end]} inside an unquoted value`, end, 'Quote the whole value as a JSON string, e.g. "a\\"b".');
      }
      if (ch < 0x20) throw this.#error('a control character inside an unquoted value', end, 'Quote the value as a JSON string.');
    }
    this.#pos = end;
    return readBare(this.text.slice(start, end));
  }

  /** A JSON string literal, ending at the first unescaped quote. */
  #quoted(): string {
    const start = this.#pos;
    let end = start + 1;
    for (; end < this.text.length; end++) {
      const ch = this.text[end];
      if (ch === '\\') end++;
      else if (ch === '"') break;
    }
    if (end >= this.text.length) throw this.#error('unterminated quoted value', start, 'Close the value with an unescaped ".');
    this.#pos = end + 1;
    let value: unknown;
    try {
      value = JSON.parse(this.text.slice(start, end + 1));
    } catch (error) {
      throw this.#error(`bad escape in quoted value: ${(error as Error).message}`, start);
    }
    this.#expectCellEnd('a closing quote');
    return value as string;
  }

  /** Inline JSON: bracket-matched (skipping string literals), then handed to JSON.parse. */
  #json(): ToonValue {
    const start = this.#pos;
    let depth = 0;
    let end = start;
    for (; end < this.text.length; end++) {
      const ch = this.text[end];
      if (ch === '"') {
        for (end++; end < this.text.length && this.text[end] !== '"'; end++) if (this.text[end] === '\\') end++;
      } else if (ch === '{' || ch === '[') {
        // JSON.parse below would take any depth, but such a value could not be written back.
        if (++depth > MAX_TOON_DEPTH) {
          throw this.#error(`inline JSON value nests more than ${MAX_TOON_DEPTH} levels deep`, end, `Keep nested values within ${MAX_TOON_DEPTH} levels.`);
        }
      } else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (end >= this.text.length) throw this.#error('unterminated inline JSON value', start, 'Close every { and [ it opens.');
    this.#pos = end + 1;
    try {
      return JSON.parse(this.text.slice(start, end + 1)) as ToonValue;
    } catch (error) {
      throw this.#error(`malformed inline JSON value: ${(error as Error).message}`, start);
    }
  }

  #expectCellEnd(what: string): void {
    const c = this.text[this.#pos];
    if (c !== undefined && c !== ',' && c !== ';') throw this.#error(`unexpected ${this.#describe()} after ${what}; expected "," or ";"`);
  }

  /** A table or field name: a JSON string literal, or bare text up to one of `stops`. */
  #name(what: string, stops: string): string {
    const start = this.#pos;
    if (this.text[start] === '"') {
      const end = this.#closingQuote(start, what);
      this.#pos = end + 1;
      try {
        return JSON.parse(this.text.slice(start, end + 1)) as string;
      } catch (error) {
        throw this.#error(`bad escape in quoted ${what}: ${(error as Error).message}`, start);
      }
    }
    let end = start;
    while (end < this.text.length && !stops.includes(this.text[end]!)) {
      if (/[,;:"\\[\]{}\r\n]/.test(this.text[end]!)) throw this.#error(`unexpected ${JSON.stringify(this.text[end])} in ${what}`, end);
      end++;
    }
    if (end === start) throw this.#error(`missing ${what}`, start, 'A compact TOON table starts like users[2]{name,email}:');
    this.#pos = end;
    return this.text.slice(start, end);
  }

  #closingQuote(start: number, what: string): number {
    for (let end = start + 1; end < this.text.length; end++) {
      if (this.text[end] === '\\') end++;
      else if (this.text[end] === '"') return end;
    }
    throw this.#error(`unterminated quoted ${what}`, start);
  }

  #count(): number {
    const start = this.#pos;
    while (this.#pos < this.text.length && this.text.charCodeAt(this.#pos) >= 0x30 && this.text.charCodeAt(this.#pos) <= 0x39) this.#pos++;
    const digits = this.text.slice(start, this.#pos);
    if (digits === '' || (digits.length > 1 && digits[0] === '0'))
      throw this.#error('the row count in [...] must be a non-negative integer without leading zeros', start);
    const count = Number(digits);
    if (!Number.isSafeInteger(count)) throw this.#error('the row count is too large', start);
    return count;
  }

  #expect(ch: string): void {
    if (this.text[this.#pos] !== ch)
      throw this.#error(
        `expected "${ch}", found ${this.#describe()}`,
        this.#pos,
        'A compact TOON table looks like users[2]{name,email}:Alice,a@x.io;Bob,b@x.io',
      );
    this.#pos++;
  }

  #describe(at = this.#pos): string {
    return at >= this.text.length ? 'the end of the text' : JSON.stringify(this.text[at]);
  }

  #error(message: string, at = this.#pos, remediation?: string): ToonParseError {
    return new ToonParseError(message, at, remediation === undefined ? {} : { remediation });
  }
}
