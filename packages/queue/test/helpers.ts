import { decodeKey, keyRange, type Storage } from '@sochdb/core';
import { persistentFactory, memoryFactory, type StorageFactory } from '@sochdb/core/testing';
import { orderKey } from '../src/order-index.js';
import { decodeKeyTail, decodeState, queueKeys } from '../src/records.js';

/** A clock the test moves by hand, so leases and delays are deterministic. */
export class ManualClock {
  constructor(public now = 1_000_000) {}
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

export const backends: readonly [string, () => StorageFactory][] = [
  [persistentFactory().name, persistentFactory],
  ['memory', memoryFactory],
];

export const text = (payload: Uint8Array): string => Buffer.from(payload).toString('utf8');

/**
 * The order index of `queue` holds exactly one key per pending, delayed or claimed task, derived
 * from its stored state, and nothing else (see src/order-index.ts).
 */
export async function orderIndexMismatches(storage: Storage, queue: string): Promise<string[]> {
  const wanted = new Set<string>();
  for await (const [key, value] of storage.iterator(keyRange(queueKeys.statePrefix(queue)))) {
    const index = orderKey(queue, decodeState(decodeKeyTail(key), value));
    if (index !== undefined) wanted.add(index.toString('hex'));
  }
  const problems: string[] = [];
  for (const prefix of [queueKeys.readyPrefix(queue), queueKeys.timerPrefix(queue)]) {
    for await (const [key] of storage.iterator(keyRange(prefix))) {
      if (!wanted.delete(key.toString('hex'))) problems.push(`stray ${JSON.stringify(decodeKey(key))}`);
    }
  }
  for (const key of wanted) problems.push(`missing ${JSON.stringify(decodeKey(Buffer.from(key, 'hex')))}`);
  return problems;
}

/**
 * The same Storage under another identity: queue state kept per Storage object (dequeue turns,
 * the index-built cache) is not shared, as between two processes of a concurrent-mode database.
 */
export function asAnotherProcess(storage: Storage): Storage {
  return new Proxy(storage, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
