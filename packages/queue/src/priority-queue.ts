import { setMaxListeners } from 'node:events';
import { DatabaseError, hasOwnerServices, keyRange, MemoryStorage, ValidationError, type Storage } from '@sochdb/core';
import { ClientQueueEngine, isQueueClient, type LocalWakeSource, type QueueClient, type RemoteDequeueOptions, type RemoteNackOptions } from './client.js';
import { parseQueueConfig, type QueueConfig, type QueueConfigInput } from './config.js';
import { longPoll, type WakeSource } from './long-poll.js';
import { decodeKeyTail, queueKeys } from './records.js';
import { OwnerQueueEngine } from './owner-engine.js';
import { SharedQueueEngine } from './shared-engine.js';
import { StorageQueueEngine, type EngineSettings } from './storage-engine.js';
import type {
  ClaimOptions,
  ClaimRef,
  DequeueOptions,
  EnqueueInput,
  NackOptions,
  PurgeOptions,
  QueueEngine,
  QueueStats,
  Task,
  TaskView,
  WithTransactionLike,
  WriteOptions,
} from './types.js';
import {
  isArray,
  requireDuration,
  requireEnqueueInput,
  requireLimit,
  requirePriority,
  requireQueueName,
  requireSignal,
  requireTaskId,
  requireWorkerId,
  requireWriteOptions,
  toClaimRef,
} from './validate.js';
import { Worker, type WorkerHandler, type WorkerOptions } from './worker.js';

/** Each queue's engine, for LocalQueueClient's wake source (module-private, unlike a public getter). */
const engines = new WeakMap<PriorityQueue, QueueEngine>();

/** Anything that exposes a core Storage, such as the SDK's `Database`. */
export interface StorageHolder {
  /** The Storage the queue's tasks are written to, under keys of the queue's name. */
  readonly storage: Storage;
  /** True when several processes share the storage (then the queue runs in `shared` mode). */
  readonly isConcurrent?: boolean;
}

/**
 * A durable priority queue with leases. Lower priority numbers are dequeued first, FIFO within a
 * priority. `dequeue` claims a task for a lease (`visibilityTimeoutMs`); `ack` finishes it,
 * `nack` retries it, and a lease that runs out makes it visible again. Every delivery counts as
 * an attempt; after `maxAttempts` the task goes to the dead-letter queue.
 *
 * @example
 * ```ts
 * const q = new PriorityQueue(storage, 'tasks', { visibilityTimeoutMs: 30_000, maxAttempts: 3 });
 * await q.enqueue({ priority: 1, payload: 'hello' });
 * const task = await q.dequeue({ workerId: 'w1' });
 * if (task) await q.ack(task);
 * ```
 */
export class PriorityQueue implements AsyncDisposable {
  /** The queue's name: the key prefix of its tasks on the Storage (or the name sent to the server). */
  readonly name: string;
  readonly #engine: QueueEngine;
  /** Storage this queue opened itself (inMemory), closed by close(). */
  #owned: Promise<Storage> | undefined;
  /** The embedded queue's Storage (undefined over a client), to tell waiters and workers it closed. */
  readonly #storage: Storage | undefined;
  /** Aborted by close(): ends waiting dequeues and this queue's workers (each waiting dequeue listens: no leak warning past 10). */
  readonly #closed = unlimitedController();
  /** The config a worker defaults to (unknown over a server client, which holds it). */
  #defaults: { readonly leaseMs: number | undefined; readonly maxAttempts: number | undefined } = { leaseMs: undefined, maxAttempts: undefined };

