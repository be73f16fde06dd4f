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
/** A key as a tuple of parts, compared element by element; `encodeKey` turns it into bytes. */
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

/**
 * The bytes of a tuple key, ordered like the tuple (see `KeyPart`); a new Buffer each call.
 * @throws ValidationError for a NaN or a part of another type (`undefined`, an object), with
 * `field` naming it (`key[2]`), or for an integer longer than 255 bytes.
 */
export function encodeKey(parts: KeyTuple): Buffer {
  const w = writer;
  w.pos = 0;
  for (let i = 0; i < parts.length; i++) encodePart(parts[i]!, w, i);
  // Keys are written by the million in bulk loads: a plain loop copies a short key in half the
  // time of Buffer.from(subarray) (no view object, no native call).
  const n = w.pos;
  const out = Buffer.allocUnsafe(n);
  const src = w.buf;
  if (n <= 48) for (let i = 0; i < n; i++) out[i] = src[i]!;
  else src.copy(out, 0, 0, n);
  return out;
}

/**
 * The tuple `encodeKey` made `key` from. Integers encoded from a `bigint` come back as `bigint`,
 * numbers as `number`, bytes as a Buffer; an empty key is the empty tuple.
 * @throws ValidationError when `key` is not a SochDB tuple key (unknown type byte, truncated).
 */
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
 *
 * @example
 * ```ts
 * await storage.put(encodeKey(['orders', 'acme', 42]), '{"total":100}');
 * const { gte, lt } = keyRange(['orders', 'acme']);
 * for await (const [key] of storage.iterator({ gte, lt })) console.log(decodeKey(key)); // ['orders', 'acme', 42]
 * ```
 */
export function keyRange(prefix: KeyTuple): {
  /** `encodeKey(prefix)`: the first key of the range, included. */
  readonly gte: Buffer;
  /** `encodeKey(prefix)` followed by 0xFF: the end of the range, excluded. */
  readonly lt: Buffer;
} {
  const gte = encodeKey(prefix);
  return { gte, lt: Buffer.concat([gte, TUPLE_END]) };
}

const TUPLE_END = Buffer.from([0xff]);

/**
 * One reused scratch buffer: keys are built in place and copied out once, which makes encoding
 * several times faster than growing arrays (every row, index entry and posting builds a key).
 */
class KeyWriter {
  buf = Buffer.allocUnsafe(256);
  pos = 0;

  ensure(extra: number): void {
    if (this.pos + extra <= this.buf.byteLength) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.byteLength * 2, this.pos + extra));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }
}
const writer = new KeyWriter();

function encodePart(part: KeyPart, w: KeyWriter, index: number): void {
  if (part === null) {
    w.byte(NULL);
  } else if (typeof part === 'string') {
    w.byte(STRING);
    if (part.includes('\0')) pushEscaped(Buffer.from(part, 'utf8'), w);
    else {
      // No NUL inside, so no escaping: write the UTF-8 straight into the buffer. Short ASCII
      // (most ids and names) is copied byte by byte, cheaper than a native call.
      w.ensure(part.length * 3 + 1);
      let ascii = part.length <= 32;
      for (let i = 0; ascii && i < part.length; i++) if (part.charCodeAt(i) > 0x7f) ascii = false;
      if (ascii) for (let i = 0; i < part.length; i++) w.buf[w.pos++] = part.charCodeAt(i);
      else w.pos += w.buf.write(part, w.pos, 'utf8');
      w.buf[w.pos++] = 0x00;
    }
  } else if (part instanceof Uint8Array) {
    w.byte(BYTES);
    pushEscaped(part, w);
  } else if (typeof part === 'bigint') {
    pushBigInt(part, w);
  } else if (typeof part === 'number') {
    if (Number.isNaN(part)) throw new ValidationError(`key part ${index} is NaN, which has no order`, { field: `key[${index}]` });
    pushDouble(part === 0 ? 0 : part, w); // -0 and 0 are the same key
  } else if (typeof part === 'boolean') {
    w.byte(part ? TRUE : FALSE);
  } else {
    throw new ValidationError(`key part ${index} must be null, bytes, string, number, bigint or boolean, got ${describe(part)}`, {
      field: `key[${index}]`,
    });
  }
}

