import { randomUUID } from 'node:crypto';
import { EventEmitter, setMaxListeners } from 'node:events';
import { ValidationError } from '@sochdb/core';
import { MAX_DURATION_MS } from './config.js';
import { ClaimLostError } from './errors.js';
import type { ClaimRef, DequeueOptions, NackOptions, Task } from './types.js';
import { requireDuration, requireSignal, requireWorkerId } from './validate.js';

/** How long a failed task waits before its retry (the nack's `delayMs`). */
export interface BackoffOptions {
  /** `fixed`: `delayMs` every time; `exponential`: `delayMs * 2^(attempt - 1)`. */
  readonly type: 'fixed' | 'exponential';
  /** The base delay in milliseconds (0: retry at once). */
  readonly delayMs: number;
  /** Upper bound of the delay (exponential growth stops there). */
  readonly maxDelayMs?: number;
  /** 0…1: each delay is shortened by a random fraction up to this, so retries of many tasks spread out (default 0). */
  readonly jitter?: number;
}

/** Options of `queue.process(handler, options)`. */
export interface WorkerOptions {
  /** Handlers running at once (default 1). */
  readonly concurrency?: number;
  /** Lease of each claim, renewed every `leaseMs / 2` while the handler runs (default: the queue's `visibilityTimeoutMs`). */
  readonly leaseMs?: number;
  /** Delay before a failed task is retried (default: at once). */
  readonly backoff?: BackoffOptions;
  /** Aborting it closes the worker (gracefully, as `close()`). */
  readonly signal?: AbortSignal;
  /** Recorded in each task's attempt history (default: `worker-` and a random id). */
  readonly workerId?: string;
}

/** The second argument of a handler. */
export interface WorkerContext {
  /** Aborts when the worker is force-closed or the task's lease is lost (another worker may have it now). */
  readonly signal: AbortSignal;
  /** Renews the lease to end `ms` (default `leaseMs`) from now; ClaimLostError when it is lost. */
  extendLease(ms?: number): Promise<number>;
  /** The worker's id. */
  readonly workerId: string;
}

/** What `queue.process` runs for each task; its result is passed to the `completed` event. */
export type WorkerHandler<R = unknown> = (task: Task, context: WorkerContext) => R | Promise<R>;

/** The worker's events (`worker.on(name, listener)`). */
export interface WorkerEvents<R = unknown> {
  /** The handler resolved and the task was acked. */
  completed: [task: Task, result: R];
  /** The handler threw and the task was nacked (retried after the backoff, or dead-lettered). */
  failed: [task: Task, error: unknown];
  /** The failure was the task's last attempt: it went the queue's dead-letter way (after `failed`). */
  'dead-lettered': [task: Task, error: unknown];
  /** The task's lease was lost while this worker had it: an extension or the ack found another claim. */
  stalled: [task: Task];
  /** An infrastructure failure (a dequeue, ack or renewal that threw); the worker carries on. */
  error: [error: unknown];
  /** The worker has stopped: every handler it waits for has finished. */
  closed: [];
}

/** Options of `worker.close()`. */
export interface WorkerCloseOptions {
  /** Abort running handlers (their signal) and leave their tasks to lease expiry instead of waiting. */
  readonly force?: boolean;
}

/** What a worker calls on its queue (a PriorityQueue; named by shape so the two files do not import each other). */
export interface WorkerQueue {
  dequeue(options: DequeueOptions): Promise<Task | null>;
  ack(task: ClaimRef): Promise<boolean>;
  nack(task: ClaimRef, options: NackOptions): Promise<boolean>;
  extendVisibility(task: ClaimRef, ms: number): Promise<number>;
}

/** What the queue tells its worker (see PriorityQueue.process). */
export interface WorkerDefaults {
  readonly leaseMs: number | undefined;
  readonly maxAttempts: number | undefined;
  /** The queue object or its storage is closed: stop claiming. */
  readonly isClosed: () => boolean;
}

/** Each claim waits this long before its loop checks in again (a waiting dequeue costs nothing). */
const IDLE_WAIT_MS = 30_000;
/** The lease a worker uses over a server client, whose config is not known here. */
const CLIENT_LEASE_MS = 30_000;
const MAX_CONCURRENCY = 10_000;
const OPTION_KEYS = new Set(['concurrency', 'leaseMs', 'backoff', 'signal', 'workerId']);

/**
 * Runs a handler over a queue's tasks, as BullMQ's `Worker`: `concurrency` loops each claim a
 * task with a waiting dequeue, run the handler while renewing the lease, and ack (or nack with
 * backoff). Infrastructure errors become `error` events, never unhandled rejections.
 */
