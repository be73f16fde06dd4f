import { keyRange, type Storage } from '@sochdb/core';
import { watchCommits } from '@sochdb/core/internal';

/**
 * How a waiting dequeue (`dequeue({ waitMs })`) learns that a task may have become visible. Each
 * engine gives one: the exclusive engine from its in-memory index, shared mode from the
 * storage's pushed commits (`Storage.watch`, other processes' too) and the due times it knows, a
 * client by polling.
 */
export interface WakeSource {
  /** Calls `listener` when something may have made a task visible; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** Milliseconds until the next delay end or lease expiry known here, if any. */
  msUntilDue(): number | undefined;
  /** First sleep between attempts when nothing wakes the waiter; doubles up to `maxSleepMs`. */
  readonly minSleepMs: number;
  readonly maxSleepMs: number;
  /** True once the queue's storage is closed: the wait ends with null. */
  closed(): boolean;
}

/** Where nothing is pushed, commits of other processes are seen only by polling (50 → 250 ms). */
export const POLL_MIN_MS = 50;
export const POLL_MAX_MS = 250;
/**
 * Where commits are pushed, a safety-net attempt this often: enqueues and nacks wake the waiter
 * and known due times end its sleep, so this only bounds how long an unforeseen case could wait.
 */
export const PUSHED_SLEEP_MS = 5_000;

/**
 * Shared mode: every commit to the queue's keys, whoever made it, wakes waiters (where the
 * Storage can watch); `nextDueAt` (the engine's knowledge of its timers) ends a sleep when a
 * delay or lease runs out. Without a watch, or while no due time is known, it polls.
 */
export function storageWakeSource(storage: Storage, queue: string, nextDueAt?: () => number | undefined, clock: () => number = Date.now): WakeSource {
  const range = keyRange(['q', queue]);
  const pushed = typeof storage.watch === 'function';
  return {
    subscribe(listener) {
      if (storage.watch !== undefined) return storage.watch(range, listener);
      if (storage.onCommit === undefined) return () => undefined;
      return watchCommits((l) => storage.onCommit!(l), range, listener);
    },
    msUntilDue: () => {
      const at = nextDueAt?.();
      // Pushed commits but no known due time: poll for timers as before.
      if (at === undefined) return pushed ? POLL_MAX_MS : undefined;
      // A bound already due that the last attempt did not clear is stale (its snapshot is gone):
      // poll rather than spin.
      const ms = at - clock();
      return ms > 0 ? ms : POLL_MIN_MS;
    },
    minSleepMs: pushed ? PUSHED_SLEEP_MS : POLL_MIN_MS,
    maxSleepMs: pushed ? PUSHED_SLEEP_MS : POLL_MAX_MS,
    closed: () => storage.status !== 'open',
  };
}

/** A remote queue: nothing is pushed to this process, so poll with backoff. */
export const pollingWakeSource: WakeSource = {
  subscribe: () => () => undefined,
  msUntilDue: () => undefined,
  minSleepMs: POLL_MIN_MS,
  maxSleepMs: POLL_MAX_MS,
  closed: () => false,
};

/**
 * Repeats `attempt` until it yields a task, `waitMs` passes, a signal aborts or the storage
 * closes (then null). Between attempts it sleeps until a wake, the next known due time or the
 * source's poll interval, whichever is first. Every timer is unref'd: a waiting dequeue never
 * keeps the process alive by itself.
 */
export async function longPoll<T>(
  attempt: () => Promise<T | null>,
  source: WakeSource,
  waitMs: number,
  signals: readonly (AbortSignal | undefined)[],
): Promise<T | null> {
  const deadline = performance.now() + waitMs;
  // Counting wakes (not just sleeping on them) catches a wake that lands while an attempt runs.
  let wakes = 0;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    wakes++;
    wake?.();
  };
  const stopped = (): boolean => source.closed() || signals.some((s) => s?.aborted === true);
  const unsubscribe = source.subscribe(poke);
  for (const signal of signals) signal?.addEventListener('abort', poke);
  let sleep = source.minSleepMs;
  try {
    // The first attempt runs even on a closed storage, so the call fails as one without waitMs.
    for (let first = true; ; first = false) {
      if (first ? signals.some((s) => s?.aborted === true) : stopped()) return null;
      const seen = wakes;
      const task = await attempt();
      if (task !== null) return task;
      const left = deadline - performance.now();
      if (left <= 0 || stopped()) return null;
      if (wakes !== seen) {
        sleep = source.minSleepMs;
        continue;
      }
      const ms = Math.max(1, Math.ceil(Math.min(left, sleep, source.msUntilDue() ?? Infinity)));
      const woken = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          wake = undefined;
          resolve(false);
        }, ms);
        timer.unref();
        wake = () => {
          clearTimeout(timer);
          wake = undefined;
          resolve(true);
        };
      });
      sleep = woken ? source.minSleepMs : Math.min(sleep * 2, source.maxSleepMs);
    }
  } finally {
    wake = undefined;
    unsubscribe();
    for (const signal of signals) signal?.removeEventListener('abort', poke);
  }
}
