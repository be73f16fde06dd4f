import { MemoryStorage } from '@sochdb/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PriorityQueue, type QueueStats } from '../src/index.js';
import { ManualClock } from './helpers.js';

const MAX_ATTEMPTS = 3;
const LEASE = 100;

/** The reference: a plain list of tasks and the rules of the README, written as simply as possible. */
class ModelQueue {
  readonly tasks: {
    id: string;
    priority: number;
    seq: number;
    attempts: number;
    state: 'pending' | 'delayed' | 'claimed' | 'dead';
    visibleAt: number;
    token: number | undefined;
  }[] = [];
  completed = 0;
  deadLettered = 0;
  #seq = 0;
  #tokens = 0;

  promote(now: number): void {
    for (const t of this.tasks) {
      if (t.visibleAt > now) continue;
      if (t.state === 'delayed') t.state = 'pending';
      if (t.state === 'claimed') {
        if (t.attempts >= MAX_ATTEMPTS) this.#kill(t);
        else t.state = 'pending';
      }
    }
  }
  #kill(t: ModelQueue['tasks'][number]): void {
    t.state = 'dead';
    t.token = undefined;
    this.deadLettered++;
  }
  enqueue(id: string, priority: number, delay: number, now: number): void {
    this.tasks.push({ id, priority, seq: this.#seq++, attempts: 0, state: delay > 0 ? 'delayed' : 'pending', visibleAt: now + delay, token: undefined });
  }
  dequeue(now: number): { id: string; token: number } | null {
    this.promote(now);
    const ready = this.tasks.filter((t) => t.state === 'pending').sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    const t = ready[0];
    if (t === undefined) return null;
    Object.assign(t, { state: 'claimed', attempts: t.attempts + 1, visibleAt: now + LEASE, token: ++this.#tokens });
    return { id: t.id, token: t.token! };
  }
  #owned(id: string, token: number | undefined, now: number) {
    this.promote(now);
    const t = this.tasks.find((x) => x.id === id);
    return t !== undefined && t.token !== undefined && (token === undefined || t.token === token) ? t : undefined;
  }
  ack(id: string, token: number | undefined, now: number): boolean {
    const t = this.#owned(id, token, now);
    if (t === undefined) return false;
    this.tasks.splice(this.tasks.indexOf(t), 1);
    this.completed++;
    return true;
  }
  nack(id: string, token: number | undefined, delay: number, now: number): boolean {
    const t = this.#owned(id, token, now);
    if (t === undefined) return false;
    if (t.attempts >= MAX_ATTEMPTS) this.#kill(t);
    else Object.assign(t, { state: delay > 0 ? 'delayed' : 'pending', visibleAt: now + delay, token: undefined });
    return true;
  }
  stats(now: number): QueueStats {
    this.promote(now);
    const count = (s: string) => this.tasks.filter((t) => t.state === s).length;
    const s = { pending: count('pending'), delayed: count('delayed'), claimed: count('claimed'), completed: this.completed, deadLettered: this.deadLettered };
    return { ...s, total: s.pending + s.delayed + s.claimed + s.completed + s.deadLettered };
  }
}

type Op =
  | { kind: 'enqueue'; priority: number; delay: number }
  | { kind: 'dequeue' }
  | { kind: 'ack' | 'nack'; claim: number; byIdOnly: boolean; delay: number }
  | { kind: 'advance'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('enqueue' as const),
    priority: fc.integer({ min: -3, max: 3 }),
    delay: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 150 })),
  }),
  fc.record({ kind: fc.constant('dequeue' as const) }),
  fc.record({
    kind: fc.constantFrom('ack' as const, 'nack' as const),
    claim: fc.nat(),
    byIdOnly: fc.boolean(),
    delay: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 150 })),
  }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 120 }) }),
);

describe.each(['exclusive', 'shared'] as const)('model-based (%s mode): random operation sequences against a reference model', (mode) => {
  it('dequeue results, ack/nack outcomes and stats always match the model; the stats invariant always holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 60 }), async (ops) => {
        const storage = await MemoryStorage.open();
        const clock = new ManualClock();
        const queue = new PriorityQueue(storage, 'q', { visibilityTimeoutMs: LEASE, maxAttempts: MAX_ATTEMPTS, clock: clock.read, mode });
        const model = new ModelQueue();
        const claims: { id: string; token: string; modelToken: number }[] = [];
        try {
          for (const op of ops) {
            if (op.kind === 'enqueue') {
              const id = await queue.enqueue({ priority: op.priority, payload: 'x', delayMs: op.delay });
              model.enqueue(id, op.priority, op.delay, clock.now);
            } else if (op.kind === 'dequeue') {
              const got = await queue.dequeue({ workerId: 'w' });
              const expected = model.dequeue(clock.now);
              expect(got?.taskId ?? null).toBe(expected?.id ?? null);
              if (got && expected) claims.push({ id: got.taskId, token: got.claimToken, modelToken: expected.token });
            } else if (op.kind === 'advance') {
              clock.advance(op.ms);
            } else if (claims.length > 0) {
              const c = claims[op.claim % claims.length]!;
              const ref = op.byIdOnly ? c.id : { taskId: c.id, claimToken: c.token };
              const modelToken = op.byIdOnly ? undefined : c.modelToken;
              if (op.kind === 'ack') expect(await queue.ack(ref)).toBe(model.ack(c.id, modelToken, clock.now));
              else expect(await queue.nack(ref, { delayMs: op.delay })).toBe(model.nack(c.id, modelToken, op.delay, clock.now));
            }
            const stats = await queue.stats();
            expect(stats).toEqual(model.stats(clock.now));
            expect(stats.total).toBe(stats.pending + stats.delayed + stats.claimed + stats.completed + stats.deadLettered);
          }
        } finally {
          await storage.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