export class Worker<R = unknown> extends EventEmitter<WorkerEvents<R>> {
  /** Recorded in each claimed task's attempt history. */
  readonly workerId: string;
  /** Handlers that may run at once. */
  readonly concurrency: number;
  /** Lease of each claim, renewed every `leaseMs / 2` while its handler runs. */
  readonly leaseMs: number;
  readonly #queue: WorkerQueue;
  readonly #handler: WorkerHandler<R>;
  readonly #backoff: BackoffOptions;
  readonly #defaults: WorkerDefaults;
  /** Stops claiming: aborts waiting dequeues. */
  readonly #stop = new AbortController();
  /** close({ force }): aborts running handlers. */
  readonly #force = new AbortController();
  readonly #loops: Promise<void>;
  #closing: Promise<void> | undefined;
  /** Keeps Node running while the worker may still get work, like BullMQ's open connection. */
  #keepAlive: ReturnType<typeof setInterval> | undefined;

  /** @internal Use `queue.process(handler, options)`. */
  constructor(queue: WorkerQueue, handler: WorkerHandler<R>, options: WorkerOptions | undefined, defaults: WorkerDefaults) {
    super();
    if (typeof handler !== 'function')
      throw new ValidationError('process needs a handler function', { field: 'handler', remediation: 'Pass async (task) => { … }.' });
    const opts = requireOptions(options);
    this.#queue = queue;
    this.#handler = handler;
    this.#defaults = defaults;
    this.workerId = opts.workerId === undefined ? `worker-${randomUUID().slice(0, 8)}` : requireWorkerId(opts.workerId);
    this.concurrency = opts.concurrency === undefined ? 1 : requireCount(opts.concurrency);
    this.leaseMs = opts.leaseMs === undefined ? (defaults.leaseMs ?? CLIENT_LEASE_MS) : requireDuration(opts.leaseMs, 'leaseMs', { min: 2 });
    this.#backoff = opts.backoff === undefined ? { type: 'fixed', delayMs: 0 } : requireBackoff(opts.backoff);
    const signal = requireSignal(opts.signal);
    // Each claim loop waits on #stop and each running task listens to #force: with a concurrency
    // above 10, Node would warn of a listener leak that is none.
    setMaxListeners(0, this.#stop.signal, this.#force.signal);
    this.#keepAlive = setInterval(() => undefined, 1 << 30);
    const loops = Array.from({ length: this.concurrency }, () => this.#loop());
    // A worker whose queue or storage closed under it stops by itself (and lets Node exit).
    this.#loops = Promise.all(loops).then(() => undefined);
    void this.#loops.then(() => this.close());
    if (signal?.aborted === true) void this.close();
    else signal?.addEventListener('abort', () => void this.close(), { once: true });
  }

  /** True once `close()` was called (or the queue closed): no new task is claimed. */
  get closing(): boolean {
    return this.#stop.signal.aborted;
  }

  /**
   * Stops claiming and resolves once every running handler has finished and its task was acked
   * or nacked (each exactly once). With `force`, running handlers' signals abort, their tasks are
   * left to lease expiry, and the promise resolves without waiting for them.
   */
  close(options?: WorkerCloseOptions): Promise<void> {
    if (options !== undefined && (typeof options !== 'object' || options === null || (options.force !== undefined && typeof options.force !== 'boolean'))) {
      throw new ValidationError('close options must be { force?: boolean }', { field: 'force' });
    }
    this.#stop.abort();
    if (options?.force === true) {
      this.#force.abort(new Error('worker closed with force'));
      this.#release();
    }
    this.#closing ??= this.#loops.then(() => {
      this.#release();
      this.#emit('closed');
    });
    return options?.force === true ? Promise.resolve() : this.#closing;
  }

