/**
 * Values of literal tokens: dequoting of strings and identifiers, blobs, and SQLite's integer rules
 * (decimal beyond int64 is REAL; hex is a 64-bit two's-complement INTEGER, at most 16 digits).
 */

const INT64_MAX = 9223372036854775807n;
const TWO_POW_63 = 9223372036854775808n;

/** A quoted string `'…'` with `''` inside. */
export function decodeString(src: string, start: number, end: number): string {
  const body = src.slice(start + 1, end - 1);
  return body.includes("''") ? body.replaceAll("''", "'") : body;
}

/** A bare identifier as written, or a quoted one ("…", […], `…`) without its quotes. */
export function decodeIdentifier(src: string, start: number, end: number): string {
  const q = src.charCodeAt(start);
  if (q === 34 || q === 96) {
    const body = src.slice(start + 1, end - 1);
    const quote = q === 34 ? '"' : '`';
    return body.includes(quote + quote) ? body.replaceAll(quote + quote, quote) : body;
  }
  if (q === 91) return src.slice(start + 1, end - 1);
  return src.slice(start, end);
}

/** x'0A1b' → bytes (the lexer has already checked the digits). */
export function decodeBlob(src: string, start: number, end: number): Uint8Array {
  const digits = end - start - 3;
  const bytes = new Uint8Array(digits >> 1);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = Number.parseInt(src.slice(start + 2 + 2 * i, start + 4 + 2 * i), 16);
  }
  return bytes;
}

/**
 * The value of an INTEGER token. `edge` marks the two values a directly applied unary minus
 * treats specially (as SQLite's codeInteger does): decimal 2^63 (REAL alone, INT64_MIN when
 * negated) and a hex literal equal to INT64_MIN (an error when negated).
 */
export interface IntegerValue {
  readonly value: bigint | number;
  readonly edge: 'pow63' | 'hexMin' | undefined;
  /** Set when a hex literal has more than 16 significant digits (SQLite: "hex literal too big"). */
  readonly tooBig: boolean;
}

export function decodeInteger(src: string, start: number, end: number): IntegerValue {
  let text = src.slice(start, end);
  if (text.includes('_')) text = text.replaceAll('_', '');
  const x = text.charCodeAt(1);
  if (x === 120 || x === 88) {
    let first = 2;
    while (first < text.length - 1 && text.charCodeAt(first) === 48) first++;
    if (text.length - first > 16) return { value: 0n, edge: undefined, tooBig: true };
    const value = BigInt.asIntN(64, BigInt(text));
    return { value, edge: value === -TWO_POW_63 ? 'hexMin' : undefined, tooBig: false };
  }
  if (text.length <= 15) return { value: BigInt(Number(text)), edge: undefined, tooBig: false };
  const big = BigInt(text);
  if (big <= INT64_MAX) return { value: big, edge: undefined, tooBig: false };
  return { value: Number(text), edge: big === TWO_POW_63 ? 'pow63' : undefined, tooBig: false };
}

/** The value of a FLOAT token (`1.5`, `.5`, `1.`, `1e5`, with optional `_` separators). */
export function decodeFloat(src: string, start: number, end: number): number {
  const text = src.slice(start, end);
  return Number(text.includes('_') ? text.replaceAll('_', '') : text);
}
