// The tuple codec's promise: byte order of encoded keys = logical order of the tuples.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareBytes, decodeKey, encodeKey, keyRange, ValidationError, type KeyPart } from '@sochdb/core';

const TYPE_RANK = (p: KeyPart): number =>
  p === null ? 0 : p instanceof Uint8Array ? 1 : typeof p === 'string' ? 2 : typeof p === 'bigint' ? 3 : typeof p === 'number' ? 4 : p ? 6 : 5;

function compareParts(a: KeyPart, b: KeyPart): number {
  const ra = TYPE_RANK(a);
  const rb = TYPE_RANK(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'string' && typeof b === 'string') return compareBytes(Buffer.from(a), Buffer.from(b));
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  return 0;
}
function compareTuples(a: readonly KeyPart[], b: readonly KeyPart[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareParts(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

const part: fc.Arbitrary<KeyPart> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.string({ unit: 'binary' }),
  fc.uint8Array({ maxLength: 8 }).map((u) => Buffer.from(u)),
  fc.double({ noNaN: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }),
  fc.integer(),
);
const tuple = fc.array(part, { maxLength: 4 });

describe('encodeKey / decodeKey', () => {
  it('round-trips every supported part', () => {
    fc.assert(
      fc.property(tuple, (t) => {
        expect(decodeKey(encodeKey(t))).toEqual(t.map((p) => (p instanceof Uint8Array ? Buffer.from(p) : p)));
      }),
    );
  });

  it('orders encoded bytes exactly as the tuples order', () => {
    fc.assert(
      fc.property(tuple, tuple, (a, b) => {
        expect(Math.sign(compareBytes(encodeKey(a), encodeKey(b)))).toBe(Math.sign(compareTuples(a, b)));
      }),
      { numRuns: 2000 },
    );
  });

  it('orders the edge cases: negatives, > 2^53 bigints, embedded NULs, prefixes', () => {
    const sorted = [[-(2n ** 80n)], [-1n], [0n], [1n], [2n ** 53n + 1n], [2n ** 80n]].map((t) => encodeKey(t));
    expect([...sorted].sort(compareBytes)).toEqual(sorted);
    expect(compareBytes(encodeKey(['a']), encodeKey(['a\0']))).toBeLessThan(0);
    expect(compareBytes(encodeKey(['a\0']), encodeKey(['a\0b']))).toBeLessThan(0);
    expect(compareBytes(encodeKey(['users']), encodeKey(['users', 1]))).toBeLessThan(0);
    expect(compareBytes(encodeKey([-Infinity]), encodeKey([-1e308]))).toBeLessThan(0);
    expect(encodeKey([-0])).toEqual(encodeKey([0]));
  });

  it('keyRange covers exactly the keys that extend a tuple prefix', () => {
    const { gte, lt } = keyRange(['t', 'users']);
    const inside = encodeKey(['t', 'users', 5]);
    const outside = encodeKey(['t', 'usersX']);
    expect(compareBytes(inside, gte) >= 0 && compareBytes(inside, lt) < 0).toBe(true);
    expect(compareBytes(outside, gte) >= 0 && compareBytes(outside, lt) < 0).toBe(false);
    // A string with an embedded NUL starts with the same bytes as the shorter tuple; it must not
    // fall inside that tuple's range (this is what keeps namespace 'a' out of namespace 'a\0b').
    const nul = encodeKey(['t', 'users\0evil', 1]);
    expect(nul.subarray(0, gte.byteLength)).toEqual(gte);
    expect(compareBytes(nul, lt) >= 0).toBe(true);
    expect(compareBytes(encodeKey(['t', 'users']), gte)).toBe(0);
  });

  it('keyRange contains exactly the extensions of the prefix (property)', () => {
    fc.assert(
      fc.property(tuple, tuple, (prefix, other) => {
        const { gte, lt } = keyRange(prefix);
        const key = encodeKey(other);
        const inside = compareBytes(key, gte) >= 0 && compareBytes(key, lt) < 0;
        const extends_ = other.length >= prefix.length && compareTuples(other.slice(0, prefix.length), prefix) === 0;
        expect(inside).toBe(extends_);
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects what it cannot order, with ValidationError', () => {
    expect(() => encodeKey([NaN])).toThrow(ValidationError);
    expect(() => encodeKey([{} as never])).toThrow(/key part 0/);
    expect(() => decodeKey(Buffer.from([0x99]))).toThrow(ValidationError);
    expect(() => decodeKey(Buffer.from([0x02, 0x61]))).toThrow(/unterminated/);
    expect(() => decodeKey(Buffer.from([0x21, 1, 2]))).toThrow(/truncated/);
  });
});