  /**
   * A queue over a core Storage (embedded), or over a server client (see `fromClient`, where
   * the server holds the config). Several queue objects for one name on one Storage share
   * their state, so they never hand out the same task.
   */
  constructor(source: Storage | QueueClient, name: string, config?: QueueConfigInput) {
    this.name = requireQueueName(name);
    if (isQueueClient(source)) {
      if (config !== undefined) {
        throw new ValidationError('a queue over a server client takes its config from the server', {
          field: 'config',
          remediation: 'Configure the queue on the server; call fromClient(client, name) without a config.',
        });
      }
      this.#engine = new ClientQueueEngine(source, this.name);
      engines.set(this, this.#engine);
      return;
    }
    if (typeof source !== 'object' || source === null || typeof source.beginTransaction !== 'function') {
      throw new ValidationError('PriorityQueue needs a Storage (or a server client) as its first argument', {
        field: 'storage',
        remediation: 'Pass a Storage from @sochdb/core, or use PriorityQueue.fromDatabase(db, name) / PriorityQueue.inMemory(name).',
      });
    }
    const parsed = parseQueueConfig(config);
    const settings = settingsOf(this.name, parsed);
    this.#storage = source;
    this.#defaults = { leaseMs: settings.visibilityTimeoutMs, maxAttempts: settings.maxAttempts };
    if (parsed.mode !== 'shared') this.#engine = new StorageQueueEngine(source, this.name, settings);
    // Claims run in the owner process when there is one (concurrent mode) and its clock is the
    // one that counts (an injected clock is this process's: keep everything here then).
    else if (hasOwnerServices(source) && parsed.clock === undefined) this.#engine = new OwnerQueueEngine(source, this.name, settings);
    else this.#engine = new SharedQueueEngine(source, this.name, settings);
    engines.set(this, this.#engine);
  }

  /**
   * The queue `name` on a database's storage (durable when the database is).
   *
   * @example
   * ```ts
   * const db = await Database.open('./data'); // @sochdb/sdk
   * const emails = PriorityQueue.fromDatabase(db, 'emails', { maxAttempts: 5, deadLetterQueue: 'emails_failed' });
   * ```
   */
  static fromDatabase(db: StorageHolder, name: string, config?: QueueConfigInput): PriorityQueue {
    if (typeof db !== 'object' || db === null || typeof db.storage !== 'object' || db.storage === null) {
      throw new ValidationError('fromDatabase needs an object with a `storage` (such as a Database)', {
        field: 'db',
        remediation: 'Pass an open Database, or use new PriorityQueue(storage, name, config) with a Storage.',
      });
    }
    const shared = db.isConcurrent === true && config?.mode === undefined;
    return new PriorityQueue(db.storage, name, shared ? { ...config, mode: 'shared' } : config);
  }

  /** The queue `name` over a server client (the SDK's gRPC client). */
  static fromClient(client: QueueClient, name: string): PriorityQueue {
    if (!isQueueClient(client)) {
      throw new ValidationError('fromClient needs a client that implements the QueueClient methods', {
        field: 'client',
        remediation: 'Pass a connected SochDBClient.',
      });
    }
    return new PriorityQueue(client, name);
  }

  /**
   * A queue in its own in-memory storage (nothing survives the process); `close()` frees it.
   *
   * @example
   * ```ts
   * const queue = PriorityQueue.inMemory('jobs', { visibilityTimeoutMs: 5_000 });
   * await queue.enqueue({ priority: 0, payload: 'hello' });
   * await queue.close();
   * ```
   */
  static inMemory(name: string, config?: QueueConfigInput): PriorityQueue {
    // Validate now, although the storage opens asynchronously: bad input fails at the call.
    const settings = settingsOf(requireQueueName(name), parseQueueConfig(config));
    const storage = MemoryStorage.open();
    const queue = new PriorityQueue(new LocalQueueClient(storage, () => config), name);
    queue.#owned = storage;
    queue.#defaults = { leaseMs: settings.visibilityTimeoutMs, maxAttempts: settings.maxAttempts };
    return queue;
  }

  /**
   * Adds a task and resolves with its id once it is durable (or, with `txn`, once written into it).
   *
   * @example
   * ```ts
   * // Your own taskId makes a retried request idempotent: a second enqueue throws DuplicateTaskError.
   * await queue.enqueue({ priority: 2, payload: JSON.stringify(order), metadata: { source: 'api' }, taskId: `order-${order.id}` });
   * await queue.enqueue({ priority: 0, payload: 'reminder', delayMs: 60_000 }); // invisible for a minute
   * await db.transaction(async (txn) => {
   *   await txn.put('orders/7', 'placed');
   *   await queue.enqueue({ priority: 1, payload: 'ship 7' }, { txn }); // exists only if the transaction commits
   * });
   * ```
   */
  async enqueue(task: EnqueueInput, options?: WithTransactionLike<WriteOptions>): Promise<string> {
    const checked = requireEnqueueInput(task);
    const [id] = await this.#engine.enqueue([checked], requireWriteOptions(options));
    return id!;
  }

  /** Adds several tasks atomically (all or none), in order. */
  async enqueueBatch(tasks: readonly EnqueueInput[], options?: WithTransactionLike<WriteOptions>): Promise<string[]> {
    if (!isArray(tasks)) throw new ValidationError('enqueueBatch needs an array of tasks', { field: 'tasks' });
    if (tasks.length === 0) return [];
    const checked = tasks.map((t, i) => requireEnqueueInput(t, `tasks[${i}]`));
    return this.#engine.enqueue(checked, requireWriteOptions(options));
  }

  /**
   * Claims the first visible task for a lease, or resolves with null when none is visible. With
   * `waitMs`, waits up to that long for one (long poll): null after `waitMs`, when `signal`
   * aborts, or when the queue or its storage closes.
   *
   * @example
   * ```ts
   * const task = await queue.dequeue({ workerId: 'worker-1', visibilityTimeoutMs: 120_000 });
   * if (task) {
   *   try {
   *     await handle(task.payload.toString());
   *     await queue.ack(task);
   *   } catch {
   *     await queue.nack(task, { delayMs: 5_000 }); // dead-lettered once out of attempts
   *   }
   * }
   * ```
   */
  async dequeue(options: WithTransactionLike<DequeueOptions>): Promise<Task | null> {
    if (typeof options !== 'object' || options === null) {
      throw new ValidationError('dequeue needs options with a workerId', { field: 'options', remediation: "Call dequeue({ workerId: 'worker-1' })." });
    }
    const { txn } = requireWriteOptions(options);
    const workerId = requireWorkerId(options.workerId);
    const vt = options.visibilityTimeoutMs === undefined ? undefined : requireDuration(options.visibilityTimeoutMs, 'visibilityTimeoutMs', { min: 1 });
    const waitMs = options.waitMs === undefined ? 0 : requireDuration(options.waitMs, 'waitMs');
    const signal = requireSignal(options.signal);
    if (waitMs > 0 && txn !== undefined) {
      throw new ValidationError('dequeue cannot wait inside a transaction', { field: 'waitMs', remediation: 'Use waitMs without txn, or txn without waitMs.' });
    }
    const attempt = (): Promise<Task | null> =>
      this.#engine.dequeue({ workerId, ...(vt === undefined ? {} : { visibilityTimeoutMs: vt }), ...(txn === undefined ? {} : { txn }) });
    if (waitMs === 0) return signal?.aborted === true ? null : attempt();
    // A server client waits on the server: the server wakes at once on an enqueue, polling would not.
    if (this.#engine.dequeueWaiting !== undefined) {
      return this.#engine.dequeueWaiting({ workerId, ...(vt === undefined ? {} : { visibilityTimeoutMs: vt }) }, waitMs, [signal, this.#closed.signal]);
    }
    return longPoll(attempt, await this.#engine.wakeSource(), waitMs, [signal, this.#closed.signal]);
  }

  /**
   * Starts a worker: up to `concurrency` handlers at once, each claiming with a waiting dequeue,
   * its lease extended while it runs; acked when the handler resolves, nacked with `backoff` when
   * it throws (dead-lettered after `maxAttempts`). See Worker.
   *
   * @example
   * ```ts
   * const worker = queue.process(async (task, { signal }) => send(task.payload, { signal }), { concurrency: 4 });
   * worker.on('failed', (task, error) => console.warn(task.taskId, error));
   * await worker.close(); // waits for the handlers that are running
   * ```
   */
  process<R>(handler: WorkerHandler<R>, options?: WorkerOptions): Worker<R> {
    if (this.#closed.signal.aborted) throw new DatabaseError(`queue '${this.name}' is closed`, { remediation: 'Create a new PriorityQueue.' });
    return new Worker(this, handler, options, {
      leaseMs: this.#defaults.leaseMs,
      maxAttempts: this.#defaults.maxAttempts,
      isClosed: () => this.#closed.signal.aborted || (this.#storage !== undefined && this.#storage.status !== 'open'),
    });
  }

  /**
   * Finishes a delivered task: true the first time, false after (or when the claim was lost —
   * pass the task or its `claimToken` so a stale worker cannot ack another worker's claim).
   */
  async ack(task: string | ClaimRef, options?: WithTransactionLike<ClaimOptions>): Promise<boolean> {
    const opts = requireWriteOptions(options);
    return this.#engine.ack(toClaimRef(task, options?.claimToken), opts);
  }

  /**
   * Gives a delivered task back for a retry (after `delayMs`, at `priority`); dead-letters it when out of attempts.
   *
   * @example
   * ```ts
   * // Back off by attempt, and let fresher work go first.
   * await queue.nack(task, { delayMs: 1_000 * 2 ** task.attempts, priority: task.priority + 1 });
   * ```
   */
  async nack(task: string | ClaimRef, options?: WithTransactionLike<NackOptions>): Promise<boolean> {
    const opts = requireWriteOptions(options);
    const delayMs = options?.delayMs === undefined ? undefined : requireDuration(options.delayMs, 'delayMs');
    const priority = options?.priority === undefined ? undefined : requirePriority(options.priority);
    return this.#engine.nack(toClaimRef(task, options?.claimToken), {
      ...opts,
      ...(delayMs === undefined ? {} : { delayMs }),
      ...(priority === undefined ? {} : { priority }),
    });
  }

  /**
   * Sets the lease to end `ms` from now; resolves with the new end. ClaimLostError when the claim is gone.
   *
   * @example
   * ```ts
   * // Long work in steps: renew the lease after each (a ClaimLostError means another worker has the task now).
   * for (const step of steps) {
   *   await run(step);
   *   await queue.extendVisibility(task, 60_000);
   * }
   * await queue.ack(task);
   * ```
   */
  async extendVisibility(task: string | ClaimRef, ms: number, options?: WithTransactionLike<ClaimOptions>): Promise<number> {
    const opts = requireWriteOptions(options);
    return this.#engine.extendVisibility(toClaimRef(task, options?.claimToken), requireDuration(ms, 'ms', { min: 1 }), opts);
  }

  /**
   * Task counts at one instant (see QueueStats). In `shared` mode this reads every task (O(n));
   * in `exclusive` mode it is read from the in-memory index.
   */
  async stats(): Promise<QueueStats> {
    return this.#engine.stats();
  }

  /** The next k visible tasks in dequeue order, without claiming them. */
  async topK(k: number): Promise<TaskView[]> {
    return this.#engine.topK(requireLimit(k));
  }

  /** The task `dequeue` would claim next, without claiming it. */
  async peek(): Promise<TaskView | null> {
    const [first] = await this.#engine.topK(1);
    return first ?? null;
  }

  /** Any task still in the queue (pending, delayed, claimed or dead), or null. */
  async getTask(taskId: string): Promise<TaskView | null> {
    return this.#engine.getTask(requireTaskId(taskId));
  }

  /**
   * Every task the queue holds (pending, delayed, claimed or dead), in task-id order, as
   * `getTask` shows each: for exports and audits. Reads stored tasks as it goes, so memory does
   * not grow with the queue; a task acked meanwhile is skipped. Not over a server client.
   */
  async *tasks(): AsyncGenerator<TaskView> {
    const storage = this.#storage ?? (this.#owned === undefined ? undefined : await this.#owned);
    if (storage === undefined) {
      throw new ValidationError('tasks() lists a queue over a Storage, not over a server client', { remediation: 'Run it where the queue is embedded.' });
    }
    for await (const [key] of storage.iterator(keyRange(queueKeys.statePrefix(this.name)))) {
      const view = await this.getTask(decodeKeyTail(key));
      if (view) yield view;
    }
  }

  /** Removes every task (claimed ones only with `includeClaimed`); resolves with how many. */
  async purge(options?: WithTransactionLike<PurgeOptions>): Promise<number> {
    const opts = requireWriteOptions(options);
    return this.#engine.purge({ ...opts, ...(options?.includeClaimed === undefined ? {} : { includeClaimed: options.includeClaimed === true }) });
  }

  /**
   * Removes one task, in any state but claimed (a claimed one only with `includeClaimed`, which
   * pulls it from under its worker: that worker's ack then finds nothing): resolves with the task
   * as it was, or null when the queue holds none of that id. A claimed task without
   * `includeClaimed` is a TaskClaimedError (7004). Joins `txn` when given.
   *
   * @example
   * ```ts
   * // Move one dead letter back to its queue, atomically.
   * await db.transaction(async (txn) => {
   *   const letter = await dead.remove(taskId, { txn });
   *   if (letter) await jobs.enqueue({ priority: letter.deadLetter!.priority, payload: letter.payload }, { txn });
   * });
   * ```
   */
  async remove(taskId: string, options?: WithTransactionLike<PurgeOptions>): Promise<TaskView | null> {
    requireTaskId(taskId);
    const opts = requireWriteOptions(options);
    return this.#engine.remove(taskId, { ...opts, ...(options?.includeClaimed === undefined ? {} : { includeClaimed: options.includeClaimed === true }) });
  }

  /**
   * Closes the storage this queue opened itself (`inMemory`); queues over your Storage leave it
   * open. Waiting dequeues of this object resolve with null and its workers stop claiming.
   */
  async close(): Promise<void> {
    this.#closed.abort();
    const owned = this.#owned;
    this.#owned = undefined;
    if (owned !== undefined) await (await owned).close();
  }

  /** `close()`, for `await using queue = PriorityQueue.inMemory(...)`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function settingsOf(name: string, config: QueueConfig): EngineSettings {
  if (config.deadLetterQueue === name) {
    throw new ValidationError(`queue '${name}' cannot be its own dead-letter queue`, {
      field: 'deadLetterQueue',
      remediation: "Name another queue, e.g. 'failed_tasks'.",
    });
  }
  return {
    visibilityTimeoutMs: config.visibilityTimeoutMs,
    maxAttempts: config.maxAttempts,
    deadLetterQueue: config.deadLetterQueue,
    clock: config.clock ?? Date.now,
  };
}

// LocalQueueClient lives here, not in a file of its own: it opens PriorityQueues and
// PriorityQueue.inMemory serves itself through one, so two files would import each other.
/**
 * A QueueClient served by the embedded queues of a Storage in this process: what a server runs
 * behind each queue request (and what `PriorityQueue.inMemory` uses). `configFor` gives each
 * queue name its config.
 */
export class LocalQueueClient implements QueueClient, LocalWakeSource {
  readonly #storage: Promise<Storage>;
  readonly #queues = new Map<string, Promise<PriorityQueue>>();

  constructor(
    storage: Storage | Promise<Storage>,
    private readonly configFor: (queue: string) => QueueConfigInput | undefined = () => undefined,
  ) {
    this.#storage = Promise.resolve(storage);
  }

  async #queue(name: string): Promise<PriorityQueue> {
    let queue = this.#queues.get(name);
    if (queue === undefined) {
      queue = this.#storage.then((storage) => new PriorityQueue(storage, name, this.configFor(name)));
      this.#queues.set(name, queue);
      queue.catch(() => this.#queues.delete(name));
    }
    return queue;
  }

  /** `enqueueBatch` on this process's queue `queue` (opened with `configFor(queue)` on first use). */
  async queueEnqueue(queue: string, tasks: readonly EnqueueInput[]): Promise<string[]> {
    return (await this.#queue(queue)).enqueueBatch(tasks);
  }
  /** `dequeue` on this process's queue `queue` (a server passes `waitMs` and a signal that aborts when its call ends). */
  async queueDequeue(queue: string, options: RemoteDequeueOptions): Promise<Task | null> {
    return (await this.#queue(queue)).dequeue(options);
  }
  /** `ack` on this process's queue `queue`. */
  async queueAck(queue: string, claim: ClaimRef): Promise<boolean> {
    return (await this.#queue(queue)).ack(claim);
  }
  /** `nack` on this process's queue `queue`. */
  async queueNack(queue: string, claim: ClaimRef, options: RemoteNackOptions): Promise<boolean> {
    return (await this.#queue(queue)).nack(claim, options);
  }
  async queueExtendVisibility(queue: string, claim: ClaimRef, ms: number): Promise<number> {
    return (await this.#queue(queue)).extendVisibility(claim, ms);
  }
  /** `stats` of this process's queue `queue`. */
  async queueStats(queue: string): Promise<QueueStats> {
    return (await this.#queue(queue)).stats();
  }
  /** `topK` on this process's queue `queue`. */
  async queueTopK(queue: string, k: number): Promise<TaskView[]> {
    return (await this.#queue(queue)).topK(k);
  }
  /** `getTask` on this process's queue `queue`. */
  async queueGetTask(queue: string, taskId: string): Promise<TaskView | null> {
    return (await this.#queue(queue)).getTask(taskId);
  }
  /** `remove` on this process's queue `queue`. */
  async queueRemove(queue: string, taskId: string, options: { readonly includeClaimed?: boolean }): Promise<TaskView | null> {
    return (await this.#queue(queue)).remove(taskId, options);
  }
  /** `purge` on this process's queue `queue`. */
  async queuePurge(queue: string, options: { readonly includeClaimed?: boolean }): Promise<number> {
    return (await this.#queue(queue)).purge(options);
  }
  /** What wakes a waiting dequeue on this process's queue `queue` (used by `dequeue({ waitMs })` through this client). */
  async queueWakeSource(queue: string): Promise<WakeSource> {
    return engines.get(await this.#queue(queue))!.wakeSource();
  }
}

function unlimitedController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
