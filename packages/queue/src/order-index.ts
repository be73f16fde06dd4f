import { keyRange, type KeyValueReader, type Range, type Storage, type Transaction, type WriteOp } from '@sochdb/core';
import { decodeKeyTail, decodeState, queueKeys, type TaskRecord } from './records.js';

/**
 * The order index: keys derived from each task's stored state, so that a shared-mode dequeue
 * finds the next task with a short range read instead of reading every task.
 *
 * - A pending task has ['q', name, 'r', priority, seq, id]. Core's tuple codec sorts numbers
 *   numerically (priorities and sequences are safe integers, exact as doubles), so these keys
 *   sort exactly as `dequeueOrder` (priority, then seq); the id only breaks ties of equal seq
 *   (two processes in the same microsecond), as the old full scan in state-key order did.
 * - A delayed or claimed task has ['q', name, 't', visibleAt, id]: the keys up to `now` are
 *   the tasks whose delay or lease has run out. A dequeue promotes them (see SharedQueueEngine).
 * - A dead task has none.
 *
 * Every write of a task state also writes its index change (`orderOps`), in the same atomic
 * batch or transaction, so the index is a function of the stored states. Writers of one task
 * always write its state key, so first-committer-wins keeps each one's view of the old key exact.
 */
export function orderKey(queue: string, record: TaskRecord): Buffer | undefined {
  if (record.state === 'pending') return queueKeys.ready(queue, record.priority, record.seq, record.id);
  if (record.state === 'delayed' || record.state === 'claimed') return queueKeys.timer(queue, record.visibleAt, record.id);
  return undefined;
}

/** The ready key a task would have once visible: the sort key of topK and dequeue. */
export function readyKey(queue: string, record: TaskRecord): Buffer {
  return queueKeys.ready(queue, record.priority, record.seq, record.id);
}

/** The index writes that go with changing a task's stored state from `prev` to `next` (undefined: no task). */
export function orderOps(queue: string, prev: TaskRecord | undefined, next: TaskRecord | undefined): WriteOp[] {
  const before = prev === undefined ? undefined : orderKey(queue, prev);
  const after = next === undefined ? undefined : orderKey(queue, next);
  if (before !== undefined && after !== undefined && before.equals(after)) return [];
  const ops: WriteOp[] = [];
  if (before !== undefined) ops.push({ type: 'del', key: before });
  if (after !== undefined) ops.push({ type: 'put', key: after, value: '' });
  return ops;
}

/** Every ready key, in dequeue order. */
export function readyRange(queue: string): { readonly gte: Buffer; readonly lt: Buffer } {
  return keyRange(queueKeys.readyPrefix(queue));
}

/** The timer keys of tasks visible again at `now` (visibleAt <= now). */
export function dueRange(queue: string, now: number): { readonly gte: Buffer; readonly lt: Buffer } {
  return { gte: keyRange(queueKeys.timerPrefix(queue)).gte, lt: keyRange([...queueKeys.timerPrefix(queue), now]).lt };
}

/** The keys of `range` (at most `limit`). */
export async function readKeys(reader: KeyValueReader, range: Range, limit?: number): Promise<Buffer[]> {
  const keys: Buffer[] = [];
  if (limit === 0) return keys;
  for await (const [key] of reader.iterator(limit === undefined ? range : { ...range, limit })) keys.push(key);
  return keys;
}

/**
 * The writes that make the order index of `queue` match `records` (its stored states) exactly:
 * the keys it lacks, deletion of keys no state accounts for, and the mark that says it is built.
 * A queue written before the index existed has no mark; a dead-letter move into such a queue
 * may already have added a key or two, which this keeps or removes as the states say.
 */
export async function orderIndexOps(reader: KeyValueReader, queue: string, records: Iterable<TaskRecord>): Promise<WriteOp[]> {
  const wanted = new Map<string, Buffer>();
  for (const record of records) {
    const key = orderKey(queue, record);
    if (key !== undefined) wanted.set(key.toString('latin1'), key);
  }
  const ops: WriteOp[] = [];
  for (const prefix of [queueKeys.readyPrefix(queue), queueKeys.timerPrefix(queue)]) {
    for (const key of await readKeys(reader, keyRange(prefix))) {
      if (!wanted.delete(key.toString('latin1'))) ops.push({ type: 'del', key });
    }
  }
  for (const key of wanted.values()) ops.push({ type: 'put', key, value: '' });
  ops.push({ type: 'put', key: queueKeys.orderIndexMark(queue), value: '1' });
  return ops;
}

/** Queues whose index this process has seen built, per Storage (the mark is never removed). */
const built = new WeakMap<Storage, Set<string>>();

/**
 * Builds the order index of `queue` inside `t` when its mark is missing (a queue written before
 * the index existed): one O(n) pass over the states, once. Two processes building at once both
 * write the mark, so one of them conflicts and retries, and then finds it.
 */
export async function ensureOrderIndex(storage: Storage, t: Transaction, queue: string): Promise<void> {
  let known = built.get(storage);
  if (known === undefined) built.set(storage, (known = new Set()));
  if (known.has(queue)) return;
  if ((await t.get(queueKeys.orderIndexMark(queue))) !== undefined) {
    known.add(queue);
    return;
  }
  const records: TaskRecord[] = [];
  for await (const [key, value] of t.iterator(keyRange(queueKeys.statePrefix(queue)))) records.push(decodeState(decodeKeyTail(key), value));
  await t.batch(await orderIndexOps(t, queue, records));
  const learned = known;
  t.afterCommit(() => learned.add(queue));
}

/**
 * Point reads of small, hot keys. A few are read synchronously where the storage can (an
 * in-process LevelDB read of a cached block takes microseconds; the thread-pool hop of an async
 * one costs more than the read). A batch's worth goes to one getMany: LevelDB then reads them on
 * its thread pool, off the JavaScript thread that serves every process's dequeues in concurrent
 * mode (reading ~80 keys synchronously per batch was a fifth of that thread's time).
 */
export async function readMany(t: Transaction, keys: readonly Buffer[]): Promise<(Buffer | undefined)[]> {
  const read = t.getSync;
  return read === undefined || keys.length > SYNC_READS_MAX ? t.getMany(keys) : keys.map((key) => read(key));
}

/** Up to this many keys, readMany reads synchronously. */
const SYNC_READS_MAX = 8;
