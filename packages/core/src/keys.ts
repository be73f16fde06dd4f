import { ValidationError } from './errors.js';
import { describe } from './bytes.js';

/**
 * An order-preserving tuple codec (the FoundationDB tuple layer's scheme, trimmed to what SochDB
 * needs), so that comparing encoded keys byte by byte gives the logical order of the tuples:
 * `[ 'users', 42 ] < [ 'users', 100 ]`, negatives before positives, and a tuple sorts right after
 * its own prefix. Every package builds its keys with this; none hand-rolls an encoding.
 *
 * Element types and their order when mixed in one position:
 * `null` < bytes < string < bigint < number < false < true.
 * A JS `number` is encoded as an IEEE double (exact for integers up to 2^53), so integers and
 * fractions interleave correctly; a `bigint` is an arbitrary-size integer. Use one of the two
 * consistently in a given position.
 */
export type KeyPart = null | Uint8Array | string | number | bigint | boolean;
export type KeyTuple = readonly KeyPart[];

const NULL = 0x00;
const BYTES = 0x01;
const STRING = 0x02;
const NEG_BIG = 0x0b; // negative integer longer than 8 bytes: length byte, then bytes, all inverted
const INT_ZERO = 0x14; // 0x0c..0x13: negative 8..1 bytes; 0x15..0x1c: positive 1..8 bytes
const POS_BIG = 0x1d; // positive integer longer than 8 bytes: length byte, then bytes
const DOUBLE = 0x21;
const FALSE = 0x26;
const TRUE = 0x27;

export function encodeKey(parts: KeyTuple): Buffer {
  const out: number[] = [];
  parts.forEach((part, i) => encodePart(part, out, i));
  return Buffer.from(out);
}

export function decodeKey(key: Uint8Array): KeyPart[] {
  const parts: KeyPart[] = [];
  let pos = 0;
  while (pos < key.byteLength) {
    const [part, next] = decodePart(key, pos);
    parts.push(part);
    pos = next;
  }
  return parts;
}

/**
 * The `[gte, lt)` range of exactly the tuples that extend `prefix` (and `prefix` itself).
 *
 * Not the byte-prefix range: `['a']` encodes as `02 61 00`, which is also the start of the string
 * `'a\0b'` (`02 61 00 FF 62 00`, a NUL being escaped as `00 FF`). Every element that can follow a
 * complete tuple starts with a type byte below 0xFF, so `prefix ‖ FF` is the exact upper bound and
 * the range of namespace 'a' never reaches namespace 'a\0b'.
 */
export function keyRange(prefix: KeyTuple): { readonly gte: Buffer; readonly lt: Buffer } {
  const gte = encodeKey(prefix);
  return { gte, lt: Buffer.concat([gte, TUPLE_END]) };
}

const TUPLE_END = Buffer.from([0xff]);

function encodePart(part: KeyPart, out: number[], index: number): void {
  if (part === null) {
    out.push(NULL);
  } else if (typeof part === 'string') {
    out.push(STRING);
    pushEscaped(Buffer.from(part, 'utf8'), out);
  } else if (part instanceof Uint8Array) {
    out.push(BYTES);
    pushEscaped(part, out);
  } else if (typeof part === 'bigint') {
    pushBigInt(part, out);
  } else if (typeof part === 'number') {
    if (Number.isNaN(part)) throw new ValidationError(`key part ${index} is NaN, which has no order`, { field: `key[${index}]` });
    pushDouble(part === 0 ? 0 : part, out); // -0 and 0 are the same key
  } else if (typeof part === 'boolean') {
    out.push(part ? TRUE : FALSE);
  } else {
    throw new ValidationError(`key part ${index} must be null, bytes, string, number, bigint or boolean, got ${describe(part)}`, {
      field: `key[${index}]`,
    });
  }
}

// A 0x00 inside the data is written 0x00 0xFF so that the terminating 0x00 stays the smallest
// continuation: a shorter string sorts before any longer string with the same start.
function pushEscaped(bytes: Uint8Array, out: number[]): void {
  for (const b of bytes) {
    out.push(b);
    if (b === 0x00) out.push(0xff);
  }
  out.push(0x00);
}

