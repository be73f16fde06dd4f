import { NotFoundError, ValidationError, type Storage } from '@sochdb/core';
import { persistentFactory, memoryFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TemporalEdgeNotFoundError, TemporalGraph, TemporalOverlapError, type TemporalEdge } from '../src/index.js';

const JAN_2024 = 1704067200000;
const JAN_2025 = 1735689600000;
const ns = 'org';

// Named by hand: calling a factory just to read its name would leave a temp folder behind.
describe.each([
  [persistentFactory().name, persistentFactory],
  ['memory', memoryFactory],
] as const)('TemporalGraph on %s storage', (_name, makeFactory) => {
  let factory: StorageFactory;
  let storage: Storage;
  let graph: TemporalGraph;
  let clock: number;

  beforeEach(async () => {
    factory = makeFactory();
    storage = await factory.open();
    clock = Date.UTC(2026, 0, 1);
    graph = new TemporalGraph(storage, { now: () => clock });
  });
  afterEach(async () => {
    await storage.close();
    await factory.cleanup();
  });

  const at = (timestamp: number, extra: { node?: string; edgeType?: string; direction?: 'out' | 'in' | 'both' } = {}) =>
    graph.query({ namespace: ns, node: extra.node ?? 'alice', mode: 'point_in_time', timestamp, edgeType: extra.edgeType, direction: extra.direction });
  const ids = (edges: readonly TemporalEdge[]) => edges.map((e) => `${e.fromId}>${e.toId}@${e.validFrom}`);

  async function aliceHistory(): Promise<void> {
    await graph.addTemporalEdge({
      namespace: ns,
      fromId: 'alice',
      edgeType: 'WORKS_AT',
      toId: 'acme_corp',
      validFrom: JAN_2024,
      validUntil: JAN_2025,
      properties: { role: 'Engineer' },
    });
    await graph.addTemporalEdge({
      namespace: ns,
      fromId: 'alice',
      edgeType: 'WORKS_AT',
      toId: 'globex_inc',
      validFrom: JAN_2025,
      validUntil: 0,
      properties: { role: 'Senior Engineer' },
    });
  }

  it('answers the guide\'s "where did Alice work on 2024-06-15?" and "all jobs in 2024"', async () => {
    await aliceHistory();
    const then = await at(1718409600000, { edgeType: 'WORKS_AT' });
    expect(then.map((e) => `Worked at: ${e.toId} as ${(e.properties as { role: string }).role}`)).toEqual(['Worked at: acme_corp as Engineer']);
    const in2024 = await graph.query({ namespace: ns, node: 'alice', mode: 'range', startTime: JAN_2024, endTime: 1735689599999, edgeType: 'WORKS_AT' });
    expect(in2024.map((e) => `${e.toId}: ${e.validFrom} - ${e.validUntil}`)).toEqual([`acme_corp: ${JAN_2024} - ${JAN_2025}`]);
    expect(in2024[0]).toEqual({
      fromId: 'alice',
      edgeType: 'WORKS_AT',
      toId: 'acme_corp',
      validFrom: JAN_2024,
      validUntil: JAN_2025,
      properties: { role: 'Engineer' },
    });
    expect(ids(await graph.query({ namespace: ns, node: 'alice', mode: 'current' }))).toEqual([`alice>globex_inc@${JAN_2025}`]);
  });

  it('treats intervals as [validFrom, validUntil) exactly at the boundaries', async () => {
    await aliceHistory();
    expect(ids(await at(JAN_2024 - 1))).toEqual([]);
    expect(ids(await at(JAN_2024))).toEqual([`alice>acme_corp@${JAN_2024}`]);
    expect(ids(await at(JAN_2025 - 1))).toEqual([`alice>acme_corp@${JAN_2024}`]);
    expect(ids(await at(JAN_2025))).toEqual([`alice>globex_inc@${JAN_2025}`]);
    expect(ids(await at(Number.MAX_SAFE_INTEGER))).toEqual([`alice>globex_inc@${JAN_2025}`]);
  });

  it('uses overlap semantics on a closed window for range queries', async () => {
    await aliceHistory();
    const range = async (startTime: number, endTime: number) => ids(await graph.query({ namespace: ns, node: 'alice', mode: 'range', startTime, endTime }));
    const acme = `alice>acme_corp@${JAN_2024}`;
    const globex = `alice>globex_inc@${JAN_2025}`;
    expect(await range(0, JAN_2024 - 1)).toEqual([]);
    expect(await range(0, JAN_2024)).toEqual([acme]);
    expect(await range(JAN_2025 - 1, JAN_2025 - 1)).toEqual([acme]);
    expect(await range(JAN_2025 - 1, JAN_2025)).toEqual([acme, globex]);
    expect(await range(JAN_2025, JAN_2025 + 5)).toEqual([globex]);
    expect(await range(0, Number.MAX_SAFE_INTEGER)).toEqual([acme, globex]);
  });

  it('keeps many versions of one edge and finds the one in force at any time', async () => {
    // Added out of order, with a gap between 400 and 500.
    const versions: [number, number][] = [
      [300, 400],
      [100, 200],
      [500, 0],
      [200, 300],
    ];
    for (const [validFrom, validUntil] of versions) {
      await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'STATUS', toId: 'b', validFrom, validUntil, properties: { v: validFrom } });
    }
    const props = async (t: number) => (await at(t, { node: 'a' })).map((e) => e.properties);
    expect(await props(99)).toEqual([]);
    expect(await props(100)).toEqual([{ v: 100 }]);
    expect(await props(250)).toEqual([{ v: 200 }]);
    expect(await props(399)).toEqual([{ v: 300 }]);
    expect(await props(450)).toEqual([]);
    expect(await props(10_000)).toEqual([{ v: 500 }]);
    expect((await graph.edgeHistory({ namespace: ns, fromId: 'a', edgeType: 'STATUS', toId: 'b' })).map((e) => [e.validFrom, e.validUntil])).toEqual([
      [100, 200],
      [200, 300],
      [300, 400],
      [500, 0],
    ]);
  });

  it('finds an older version when the latest one is scheduled in the future', async () => {
    clock = 150;
    await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 100, validUntil: 200 });
    await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 1000 });
    expect(ids(await graph.query({ namespace: ns, node: 'a', mode: 'current' }))).toEqual(['a>b@100']);
    clock = 500;
    expect(ids(await graph.query({ namespace: ns, node: 'a', mode: 'current' }))).toEqual([]);
    clock = 1000;
    expect(ids(await graph.query({ namespace: ns, node: 'a', mode: 'current' }))).toEqual(['a>b@1000']);
  });

  it('refuses a version that overlaps another version of the same edge, and replaces one with the same validFrom', async () => {
    await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 100, validUntil: 200, properties: 1 });
    await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 300, properties: 2 });
    for (const [validFrom, validUntil] of [
      [150, 160],
      [50, 101],
      [199, 250],
      [250, 0],
      [400, 500],
      [0, 0],
    ] as const) {
      const err = await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom, validUntil }).catch((e: unknown) => e);
      expect(err, `[${validFrom}, ${validUntil})`).toBeInstanceOf(TemporalOverlapError);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as TemporalOverlapError).code).toBe(8102);
    }
    // Touching intervals do not overlap; other edges (another type or target) are independent.
    await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 200, validUntil: 300, properties: 'gap' });
    await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'F', toId: 'b', validFrom: 150 });
    await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'c', validFrom: 150 });
    // Same validFrom: a correction of that version.
    await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 100, validUntil: 150, properties: 'fixed' });
    expect((await at(120, { node: 'a', edgeType: 'E' })).map((e) => [e.toId, e.properties])).toEqual([['b', 'fixed']]);
    expect((await at(170, { node: 'a', edgeType: 'E' })).map((e) => [e.toId, e.properties])).toEqual([['c', {}]]);
    await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 300, validUntil: 0, properties: 'head fixed' });
    expect((await at(5000, { node: 'a', edgeType: 'E' })).map((e) => e.properties)).toEqual(['head fixed', {}]);
  });

  it('closes the open version with endTemporalEdge', async () => {
    await aliceHistory();
    const closed = await graph.endTemporalEdge({ namespace: ns, fromId: 'alice', edgeType: 'WORKS_AT', toId: 'globex_inc', at: JAN_2025 + 1000 });
    expect(closed).toMatchObject({ toId: 'globex_inc', validFrom: JAN_2025, validUntil: JAN_2025 + 1000, properties: { role: 'Senior Engineer' } });
    expect(ids(await at(JAN_2025 + 999))).toEqual([`alice>globex_inc@${JAN_2025}`]);
    expect(ids(await at(JAN_2025 + 1000))).toEqual([]);
    expect(ids(await graph.query({ namespace: ns, node: 'alice', mode: 'current' }))).toEqual([]);
    // A new open version may now follow.
    await graph.addTemporalEdge({
      namespace: ns,
      fromId: 'alice',
      edgeType: 'WORKS_AT',
      toId: 'globex_inc',
      validFrom: JAN_2025 + 1000,
      properties: { role: 'Lead' },
    });
    expect((await graph.query({ namespace: ns, node: 'alice', mode: 'current' })).map((e) => e.properties)).toEqual([{ role: 'Lead' }]);
  });

  it('ends at "now" by default and reports a typed error when nothing is open', async () => {
    await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 100 });
    clock = 5000;
    expect((await graph.endTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' })).validUntil).toBe(5000);
    const err = await graph.endTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TemporalEdgeNotFoundError);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as TemporalEdgeNotFoundError).code).toBe(8101);
    await expect(graph.endTemporalEdge({ namespace: ns, fromId: 'x', edgeType: 'E', toId: 'y' })).rejects.toThrow(TemporalEdgeNotFoundError);
    await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 6000 });
    await expect(graph.endTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', at: 6000 })).rejects.toMatchObject({ code: 6000, field: 'at' });
  });

  it('queries incoming edges and both directions, listing a self-loop once', async () => {
    await aliceHistory();
    await graph.addTemporalEdge({ namespace: ns, fromId: 'bob', edgeType: 'WORKS_AT', toId: 'globex_inc', validFrom: 0 });
    await graph.addTemporalEdge({ namespace: ns, fromId: 'globex_inc', edgeType: 'OWNS', toId: 'globex_inc', validFrom: 0 });
    expect(ids(await graph.query({ namespace: ns, node: 'globex_inc', mode: 'current', direction: 'in', edgeType: 'WORKS_AT' }))).toEqual([
      `alice>globex_inc@${JAN_2025}`,
      'bob>globex_inc@0',
    ]);
    expect(ids(await at(JAN_2024, { node: 'globex_inc', direction: 'in' }))).toEqual(['globex_inc>globex_inc@0', 'bob>globex_inc@0']);
    expect(ids(await at(JAN_2024, { node: 'globex_inc', direction: 'both' }))).toEqual(['globex_inc>globex_inc@0', 'bob>globex_inc@0']);
  });

  it('accepts any non-empty string as an id and keeps namespaces and id prefixes apart', async () => {
    const weird = ['a', 'a\u0000', 'a"b', 'x/y', '😀', 'é'];
    for (const id of weird) await graph.addTemporalEdge({ namespace: 'n"/', fromId: id, edgeType: 'E"/', toId: `${id}!`, validFrom: 10 });
    for (const id of weird) expect(ids(await graph.query({ namespace: 'n"/', node: id, mode: 'point_in_time', timestamp: 10 }))).toEqual([`${id}>${id}!@10`]);
    expect(await graph.query({ namespace: 'n"', node: 'a', mode: 'current' })).toEqual([]);
    expect(await graph.query({ namespace: 'n"/\u0000', node: 'a', mode: 'current' })).toEqual([]);
  });

  it('rejects bad intervals and arguments with a ValidationError naming the field', async () => {
    const base = { namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' };
    const cases: [Promise<unknown>, string][] = [
      [graph.addTemporalEdge({ ...base, validFrom: 100, validUntil: 100 }), 'validUntil'],
      [graph.addTemporalEdge({ ...base, validFrom: 100, validUntil: 50 }), 'validUntil'],
      [graph.addTemporalEdge({ ...base, validFrom: -1 }), 'validFrom'],
      [graph.addTemporalEdge({ ...base, validFrom: 1.5 }), 'validFrom'],
      [graph.addTemporalEdge({ ...base, validFrom: NaN }), 'validFrom'],
      [graph.addTemporalEdge({ ...base, validFrom: '2024-01-01' as never }), 'validFrom'],
      [graph.addTemporalEdge({ ...base, validFrom: 1, validUntil: -5 }), 'validUntil'],
      [graph.addTemporalEdge({ ...base, validFrom: 1, validUntil: Infinity }), 'validUntil'],
      [graph.addTemporalEdge({ ...base, toId: '', validFrom: 1 }), 'toId'],
      [graph.addTemporalEdge({ ...base, validFrom: 1, properties: { f: () => 1 } as never }), 'properties.f'],
      [graph.query({ namespace: ns, node: 'a', mode: 'point_in_time', timestamp: -3 }), 'timestamp'],
      [graph.query({ namespace: ns, node: 'a', mode: 'range', startTime: 10, endTime: 5 }), 'endTime'],
      [graph.query({ namespace: ns, node: 'a', mode: 'sometime' } as never), 'mode'],
      [graph.query({ namespace: ns, node: '', mode: 'current' }), 'node'],
      [graph.query({ namespace: ns, node: 'a', mode: 'current', direction: 'up' as never }), 'direction'],
    ];
    for (const [promise, field] of cases) {
      const err = await promise.catch((e: unknown) => e);
      expect(err, field).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field, field).toBe(field);
    }
    expect(await graph.edgeHistory(base)).toEqual([]);
  });

  it('joins a caller transaction: an abort leaves nothing, a commit shows everything', async () => {
    const txn = storage.beginTransaction();
    await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 1 }, { txn });
    expect(ids(await graph.query({ namespace: ns, node: 'a', mode: 'current' }, { txn }))).toEqual(['a>b@1']);
    expect(await graph.query({ namespace: ns, node: 'a', mode: 'current' })).toEqual([]);
    await txn.abort();
    expect(await graph.edgeHistory({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' })).toEqual([]);
    await storage.transaction(async (t) => {
      await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 1 }, { txn: t });
      await graph.endTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', at: 9 }, { txn: t });
    });
    expect(ids(await at(8, { node: 'a' }))).toEqual(['a>b@1']);
    expect(ids(await at(9, { node: 'a' }))).toEqual([]);
  });

  it('answers point-in-time and current queries without reading the history', async () => {
    const versions = 1500;
    await storage.transaction(async (txn) => {
      for (let v = 0; v < versions; v++) {
        const validUntil = v === versions - 1 ? 0 : (v + 1) * 10;
        await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: v * 10, validUntil, properties: { v } }, { txn });
      }
    });
    const read = async (fn: () => Promise<unknown>) => {
      const before = (await storage.currentStats()).bytesRead;
      await fn();
      return (await storage.currentStats()).bytesRead - before;
    };
    const history = await read(() => graph.edgeHistory({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' }));
    for (const t of [5, 3333, 7777, 14_000, 14_995]) {
      const result = await graph.query({ namespace: ns, node: 'a', mode: 'point_in_time', timestamp: t });
      expect(result.map((e) => e.properties)).toEqual([{ v: Math.floor(t / 10) }]);
      expect(await read(() => graph.query({ namespace: ns, node: 'a', mode: 'point_in_time', timestamp: t }))).toBeLessThan(history / 20);
    }
    expect(await read(() => graph.query({ namespace: ns, node: 'a', mode: 'current' }))).toBeLessThan(history / 100);
    expect(await read(() => graph.query({ namespace: ns, node: 'b', mode: 'current', direction: 'in' }))).toBeLessThan(history / 100);
  });

  it('serializes concurrent writers of one edge so versions never overlap', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 100 + i })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(TemporalOverlapError);
    expect(await graph.edgeHistory({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b' })).toHaveLength(1);
  });
});

