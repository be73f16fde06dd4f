// The typing rules every compact TOON cell follows, shared by the encoder and the parser so the
// two cannot disagree: the encoder quotes a string exactly when the parser would not read it back
// as that same string.

/** What a bare (unquoted) cell reads back as; `undefined` means an empty cell (a missing field). */
export type BareValue = string | number | boolean | null | undefined;

// A strict JSON-style number. "01", "+1", ".5" and "1." stay strings.
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

export function readBare(text: string): BareValue {
  switch (text) {
    case '':
      return undefined;
    case 'null':
      return null;
    case 'true':
      return true;
    case 'false':
      return false;
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return NUMBER.test(text) ? Number(text) : text;
  }
}

/** `String(-0)` is "0"; the sign is kept so that the value reads back exactly. */
export function writeNumber(n: number): string {
  return Object.is(n, -0) ? '-0' : String(n);
}

// Structural characters, quote/escape characters, control characters, and lone surrogates
// (which cannot be written as UTF-8) all force quotes.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be quoted
const UNSAFE_IN_CELL = /[,;"\\\u0000-\u001f\u007f]|\p{Cs}/u;
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be quoted
const UNSAFE_IN_NAME = /[,;:"\\[\]{}\u0000-\u001f\u007f]|\p{Cs}/u;
const EDGE_SPACE = /^\s|\s$/;

/** A string cell, quoted (as a JSON string literal) when it would not read back as itself. */
export function writeStringCell(s: string): string {
  const safe = s !== '' && !UNSAFE_IN_CELL.test(s) && !EDGE_SPACE.test(s) && s[0] !== '{' && s[0] !== '[' && readBare(s) === s;
  return safe ? s : JSON.stringify(s);
}

/** A table or field name: always a string, so only structural characters force quotes. */
export function writeName(s: string): string {
  return s !== '' && !UNSAFE_IN_NAME.test(s) && !EDGE_SPACE.test(s) ? s : JSON.stringify(s);
}
