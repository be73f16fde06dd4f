import type { Storage } from '@sochdb/core';
import { type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PriorityQueue } from '../src/index.js';
import { backends, text } from './helpers.js';

const cases = backends.flatMap(([name, factory]) => (['exclusive', 'shared'] as const).map((mode) => [name, mode, factory] as const));

describe.each(cases)('concurrent workers on %s storage, %s mode', (_name, mode, makeFactory) => {
  let factory: StorageFactory;
  let storage: Storage;
  beforeEach(async () => {
    factory = makeFactory();
    storage = await factory.open();
  });
  afterEach(async () => {
    await storage.close();
    await factory.cleanup();
  });

  it('N workers draining M tasks process each task exactly once (no lease expires)', async () => {
    const M = mode === 'shared' ? 120 : 300;
    const N = 8;
    // Two queue objects for the same name, as two parts of an app would open them: they share state.
    // In shared mode they share nothing but the storage, as two processes in concurrent mode would.
    const producer = new PriorityQueue(storage, 'jobs', { visibilityTimeoutMs: 600_000, mode });
    const consumer = new PriorityQueue(storage, 'jobs', { visibilityTimeoutMs: 600_000, mode });
    await producer.enqueueBatch(Array.from({ length: M }, (_, i) => ({ priority: i % 7, payload: String(i) })));
    const seen = new Map<string, number>();
    const workers = Array.from({ length: N }, async (_, w) => {
      const q = w % 2 === 0 ? producer : consumer;
      for (;;) {
        const task = await q.dequeue({ workerId: `w${w}` });
        if (task === null) return;
        seen.set(text(task.payload), (seen.get(text(task.payload)) ?? 0) + 1);
        expect(await q.ack(task)).toBe(true);
      }
    });
    await Promise.all(workers);
    expect(seen.size).toBe(M);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(await consumer.stats()).toEqual({ pending: 0, delayed: 0, claimed: 0, completed: M, deadLettered: 0, total: M });
  });

  it('concurrent dequeues issued in the same tick never return the same task', async () => {
    const q = new PriorityQueue(storage, 'jobs', { mode });
    await q.enqueueBatch(Array.from({ length: 20 }, (_, i) => ({ priority: 0, payload: String(i) })));
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => q.dequeue({ workerId: `w${i}` })));
    const ids = results.filter((t) => t !== null).map((t) => t.taskId);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    // Exclusive mode decides claims in call order, so they went out FIFO; in shared mode the
    // order of commits decides (losers of a conflict retry), so only the set is fixed.
    if (mode === 'exclusive') expect(results.slice(0, 20).map((t) => text(t!.payload))).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
  });

  it('concurrent acks of one task succeed exactly once', async () => {
    const q = new PriorityQueue(storage, 'jobs', { mode });
    await q.enqueue({ priority: 0, payload: 'x' });
    const t = await q.dequeue({ workerId: 'w' });
    const outcomes = await Promise.all([q.ack(t!), q.ack(t!), q.ack(t!.taskId), q.nack(t!)]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const stats = await q.stats();
    expect(stats.completed + stats.pending).toBe(1);
  });
});
