import { randomUUID } from 'node:crypto';
import { keyRange, type KeyValueReader, type KeyValueStore, type Storage, type WriteOp } from '@sochdb/core';
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
      const stored = await readCounter(this.storage, this.queue, counter);
      deltas.push(...stored.deltas);
      this.#values[counter] = stored.base + stored.deltas.length;
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

/**
 * The same counters for shared mode, where no process can hold the totals in memory: each
 * increment is a delta key (as above), a read counts the deltas a snapshot sees, and once there
 * are FOLD_EVERY of them a background transaction folds them into the base key.
 */
export class SharedCounters {
  readonly #session = randomUUID();
  #deltas = 0;
  readonly #folding = new Set<CounterName>();

  constructor(
    private readonly storage: Storage,
    private readonly queue: string,
  ) {}

  increment(counter: CounterName): WriteOp {
    return { type: 'put', key: queueKeys.counterDelta(this.queue, counter, this.#session, this.#deltas++), value: '' };
  }

  async read(t: KeyValueStore, counter: CounterName): Promise<number> {
    const { base, deltas } = await readCounter(t, this.queue, counter);
    if (deltas.length >= FOLD_EVERY) this.#fold(counter);
    return base + deltas.length;
  }

  /**
   * Folds the delta keys a snapshot sees into the base key, in the background. Increments
   * committed meanwhile are other keys and stay for the next fold; two folds conflict on the base.
   */
  #fold(counter: CounterName): void {
    if (this.#folding.has(counter)) return;
    this.#folding.add(counter);
    void this.storage
      .transaction(
        async (t) => {
          const { base, deltas } = await readCounter(t, this.queue, counter);
          await t.batch([
            { type: 'put', key: queueKeys.counterBase(this.queue, counter), value: String(base + deltas.length) },
            ...deltas.map((key) => ({ type: 'del' as const, key })),
          ]);
        },
        { retries: 10 },
      )
      .catch(() => undefined) // best effort: the deltas stay valid and are folded next time
      .finally(() => this.#folding.delete(counter));
  }
}

/** A counter as a reader sees it: its folded base and the delta keys not yet folded into it. */
async function readCounter(reader: KeyValueReader, queue: string, counter: CounterName): Promise<{ readonly base: number; readonly deltas: Buffer[] }> {
  const stored = await reader.get(queueKeys.counterBase(queue, counter));
  const deltas: Buffer[] = [];
  for await (const [key] of reader.iterator(keyRange(queueKeys.counterDeltaPrefix(queue, counter)))) deltas.push(key);
  return { base: stored === undefined ? 0 : Number(stored.toString('utf8')), deltas };
}
