import { QueryError } from '@sochdb/core';
import type { SqlValue } from '../values.js';

// What printf's conversions read from their SQL arguments (sqlite3_value_int64, _double and
// _text), and the text it builds. SQLite's printf works on UTF-8 bytes: widths and precisions
// count bytes unless the '!' flag says characters, so this one does too.

/** The longest text printf may build: better-sqlite3's SQLITE_MAX_LENGTH (the longest JavaScript string). */
export const MAX_TEXT_BYTES = 536870888;

export function tooBig(): QueryError {
  return new QueryError('string or blob too big', { remediation: `printf() builds at most ${MAX_TEXT_BYTES - 1} bytes: lower the width or precision.` });
}

const MAX_I64 = 9223372036854775807n;
const MIN_I64 = -9223372036854775808n;
const SPACE = new Set([0x20, 0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

/** A value's text as a C string: its UTF-8 bytes up to the first NUL. */
export function cText(v: Uint8Array | string): Buffer {
  const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  const nul = b.indexOf(0);
  return nul < 0 ? b : b.subarray(0, nul);
}

/** sqlite3Atoi64 as sqlite3_value_int64 uses it on text: leading integer, clamped to 64 bits. */
function textToInt64(b: Buffer): bigint {
  let i = 0;
  while (i < b.length && SPACE.has(b[i]!)) i++;
  let neg = false;
  if (b[i] === 0x2d) {
    neg = true;
    i++;
  } else if (b[i] === 0x2b) i++;
  const start = i;
  while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
  if (i === start) return 0n;
  const u = BigInt(b.toString('latin1', start, i));
  if (neg) return u > -MIN_I64 ? MIN_I64 : -u;
  return u > MAX_I64 ? MAX_I64 : u;
}

const NUMBER_PREFIX = /^[ \t\n\v\f\r]*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;

/** sqlite3AtoF as sqlite3_value_double uses it on text: the longest numeric prefix, else 0. */
function textToDouble(b: Buffer): number {
  const m = NUMBER_PREFIX.exec(b.toString('latin1'));
  return m ? Number(m[0]) : 0;
}

export class PrintfArgs {
  #used = 0;

  /** `realText` renders a REAL as SQLite's sqlite3_value_text does. */
  constructor(
    private readonly values: readonly SqlValue[],
    private readonly realText: (r: number) => string,
  ) {}

  #next(): SqlValue | undefined {
    return this.#used < this.values.length ? this.values[this.#used++] : undefined;
  }

  /** A missing or NULL argument is 0. */
  int(): bigint {
    const v = this.#next();
    if (v === undefined || v === null) return 0n;
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return 0n;
      if (v <= -9223372036854775808) return MIN_I64;
      // 2^63, the first double above INT64_MAX (the literal 9223372036854775807 rounds to it anyway).
      if (v >= 2 ** 63) return MAX_I64;
      return BigInt(Math.trunc(v));
    }
    return textToInt64(cText(v));
  }

  double(): number {
    const v = this.#next();
    if (v === undefined || v === null) return 0;
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    return textToDouble(cText(v));
  }

  /** A missing or NULL argument is no text at all (C's null pointer). */
  text(): Buffer | null {
    const v = this.#next();
    if (v === undefined || v === null) return null;
    if (typeof v === 'bigint') return Buffer.from(v.toString(), 'latin1');
    if (typeof v === 'number') return Buffer.from(this.realText(v), 'latin1');
    return cText(v);
  }
}

/** The text being built; `touched` tells an empty result ('') from none (NULL), as SQLite's does. */
export class PrintfOutput {
  readonly #chunks: Buffer[] = [];
  #length = 0;
  touched = false;

  /** Fails like SQLite when the text would pass the length limit. */
  reserve(n: number): void {
    if (this.#length + n + 1 > MAX_TEXT_BYTES) throw tooBig();
  }

  append(b: Uint8Array): void {
    this.touched = true;
    if (b.length === 0) return;
    this.reserve(b.length);
    this.#chunks.push(Buffer.from(b));
    this.#length += b.length;
  }

  appendRepeated(n: number, byte: number): void {
    this.touched = true;
    if (n <= 0) return;
    this.reserve(n);
    this.#chunks.push(Buffer.alloc(n, byte));
    this.#length += n;
  }

  get length(): number {
    return this.#length;
  }

  result(): Buffer {
    return Buffer.concat(this.#chunks, this.#length);
  }
}

/** A conversion's flags, width and precision as parsed from the format. */
export interface Spec {
  leftJustify: boolean;
  /** '+' or ' ' or '' */
  prefixFlag: string;
  alternate: boolean;
  altForm2: boolean;
  zeroPad: boolean;
  thousands: boolean;
  width: number;
  precision: number;
}

/** Writes a field of `body`, padded with spaces to the width. */
export function emit(out: PrintfOutput, body: Uint8Array, width: number, leftJustify: boolean): void {
  const pad = width - body.length;
  if (pad > 0) out.reserve(pad + body.length);
  if (pad > 0 && !leftJustify) out.appendRepeated(pad, 0x20);
  out.append(body);
  if (pad > 0 && leftJustify) out.appendRepeated(pad, 0x20);
}

/** With '!', widths count characters: each UTF-8 continuation byte widens the field. */
export function utf8Width(body: Uint8Array, width: number, altForm2: boolean): number {
  if (!altForm2 || width <= 0) return width;
  for (const b of body) if ((b & 0xc0) === 0x80) width++;
  return width;
}
