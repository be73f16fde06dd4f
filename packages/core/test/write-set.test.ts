// A transaction's write buffer against a plain model: whatever the order of writes (ascending
// runs, random keys, overwrites, range reads in between), lookups, ranges and the op list agree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeRange } from '../src/storage/range.js';
import { WriteSet } from '../src/storage/write-set.js';

type Step =
  | { readonly kind: 'set'; readonly key: number; readonly value: number | null }
  | { readonly kind: 'range'; readonly low: number; readonly high: number; readonly reverse: boolean };

// Keys of different lengths and shared prefixes, so byte order differs from numeric order.
const keyOf = (n: number) => Buffer.from(n % 3 === 0 ? `k${n}` : `k${String(n).padStart(3, '0')}x`);

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), key: fc.nat(60), value: fc.option(fc.nat(9)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('range' as const), low: fc.nat(60), high: fc.nat(60), reverse: fc.boolean() }) },
);
// Mostly ascending keys, as bulk loads write them, with random ones mixed in.
const ascending = fc.array(fc.nat(3), { maxLength: 80 }).map((gaps) => {
  let at = 0;
  return gaps.map((g): Step => ({ kind: 'set', key: (at += g), value: at % 5 === 0 ? null : at % 10 }));
});

describe('WriteSet', () => {
  it('agrees with a model for any mix of ascending and random writes and range reads', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            step,
            ascending.chain((a) => fc.constant(a)),
          ),
          { maxLength: 12 },
        ),
        (chunks) => {
          const steps = chunks.flat();
          const set = new WriteSet();
          const model = new Map<string, Buffer | undefined>();
          const sortedModel = () => [...model.entries()].sort(([a], [b]) => Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')));
          for (const s of steps) {
            if (s.kind === 'set') {
              const key = keyOf(s.key);
              const value = s.value === null ? undefined : Buffer.from(String(s.value));
              set.set(key, value);
              model.set(key.toString('latin1'), value);
            } else {
              const [low, high] = [keyOf(Math.min(s.low, s.high)), keyOf(Math.max(s.low, s.high))];
              const lowFirst = Buffer.compare(low, high) <= 0;
              const r = normalizeRange({ gte: lowFirst ? low : high, lt: lowFirst ? high : low, reverse: s.reverse });
              const got = [...set.range(r)].map(([k, v]) => `${k}=${v ?? '-'}`);
              let want = sortedModel()
                .filter(([k]) => Buffer.compare(Buffer.from(k, 'latin1'), r.gte!) >= 0 && Buffer.compare(Buffer.from(k, 'latin1'), r.lt!) < 0)
                .map(([k, v]) => `${k}=${v ?? '-'}`);
              if (s.reverse) want = want.reverse();
              expect(got).toEqual(want);
            }
          }
          expect(set.size).toBe(model.size);
          for (const n of Array.from({ length: 64 }, (_, i) => i)) {
            const key = keyOf(n);
            const id = key.toString('latin1');
            expect(set.lookup(key)?.value?.toString()).toBe(model.get(id)?.toString());
            expect(set.lookup(key) !== undefined).toBe(model.has(id));
          }
          const ops = set
            .ops()
            .map((o) => `${o.key}=${o.value ?? '-'}`)
            .sort();
          expect(ops).toEqual([...model.entries()].map(([k, v]) => `${k}=${v ?? '-'}`).sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});
