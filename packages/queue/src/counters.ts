import { randomUUID } from 'node:crypto';
import { keyRange, type Storage, type WriteOp } from '@sochdb/core';
import { queueKeys } from './records.js';

export type CounterName = 'completed' | 'deadLettered';
const COUNTERS: readonly CounterName[] = ['completed', 'deadLettered'];
const FOLD_EVERY = 1024;

/**
 * Totals that must survive restarts (`completed`, `deadLettered`) without a hot key: a single
 * counter key written by every ack would make concurrent transactions that ack conflict with each
 * other (first committer wins). Instead each increment writes its own unique delta key, and
 * deltas are folded into the base key at open and every FOLD_EVERY increments — by a write that
 * only ever touches the base key and deltas already committed, so it never races an increment.
 */
export class DurableCounters {
  readonly #session = randomUUID();
  #next = 0;
  readonly #values: Record<CounterName, number> = { completed: 0, deadLettered: 0 };
  readonly #unfolded: Buffer[] = [];
  #folding: Promise<void> | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly queue: string,
  ) {}

  value(counter: CounterName): number {
    return this.#values[counter];
  }

  async load(): Promise<void> {
    const deltas: Buffer[] = [];
    for (const counter of COUNTERS) {
      const base = await this.storage.get(queueKeys.counterBase(this.queue, counter));
      let value = base === undefined ? 0 : Number(base.toString('utf8'));
      for await (const [key] of this.storage.iterator(keyRange(queueKeys.counterDeltaPrefix(this.queue, counter)))) {
        deltas.push(key);
        value++;
      }
      this.#values[counter] = value;
    }
    if (deltas.length > 0) await this.#writeFold(deltas);
  }

  /** The write that records one increment; call `committed` once it is durable. */
  increment(counter: CounterName): { readonly op: WriteOp; readonly commit: () => void } {
    const key = queueKeys.counterDelta(this.queue, counter, this.#session, this.#next++);
    return {
      op: { type: 'put', key, value: '' },
      commit: () => {
        this.#values[counter]++;
        this.#unfolded.push(key);
        if (this.#unfolded.length >= FOLD_EVERY && this.#folding === undefined) {
          this.#folding = this.#fold().finally(() => (this.#folding = undefined));
        }
      },
    };
  }

  /** Waits for a fold in progress (before closing storage). */
  async settle(): Promise<void> {
    await this.#folding;
  }

  async #fold(): Promise<void> {
    const keys = this.#unfolded.splice(0);
    try {
      await this.#writeFold(keys);
    } catch {
      // The deltas are still valid on disk; fold them next time.
      this.#unfolded.unshift(...keys);
    }
  }

  // Every delta counted in #values is committed, so the bases below equal (old base + folded deltas).
  async #writeFold(deltas: readonly Buffer[]): Promise<void> {
    const ops: WriteOp[] = COUNTERS.map((counter) => ({ type: 'put', key: queueKeys.counterBase(this.queue, counter), value: String(this.#values[counter]) }));
    for (const key of deltas) ops.push({ type: 'del', key });
    await this.storage.batch(ops);
  }
}
