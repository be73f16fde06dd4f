// applyRowWrites against the obvious construction (every key in a sorted map, writes applied in
// order), for few writes (copied arrays changed in place) and many (one merge pass).
import { describe, expect, it } from 'vitest';
import { compareBytes, encodeKey } from '@sochdb/core';
import { applyRowWrites, type RowWrite } from '../src/exec/row-cache-patch.js';
import type { SqlValue } from '../src/values/values.js';

type Row = SqlValue[];
const decode = (value: Buffer): Row => [value.toString()];

describe('applyRowWrites', () => {
  it.each([1, 5, 64, 65, 300])('gives the rows and keys of the table after %i random writes, in key order', (count) => {
    let seed = count;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const ids = [...new Set(Array.from({ length: 400 }, () => random(1000)))].sort((a, b) => a - b);
    const keys = ids.map((id) => encodeKey(['r', id]));
    const rows = ids.map((id): Row => [`v${id}`]);
    const writes: RowWrite[] = Array.from({ length: count }, () => {
      const key = encodeKey(['r', random(1100)]);
      return { key, value: random(3) === 0 ? undefined : Buffer.from(`w${random(100)}`) };
    });
    const model = new Map<string, { key: Buffer; row: Row }>(keys.map((key, i) => [key.toString('latin1'), { key, row: rows[i]! }]));
    for (const w of writes) {
      if (w.value === undefined) model.delete(w.key.toString('latin1'));
      else model.set(w.key.toString('latin1'), { key: w.key, row: decode(w.value) });
    }
    const expected = [...model.values()].sort((a, b) => compareBytes(a.key, b.key));
    const before = { rows: rows.slice(), keys: keys.slice() };
    const patched = applyRowWrites({ rows, keys }, writes, decode);
    expect(patched.keys).toEqual(expected.map((e) => e.key));
    expect(patched.rows).toEqual(expected.map((e) => e.row));
    // The old arrays are untouched (queries may still read them); removed/added say what changed.
    expect(rows).toEqual(before.rows);
    expect(keys).toEqual(before.keys);
    for (const r of patched.removed) expect(rows).toContain(r);
    for (const [i, r] of patched.added.entries()) expect(patched.rows[patched.keys.indexOf(patched.addedKeys[i]!)]).toBe(r);
  });
});