function pushBigInt(value: bigint, out: number[]): void {
  if (value === 0n) {
    out.push(INT_ZERO);
    return;
  }
  const negative = value < 0n;
  let magnitude = negative ? -value : value;
  const bytes: number[] = [];
  while (magnitude > 0n) {
    bytes.unshift(Number(magnitude & 0xffn));
    magnitude >>= 8n;
  }
  if (bytes.length > 255) throw new ValidationError('integer key part is longer than 255 bytes');
  if (!negative) {
    if (bytes.length <= 8) out.push(INT_ZERO + bytes.length);
    else out.push(POS_BIG, bytes.length);
    out.push(...bytes);
  } else {
    // One's complement makes larger magnitudes sort first, as negative numbers must.
    if (bytes.length <= 8) out.push(INT_ZERO - bytes.length);
    else out.push(NEG_BIG, bytes.length ^ 0xff);
    out.push(...bytes.map((b) => b ^ 0xff));
  }
}

function pushDouble(value: number, out: number[]): void {
  const buf = Buffer.alloc(8);
  buf.writeDoubleBE(value);
  // Flip the sign bit for positives and every bit for negatives: byte order becomes numeric order.
  if ((buf[0]! & 0x80) !== 0) for (let i = 0; i < 8; i++) buf[i] = buf[i]! ^ 0xff;
  else buf[0] = buf[0]! ^ 0x80;
  out.push(DOUBLE, ...buf);
}

function decodePart(key: Uint8Array, pos: number): [KeyPart, number] {
  const tag = key[pos]!;
  const at = pos + 1;
  switch (true) {
    case tag === NULL:
      return [null, at];
    case tag === BYTES: {
      const [bytes, next] = readEscaped(key, at);
      return [bytes, next];
    }
    case tag === STRING: {
      const [bytes, next] = readEscaped(key, at);
      return [bytes.toString('utf8'), next];
    }
    case tag === INT_ZERO:
      return [0n, at];
    case tag > INT_ZERO && tag <= INT_ZERO + 8:
      return [readMagnitude(key, at, tag - INT_ZERO, false), at + tag - INT_ZERO];
    case tag < INT_ZERO && tag >= INT_ZERO - 8:
      return [-readMagnitude(key, at, INT_ZERO - tag, true), at + INT_ZERO - tag];
    case tag === POS_BIG: {
      const len = need(key, at, 1)[0]!;
      return [readMagnitude(key, at + 1, len, false), at + 1 + len];
    }
    case tag === NEG_BIG: {
      const len = need(key, at, 1)[0]! ^ 0xff;
      return [-readMagnitude(key, at + 1, len, true), at + 1 + len];
    }
    case tag === DOUBLE: {
      const buf = Buffer.from(need(key, at, 8));
      if ((buf[0]! & 0x80) !== 0) buf[0] = buf[0]! ^ 0x80;
      else for (let i = 0; i < 8; i++) buf[i] = buf[i]! ^ 0xff;
      return [buf.readDoubleBE(0), at + 8];
    }
    case tag === FALSE:
      return [false, at];
    case tag === TRUE:
      return [true, at];
    default:
      throw new ValidationError(`not a SochDB tuple key: unknown type byte 0x${tag.toString(16)} at offset ${pos}`);
  }
}

function need(key: Uint8Array, at: number, len: number): Uint8Array {
  if (at + len > key.byteLength) throw new ValidationError(`not a SochDB tuple key: truncated at offset ${at}`);
  return key.subarray(at, at + len);
}

function readMagnitude(key: Uint8Array, at: number, len: number, inverted: boolean): bigint {
  let value = 0n;
  for (const b of need(key, at, len)) value = (value << 8n) | BigInt(inverted ? b ^ 0xff : b);
  return value;
}

function readEscaped(key: Uint8Array, at: number): [Buffer, number] {
  const bytes: number[] = [];
  let pos = at;
  for (;;) {
    if (pos >= key.byteLength) throw new ValidationError(`not a SochDB tuple key: unterminated string at offset ${at}`);
    const b = key[pos]!;
    if (b === 0x00) {
      if (key[pos + 1] === 0xff) {
        bytes.push(0x00);
        pos += 2;
        continue;
      }
      return [Buffer.from(bytes), pos + 1];
    }
    bytes.push(b);
    pos++;
  }
}