  async #loop(): Promise<void> {
    let retryMs = 100;
    while (!this.#stop.signal.aborted && !this.#defaults.isClosed()) {
      let task: Task | null;
      try {
        task = await this.#queue.dequeue({ workerId: this.workerId, visibilityTimeoutMs: this.leaseMs, waitMs: IDLE_WAIT_MS, signal: this.#stop.signal });
        retryMs = 100;
      } catch (error) {
        if (this.#defaults.isClosed()) return;
        this.#error(error);
        await pause(retryMs, this.#stop.signal);
        retryMs = Math.min(retryMs * 2, 5_000);
        continue;
      }
      // A claim that lands as a forced close begins is left to its lease, like the running ones.
      if (task !== null && !this.#force.signal.aborted) await this.#run(task);
    }
  }

  async #run(task: Task): Promise<void> {
    const lease = new AbortController();
    const onForce = (): void => lease.abort(this.#force.signal.reason);
    this.#force.signal.addEventListener('abort', onForce, { once: true });
    let lost = false;
    const markLost = (): void => {
      if (lost) return;
      lost = true;
      lease.abort(new ClaimLostError(task.taskId));
      this.#emit('stalled', task);
    };
    // Renewals run one at a time, and the ack waits for the last one: an ack racing a renewal
    // would make the renewal fail and look like a lost lease.
    let renewal: Promise<unknown> = Promise.resolve();
    const extendLease = (ms: number = this.leaseMs): Promise<number> => {
      const next = renewal.then(async () => {
        try {
          return await this.#queue.extendVisibility(task, ms);
        } catch (error) {
          if (error instanceof ClaimLostError) markLost();
          throw error;
        }
      });
      renewal = next.catch(() => undefined);
      return next;
    };
    const timer = setInterval(
      () => {
        if (lost) return;
        extendLease().catch((error: unknown) => {
          // A lost claim was reported as `stalled` already.
          if (!(error instanceof ClaimLostError)) this.#error(error);
        });
      },
      Math.floor(this.leaseMs / 2),
    );
    timer.unref();
    let outcome: { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };
    try {
      outcome = { ok: true, value: await this.#handler(task, { signal: lease.signal, extendLease, workerId: this.workerId }) };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      clearInterval(timer);
      this.#force.signal.removeEventListener('abort', onForce);
    }
    await renewal;
    if (lost || this.#force.signal.aborted) return;
    try {
      if (outcome.ok) {
        if (await this.#queue.ack(task)) this.#emit('completed', task, outcome.value);
        else markLost();
        return;
      }
      const last = this.#defaults.maxAttempts !== undefined && task.attempts >= this.#defaults.maxAttempts;
      if (!(await this.#queue.nack(task, { delayMs: backoffDelay(this.#backoff, task.attempts) }))) {
        markLost();
        return;
      }
      this.#emit('failed', task, outcome.error);
      if (last) this.#emit('dead-lettered', task, outcome.error);
    } catch (error) {
      this.#error(error);
    }
  }

  #release(): void {
    clearInterval(this.#keepAlive);
    this.#keepAlive = undefined;
  }

  /** Emits without letting a listener's throw break the loop (it becomes an `error` event). */
  #emit<K extends keyof WorkerEvents<R>>(event: K, ...args: WorkerEvents<R>[K]): void {
    try {
      (this.emit as (event: K, ...args: WorkerEvents<R>[K]) => boolean)(event, ...args);
    } catch (error) {
      if (event !== 'error') this.#error(error);
    }
  }

  /** An `error` event when someone listens (EventEmitter would throw one nobody listens to). */
  #error(error: unknown): void {
    if (this.listenerCount('error') > 0) this.#emit('error', error);
  }
}

/** The nack delay after the failure of delivery number `attempt` (1-based). */
export function backoffDelay(backoff: BackoffOptions, attempt: number, random: () => number = Math.random): number {
  const base = backoff.type === 'fixed' ? backoff.delayMs : backoff.delayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(base, backoff.maxDelayMs ?? MAX_DURATION_MS, MAX_DURATION_MS);
  return Math.round(capped * (1 - random() * (backoff.jitter ?? 0)));
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });
}

function requireOptions(options: WorkerOptions | undefined): WorkerOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError('worker options must be an object', { field: 'options' });
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new ValidationError(`unknown worker option '${key}'`, { field: key, remediation: `Use ${[...OPTION_KEYS].join(', ')}.` });
  }
  return options;
}

function requireCount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_CONCURRENCY) {
    throw new ValidationError(`concurrency must be an integer from 1 to ${MAX_CONCURRENCY}, got ${String(value)}`, { field: 'concurrency' });
  }
  return value;
}

function requireBackoff(value: unknown): BackoffOptions {
  if (typeof value !== 'object' || value === null) throw new ValidationError('backoff must be an object', { field: 'backoff' });
  const b = value as Partial<BackoffOptions>;
  if (b.type !== 'fixed' && b.type !== 'exponential') {
    throw new ValidationError(`backoff.type must be 'fixed' or 'exponential', got ${String(b.type)}`, { field: 'backoff.type' });
  }
  const delayMs = requireDuration(b.delayMs, 'backoff.delayMs');
  const maxDelayMs = b.maxDelayMs === undefined ? undefined : requireDuration(b.maxDelayMs, 'backoff.maxDelayMs');
  if (b.jitter !== undefined && (typeof b.jitter !== 'number' || !(b.jitter >= 0 && b.jitter <= 1))) {
    throw new ValidationError(`backoff.jitter must be a number from 0 to 1, got ${String(b.jitter)}`, { field: 'backoff.jitter' });
  }
  return { type: b.type, delayMs, ...(maxDelayMs === undefined ? {} : { maxDelayMs }), ...(b.jitter === undefined ? {} : { jitter: b.jitter }) };
}
