import { compareBytes, encodeKey, MemoryStorage, type Storage } from '@sochdb/core';
import { persistentFactory } from '@sochdb/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TemporalEdgeNotFoundError, TemporalGraph, TemporalOverlapError, type TemporalEdge } from '../src/index.js';

// A brute-force model: every version in a list, every query a filter over all of them.
const ids = ['a', 'a\u0000', 'b"', '😀'];
const types = ['E', 'F'];
const ns = 'prop';

type Op =
  | { readonly op: 'add'; readonly from: number; readonly type: string; readonly to: number; readonly validFrom: number; readonly length: number }
  | { readonly op: 'end'; readonly from: number; readonly type: string; readonly to: number; readonly at: number };

const idx = fc.nat({ max: ids.length - 1 });
const time = fc.nat({ max: 120 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      from: idx,
      type: fc.constantFrom(...types),
      to: idx,
      validFrom: time,
      length: fc.nat({ max: 30 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('end' as const), from: idx, type: fc.constantFrom(...types), to: idx, at: time }) },
);
const queryArb = fc.record({
  node: idx,
  mode: fc.constantFrom('point_in_time' as const, 'range' as const, 'current' as const),
  t: time,
  span: fc.nat({ max: 40 }),
  direction: fc.constantFrom('out' as const, 'in' as const, 'both' as const),
  edgeType: fc.option(fc.constantFrom(...types), { nil: undefined }),
});

type Query = typeof queryArb extends fc.Arbitrary<infer Q> ? Q : never;

const overlaps = (a: TemporalEdge, f: number, u: number): boolean => (a.validUntil === 0 || a.validUntil > f) && (u === 0 || u > a.validFrom);
const sameEdge = (a: TemporalEdge, b: { fromId: string; edgeType: string; toId: string }): boolean =>
  a.fromId === b.fromId && a.edgeType === b.edgeType && a.toId === b.toId;

function expected(
  model: readonly TemporalEdge[],
  node: string,
  direction: 'out' | 'in' | 'both',
  edgeType: string | undefined,
  holds: (e: TemporalEdge) => boolean,
): TemporalEdge[] {
  const side = (dir: 'out' | 'in'): TemporalEdge[] =>
    model
      .filter((e) => (dir === 'out' ? e.fromId : e.toId) === node && (edgeType === undefined || e.edgeType === edgeType) && holds(e))
      .map((e) => [encodeKey([e.edgeType, dir === 'out' ? e.toId : e.fromId, e.validFrom]), e] as const)
      .sort((x, y) => compareBytes(x[0], y[0]))
      .map(([, e]) => e);
  if (direction !== 'both') return side(direction);
  return [...side('out'), ...side('in').filter((e) => e.fromId !== e.toId)];
}

async function run(storage: Storage, ops: readonly Op[], queries: readonly Query[], now: number): Promise<void> {
  const graph = new TemporalGraph(storage, { now: () => now });
  let model: TemporalEdge[] = [];
  for (const op of ops) {
    const ref = { fromId: ids[op.from]!, edgeType: op.type, toId: ids[op.to]! };
    if (op.op === 'add') {
      const validUntil = op.length === 0 ? 0 : op.validFrom + op.length;
      const clash = model.some((e) => sameEdge(e, ref) && e.validFrom !== op.validFrom && overlaps(e, op.validFrom, validUntil));
      const attempt = graph.addTemporalEdge({ namespace: ns, ...ref, validFrom: op.validFrom, validUntil, properties: { n: model.length } });
      if (clash) {
        await expect(attempt).rejects.toThrow(TemporalOverlapError);
      } else {
        const added = await attempt;
        model = [...model.filter((e) => !(sameEdge(e, ref) && e.validFrom === op.validFrom)), added];
      }
    } else {
      const open = model.find((e) => sameEdge(e, ref) && e.validUntil === 0);
      const attempt = graph.endTemporalEdge({ namespace: ns, ...ref, at: op.at });
      if (open === undefined) await expect(attempt).rejects.toThrow(TemporalEdgeNotFoundError);
      else if (op.at <= open.validFrom) await expect(attempt).rejects.toMatchObject({ field: 'at' });
      else {
        await attempt;
        model = model.map((e) => (e === open ? { ...e, validUntil: op.at } : e));
      }
    }
  }
  for (const q of queries) {
    const node = ids[q.node]!;
    const base = { namespace: ns, node, direction: q.direction, edgeType: q.edgeType };
    const holdsAt = (t: number) => (e: TemporalEdge) => e.validFrom <= t && (e.validUntil === 0 || e.validUntil > t);
    if (q.mode === 'point_in_time') {
      expect(await graph.query({ ...base, mode: 'point_in_time', timestamp: q.t })).toEqual(expected(model, node, q.direction, q.edgeType, holdsAt(q.t)));
    } else if (q.mode === 'current') {
      expect(await graph.query({ ...base, mode: 'current' })).toEqual(expected(model, node, q.direction, q.edgeType, holdsAt(now)));
    } else {
      const end = q.t + q.span;
      const holds = (e: TemporalEdge) => e.validFrom <= end && (e.validUntil === 0 || e.validUntil > q.t);
      expect(await graph.query({ ...base, mode: 'range', startTime: q.t, endTime: end })).toEqual(expected(model, node, q.direction, q.edgeType, holds));
    }
  }
  for (const e of model) {
    const history = await graph.edgeHistory({ namespace: ns, fromId: e.fromId, edgeType: e.edgeType, toId: e.toId });
    expect(history).toEqual(model.filter((m) => sameEdge(m, e)).sort((x, y) => x.validFrom - y.validFrom));
  }
}

describe('temporal queries match a brute-force model', () => {
  it('on memory storage', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 40 }), fc.array(queryArb, { minLength: 1, maxLength: 8 }), time, async (ops, queries, now) => {
        const storage = await MemoryStorage.open();
        try {
          await run(storage, ops, queries, now);
        } finally {
          await storage.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('on LevelDB storage', async () => {
    const factory = persistentFactory();
    const storage = await factory.open();
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { maxLength: 30 }), fc.array(queryArb, { minLength: 1, maxLength: 5 }), time, async (ops, queries, now) => {
          await storage.clear();
          await run(storage, ops, queries, now);
        }),
        { numRuns: 25 },
      );
    } finally {
      await storage.close();
      await factory.cleanup();
    }
  });
});