// A 0x00 inside the data is written 0x00 0xFF so that the terminating 0x00 stays the smallest
// continuation: a shorter string sorts before any longer string with the same start.
function pushEscaped(bytes: Uint8Array, w: KeyWriter): void {
  w.ensure(bytes.byteLength * 2 + 1);
  for (const b of bytes) {
    w.buf[w.pos++] = b;
    if (b === 0x00) w.buf[w.pos++] = 0xff;
  }
  w.buf[w.pos++] = 0x00;
}

function pushBigInt(value: bigint, w: KeyWriter): void {
  if (value === 0n) {
    w.byte(INT_ZERO);
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
  w.ensure(bytes.length + 2);
  if (!negative) {
    if (bytes.length <= 8) {
      w.buf[w.pos++] = INT_ZERO + bytes.length;
    } else {
      w.buf[w.pos++] = POS_BIG;
      w.buf[w.pos++] = bytes.length;
    }
    for (const b of bytes) w.buf[w.pos++] = b;
  } else {
    // One's complement makes larger magnitudes sort first, as negative numbers must.
    if (bytes.length <= 8) {
      w.buf[w.pos++] = INT_ZERO - bytes.length;
    } else {
      w.buf[w.pos++] = NEG_BIG;
      w.buf[w.pos++] = bytes.length ^ 0xff;
    }
    for (const b of bytes) w.buf[w.pos++] = b ^ 0xff;
  }
}

function pushDouble(value: number, w: KeyWriter): void {
  w.ensure(9);
  w.buf[w.pos++] = DOUBLE;
  const at = w.pos;
  w.buf.writeDoubleBE(value, at);
  // Flip the sign bit for positives and every bit for negatives: byte order becomes numeric order.
  if ((w.buf[at]! & 0x80) !== 0) for (let i = at; i < at + 8; i++) w.buf[i] = w.buf[i]! ^ 0xff;
  else w.buf[at] = w.buf[at]! ^ 0x80;
  w.pos += 8;
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
      const end = key.indexOf(0x00, at);
      // No escaped NUL inside (the common case): decode straight from the key, no copy.
      if (end >= 0 && key[end + 1] !== 0xff) return [utf8Slice(key, at, end), end + 1];
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
      const raw = need(key, at, 8);
      const flip = (raw[0]! & 0x80) !== 0 ? -1 : 0; // -1: positive (only the sign bit was flipped)
      for (let i = 0; i < 8; i++) doubleScratch[i] = flip === -1 ? (i === 0 ? raw[0]! ^ 0x80 : raw[i]!) : raw[i]! ^ 0xff;
      return [doubleScratch.readDoubleBE(0), at + 8];
    }
    case tag === FALSE:
      return [false, at];
    case tag === TRUE:
      return [true, at];
    default:
      throw new ValidationError(`not a SochDB tuple key: unknown type byte 0x${tag.toString(16)} at offset ${pos}`);
  }
}

const doubleScratch = Buffer.alloc(8);

/** UTF-8 text of key[start, end); short ASCII is built directly, which beats a native call. */
function utf8Slice(key: Uint8Array, start: number, end: number): string {
  if (end - start <= 32) {
    let ascii = true;
    for (let i = start; i < end; i++) if (key[i]! > 0x7f) ascii = false;
    if (ascii) {
      let text = '';
      for (let i = start; i < end; i++) text += String.fromCharCode(key[i]!);
      return text;
    }
  }
  return Buffer.from(key.buffer, key.byteOffset + start, end - start).toString('utf8');
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
  const buf = Buffer.isBuffer(key) ? key : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  const end = buf.indexOf(0x00, at);
  if (end < 0) throw new ValidationError(`not a SochDB tuple key: unterminated string at offset ${at}`);
  // The common case, no escaped NUL inside: one slice, no byte-by-byte copy.
  if (buf[end + 1] !== 0xff) return [Buffer.from(buf.subarray(at, end)), end + 1];
  const bytes: number[] = [];
  let pos = at;
  for (;;) {
    if (pos >= buf.byteLength) throw new ValidationError(`not a SochDB tuple key: unterminated string at offset ${at}`);
    const b = buf[pos]!;
    if (b === 0x00) {
      if (buf[pos + 1] === 0xff) {
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