describe('TemporalGraph on LevelDB', () => {
  it('keeps every version and its indexes across a reopen', async () => {
    const factory = persistentFactory();
    try {
      let storage = await factory.open();
      let graph = new TemporalGraph(storage, { now: () => 10_000 });
      await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 100, validUntil: 200, properties: { v: 1 } });
      await graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 200, properties: { v: 2 } });
      await storage.close();
      storage = await factory.open();
      graph = new TemporalGraph(storage, { now: () => 10_000 });
      expect((await graph.query({ namespace: ns, node: 'a', mode: 'point_in_time', timestamp: 150 })).map((e) => e.properties)).toEqual([{ v: 1 }]);
      expect((await graph.query({ namespace: ns, node: 'b', mode: 'current', direction: 'in' })).map((e) => e.properties)).toEqual([{ v: 2 }]);
      await expect(graph.addTemporalEdge({ namespace: ns, fromId: 'a', edgeType: 'E', toId: 'b', validFrom: 300 })).rejects.toThrow(TemporalOverlapError);
      await storage.close();
    } finally {
      await factory.cleanup();
    }
  });
});

describe('dropNamespace', () => {
  it('removes every version of one namespace and nothing of another', async () => {
    const { MemoryStorage } = await import('@sochdb/core');
    const { TemporalGraph } = await import('../src/index.js');
    const storage = await MemoryStorage.open();
    const graph = new TemporalGraph(storage);
    for (const namespace of ['a', 'b'])
      await graph.addTemporalEdge({ namespace, fromId: 'alice', edgeType: 'WORKS_AT', toId: 'acme', validFrom: 1000, validUntil: 0 });
    expect(await graph.dropNamespace('a')).toBeGreaterThan(0);
    expect(await graph.query({ namespace: 'a', node: 'alice', mode: 'current' })).toEqual([]);
    expect(await graph.query({ namespace: 'b', node: 'alice', mode: 'current' })).toHaveLength(1);
    await storage.close();
  });
});
