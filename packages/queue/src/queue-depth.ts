import { compareBytes, decodeKey, keyRange, ValidationError, type KeyValueReader } from '@sochdb/core';
import { parseQueueConfig } from './config.js';
import { listQueues } from './list-queues.js';
import { decodeKeyTail, decodeState, queueKeys } from './records.js';
import { asOf } from './transitions.js';
import { requireQueueName } from './validate.js';

/** Task counts of one stored queue as of a moment, as `readQueueDepths` reads them. */
export interface StoredQueueDepth {
  /** The queue's name. */
  readonly queue: string;
  /** Visible tasks waiting for a dequeue (including those whose delay or lease has run out). */
  readonly pending: number;
  /** Tasks still inside their enqueue or nack delay. */
  readonly delayed: number;
  /** Tasks leased to a worker. */
  readonly claimed: number;
  /**
   * The earliest time (ms) at which a delayed task becomes due or a lease runs out: the counts
   * hold until then, or until the next write to the queue. Absent when no task waits on the clock.
   */
  readonly changesAt?: number;
}

/** Options of `readQueueDepths`. */
export interface ReadQueueDepthsOptions {
  /** Only these queues (a queue without tasks reads as zeros); default every stored queue (`listQueues`). */
  readonly names?: readonly string[];
  /** The moment the counts are for, in ms (default `Date.now()`). */
  readonly now?: number;
  /**
   * The queues' `maxAttempts` (default the config default): a lease that ran out on the last
   * allowed delivery is about to be dead-lettered, so it counts in no state (as `stats()` does).
   */
  readonly maxAttempts?: number;
}

/** Every key of every queue: where the commit feed reports queue writes. */
export const QUEUES_KEY_RANGE: {
  /** The first key of the range, included. */
  readonly gte: Buffer;
  /** The end of the range, excluded. */
  readonly lt: Buffer;
} = keyRange(['q']);

/** The queue a stored key belongs to, or `undefined` for a key outside every queue. */
export function queueNameOfKey(key: Uint8Array): string | undefined {
  if (compareBytes(key, QUEUES_KEY_RANGE.gte) < 0 || compareBytes(key, QUEUES_KEY_RANGE.lt) >= 0) return undefined;
  const name = decodeKey(key)[1];
  return typeof name === 'string' ? name : undefined;
}

/**
 * Pending, delayed and claimed tasks of stored queues, read from `reader` alone: no queue is
 * opened, so nothing is written and no engine competes with the queues' users (a monitoring
 * process can call it on a storage that other processes' queues use). Pass a snapshot to read
 * every queue at one moment. Reads each task's state record once (O(tasks), small values; bodies
 * are not read) and judges it as of `now` with the engines' own rules, so the counts equal
 * `PriorityQueue.stats()` at that moment (for queues with that `maxAttempts`).
 *
 * @example
 * ```ts
 * await using snapshot = storage.snapshot();
 * for (const d of await readQueueDepths(snapshot)) console.log(d.queue, d.pending, d.delayed, d.claimed);
 * ```
 */
export async function readQueueDepths(reader: KeyValueReader, options: ReadQueueDepthsOptions = {}): Promise<StoredQueueDepth[]> {
  const { names: given, now = Date.now(), maxAttempts = parseQueueConfig(undefined).maxAttempts } = options ?? {};
  if (!Number.isFinite(now)) throw new ValidationError(`now must be a finite number of milliseconds, got ${String(now)}`, { field: 'now' });
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
    throw new ValidationError(`maxAttempts must be a positive integer, got ${String(maxAttempts)}`, { field: 'maxAttempts' });
  }
  if (given !== undefined && !Array.isArray(given)) throw new ValidationError('names must be an array of queue names', { field: 'names' });
  const names = given === undefined ? await listQueues(reader) : given.map((name, i) => requireQueueName(name, `names[${i}]`));
  const depths: StoredQueueDepth[] = [];
  for (const queue of names) {
    const { exhausted: _, changesAt, ...counts } = await countTaskStates(reader, queue, now, maxAttempts);
    depths.push(changesAt === undefined ? { queue, ...counts } : { queue, ...counts, changesAt });
  }
  return depths;
}

/** A queue's tasks by state as of a moment (see countTaskStates). */
export interface TaskStateCounts {
  /** Visible tasks (including those whose delay or lease has run out). */
  readonly pending: number;
  /** Tasks still inside their delay. */
  readonly delayed: number;
  /** Tasks leased to a worker. */
  readonly claimed: number;
  /** Leases that ran out on the last allowed delivery: dead-lettered by the queue's next write. */
  readonly exhausted: number;
  /** The earliest time a delayed or claimed task changes state without a write, if any. */
  readonly changesAt: number | undefined;
}

/**
 * Counts the tasks of `queue` by their state as of `now`, reading each state record once as a
 * stream (O(tasks) time, constant memory: a million tasks must not be held to be counted). Used
 * by `readQueueDepths` and by shared mode's `stats()`.
 */
export async function countTaskStates(reader: KeyValueReader, queue: string, now: number, maxAttempts: number): Promise<TaskStateCounts> {
  const counts = { pending: 0, delayed: 0, claimed: 0, exhausted: 0 };
  let changesAt: number | undefined;
  for await (const [key, value] of reader.iterator(keyRange(queueKeys.statePrefix(queue)))) {
    const stored = decodeState(decodeKeyTail(key), value);
    const { record, exhausted } = asOf(stored, now, maxAttempts);
    if (exhausted) counts.exhausted++;
    if (exhausted || record.state === 'dead') continue;
    counts[record.state]++;
    // A delayed or claimed task moves on once its time comes, without a write.
    if (record.state !== 'pending' && (changesAt === undefined || record.visibleAt < changesAt)) changesAt = record.visibleAt;
  }
  return { ...counts, changesAt };
}
