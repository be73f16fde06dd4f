import { ValidationError } from '@sochdb/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamingTopK } from '../src/index.js';

describe('StreamingTopK', () => {
  it('keeps exactly the k smallest of any stream, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 })), fc.integer({ min: 0, max: 20 }), (items, k) => {
        const top = new StreamingTopK<number>(k, (a, b) => a - b).pushAll(items);
        expect(top.toSortedArray()).toEqual([...items].sort((a, b) => a - b).slice(0, k));
        expect(top.size).toBe(Math.min(k, items.length));
      }),
    );
  });

  it('works with any comparator, e.g. highest score first, and can be reused after clear()', () => {
    const top = new StreamingTopK<{ id: string; score: number }>(2, (a, b) => b.score - a.score);
    for (const [id, score] of [
      ['a', 1],
      ['b', 9],
      ['c', 5],
      ['d', 7],
    ] as const)
      top.push({ id, score });
    expect(top.toSortedArray().map((x) => x.id)).toEqual(['b', 'd']);
    top.clear();
    expect(top.size).toBe(0);
    expect(top.push({ id: 'e', score: 0 })).toBe(true);
  });

  it('rejects a bad k', () => {
    expect(() => new StreamingTopK(-1, () => 0)).toThrow(ValidationError);
    expect(() => new StreamingTopK(1.5, () => 0)).toThrow(ValidationError);
  });
});
