import { ValidationError } from '@sochdb/core';
import { QueueError } from './errors.js';
import { longPoll, pollingWakeSource, type WakeSource } from './long-poll.js';
import type { ClaimRef, DequeueOptions, EnqueueInput, NackOptions, PurgeOptions, QueueEngine, QueueStats, Task, TaskView, WriteOptions } from './types.js';
import type { CheckedEnqueue } from './validate.js';

/** Dequeue options as they travel over the wire (no transaction). */
export interface RemoteDequeueOptions {
  /** As `DequeueOptions.workerId`. */
  readonly workerId: string;
  /** As `DequeueOptions.visibilityTimeoutMs`; the server queue's default when omitted. */
  readonly visibilityTimeoutMs?: number;
  /**
   * As `DequeueOptions.waitMs`: when no task is visible, wait up to this long for one (default 0).
   * A server client waits on the server, which may cap one call's wait (see `queueDequeueWaiting`).
   */
  readonly waitMs?: number;
  /** Ends the wait early (a server client cancels its call): resolves with null. */
  readonly signal?: AbortSignal;
}

/** Nack options as they travel over the wire: `NackOptions` without `txn` and `claimToken` (which is in the ClaimRef). */
export interface RemoteNackOptions {
  /** As `NackOptions.delayMs` (default 0: retry at once). */
  readonly delayMs?: number;
  /** As `NackOptions.priority` (default: keep the task's priority). */
  readonly priority?: number;
}

/**
 * What a server client (the SDK's gRPC `SochDBClient`) implements so that
 * `PriorityQueue.fromClient(client, name)` works over the wire. Each method is one request to
 * the server, which runs it on its embedded queue of that name; the server decides the queue's
 * config. Arguments have been validated by PriorityQueue before they are sent.
 */
export interface QueueClient {
  /** `PriorityQueue.enqueueBatch` on the queue `queue`: all tasks or none; resolves with their ids in order. */
  queueEnqueue(queue: string, tasks: readonly EnqueueInput[]): Promise<string[]>;
  /** `PriorityQueue.dequeue` on the queue `queue`: the claimed task, or null when none is visible. */
  queueDequeue(queue: string, options: RemoteDequeueOptions): Promise<Task | null>;
  /** `PriorityQueue.ack`: true the first time, false when already acked or the claim was lost. */
  queueAck(queue: string, claim: ClaimRef): Promise<boolean>;
  /** `PriorityQueue.nack`: resolves like `queueAck`; dead-letters the task when it is out of attempts. */
  queueNack(queue: string, claim: ClaimRef, options: RemoteNackOptions): Promise<boolean>;
  /** Resolves with the new lease end; rejects with ClaimLostError (7001) when the claim is gone. */
  queueExtendVisibility(queue: string, claim: ClaimRef, ms: number): Promise<number>;
  /** `PriorityQueue.stats` of the queue `queue`, counted on the server. */
  queueStats(queue: string): Promise<QueueStats>;
  /** `PriorityQueue.topK`: the next `k` visible tasks in dequeue order, none claimed. */
  queueTopK(queue: string, k: number): Promise<TaskView[]>;
  /** `PriorityQueue.getTask`: the task in any state, or null when the queue no longer holds it. */
  queueGetTask(queue: string, taskId: string): Promise<TaskView | null>;
  /** `PriorityQueue.purge`: removes every task (claimed ones only with `includeClaimed`); resolves with how many. */
  queuePurge(queue: string, options: { readonly includeClaimed?: boolean }): Promise<number>;
  /**
   * Optional: `PriorityQueue.remove`, one task (a claimed one only with `includeClaimed`); its
   * view, or null when there is none. A client without it (an older server) cannot remove one task.
   */
  queueRemove?(queue: string, taskId: string, options: { readonly includeClaimed?: boolean }): Promise<TaskView | null>;
  /**
   * Optional: a dequeue that waits on the server (long poll) up to `options.waitMs`, so a task
   * enqueued meanwhile is handed out at once instead of at this process's next poll. A client
   * that has it is used for `dequeue({ waitMs })`, one call per wait (or per server cap); one
   * without it is polled. When `options.signal` aborts, the call is cancelled and resolves with
   * task null.
   */
  queueDequeueWaiting?(
    queue: string,
    options: RemoteDequeueOptions,
  ): Promise<{
    /** The claimed task, or null when none became visible within the wait. */
    readonly task: Task | null;
    /**
     * The wait the server applied (`waitMs` after its cap); undefined when the server did not
     * wait (one older than waiting dequeues ignores `waitMs` and answers at once).
     */
    readonly waitedMs: number | undefined;
  }>;
}

export function isQueueClient(value: unknown): value is QueueClient {
  return typeof value === 'object' && value !== null && typeof (value as { queueDequeue?: unknown }).queueDequeue === 'function';
}

/**
 * A waiting call that came back empty this much before the server's wait was over was ended
 * early by the server (it is shutting down): timers may fire a little early, hence the slack.
 */
const EARLY_END_SLACK_MS = 50;

/** Delegates every call to a QueueClient. Transactions cannot cross the wire, so `txn` is refused. */
export class ClientQueueEngine implements QueueEngine {
  /** Set only when the client can wait on the server (`QueueClient.queueDequeueWaiting`). */
  readonly dequeueWaiting?: QueueEngine['dequeueWaiting'];

  constructor(
    private readonly client: QueueClient,
    private readonly name: string,
  ) {
    const waiting = client.queueDequeueWaiting?.bind(client);
    if (waiting !== undefined) this.dequeueWaiting = (options, waitMs, signals) => this.#waitOnServer(waiting, options, waitMs, signals);
  }

  enqueue(tasks: readonly CheckedEnqueue[], options: WriteOptions): Promise<string[]> {
    noTxn(options);
    return this.client.queueEnqueue(
      this.name,
      tasks.map((t) => ({
        priority: t.priority,
        payload: t.payload,
        metadata: t.metadata,
        delayMs: t.delayMs,
        ...(t.taskId === undefined ? {} : { taskId: t.taskId }),
      })),
    );
  }

  dequeue({ workerId, visibilityTimeoutMs, ...options }: DequeueOptions): Promise<Task | null> {
    noTxn(options);
    return this.client.queueDequeue(this.name, visibilityTimeoutMs === undefined ? { workerId } : { workerId, visibilityTimeoutMs });
  }

  ack(claim: ClaimRef, options: WriteOptions): Promise<boolean> {
    noTxn(options);
    return this.client.queueAck(this.name, claim);
  }

  nack(claim: ClaimRef, { delayMs, priority, ...options }: NackOptions): Promise<boolean> {
    noTxn(options);
    return this.client.queueNack(this.name, claim, { ...(delayMs === undefined ? {} : { delayMs }), ...(priority === undefined ? {} : { priority }) });
  }

  extendVisibility(claim: ClaimRef, ms: number, options: WriteOptions): Promise<number> {
    noTxn(options);
    return this.client.queueExtendVisibility(this.name, claim, ms);
  }

  stats(): Promise<QueueStats> {
    return this.client.queueStats(this.name);
  }

  topK(k: number): Promise<TaskView[]> {
    return this.client.queueTopK(this.name, k);
  }

  getTask(taskId: string): Promise<TaskView | null> {
    return this.client.queueGetTask(this.name, taskId);
  }

  remove(taskId: string, { includeClaimed, ...options }: PurgeOptions): Promise<TaskView | null> {
    noTxn(options);
    if (this.client.queueRemove === undefined) {
      return Promise.reject(
        new QueueError(`this client cannot remove one task of queue '${this.name}'`, {
          remediation: 'Upgrade the server and client to a version with QueueService.Remove, or purge the queue.',
        }),
      );
    }
    return this.client.queueRemove(this.name, taskId, includeClaimed === undefined ? {} : { includeClaimed });
  }

  purge({ includeClaimed, ...options }: PurgeOptions): Promise<number> {
    noTxn(options);
    return this.client.queuePurge(this.name, includeClaimed === undefined ? {} : { includeClaimed });
  }

  /**
   * One waiting call to the server per `waitMs` (more when the server caps a call's wait),
   * cancelled when a signal aborts. A server older than waiting dequeues ignores `waitMs` and
   * answers at once; it is told apart by its reply (no `waitedMs`), and the rest of the wait is
   * then polled from here as before, so the result is the same, only later.
   */
  async #waitOnServer(
    waiting: NonNullable<QueueClient['queueDequeueWaiting']>,
    { workerId, visibilityTimeoutMs, ...options }: DequeueOptions,
    waitMs: number,
    signals: readonly (AbortSignal | undefined)[],
  ): Promise<Task | null> {
    noTxn(options);
    const base = visibilityTimeoutMs === undefined ? { workerId } : { workerId, visibilityTimeoutMs };
    // One signal for the call: the caller's or the queue's close, whichever aborts first.
    const controller = new AbortController();
    const abort = (): void => controller.abort();
    const sources = signals.filter((s) => s !== undefined);
    for (const source of sources) source.addEventListener('abort', abort, { once: true });
    if (sources.some((s) => s.aborted)) abort();
    const deadline = performance.now() + waitMs;
    try {
      for (;;) {
        const left = Math.ceil(deadline - performance.now());
        if (controller.signal.aborted || left <= 0) return null;
        const started = performance.now();
        const { task, waitedMs } = await waiting(this.name, { ...base, waitMs: left, signal: controller.signal });
        // A task that arrived as a signal aborted is still returned: it is claimed already.
        if (task !== null) return task;
        if (controller.signal.aborted) return null;
        if (waitedMs === undefined) {
          // No waitedMs in the reply: an older server that ignored waitMs. Poll for the rest.
          const rest = deadline - performance.now();
          return rest <= 0 ? null : longPoll(() => this.dequeue({ ...base }), pollingWakeSource, rest, [controller.signal]);
        }
        // Empty well before the server's wait was over: the server ended it (it is stopping).
        // Otherwise its cap was shorter than what is left: ask again for the rest.
        if (performance.now() - started < waitedMs - EARLY_END_SLACK_MS) return null;
      }
    } finally {
      for (const source of sources) source.removeEventListener('abort', abort);
    }
  }

  async wakeSource(): Promise<WakeSource> {
    // A client in this process (LocalQueueClient) can push wakes; a remote one is polled.
    const local = (this.client as Partial<LocalWakeSource>).queueWakeSource;
    return typeof local === 'function' ? local.call(this.client, this.name) : pollingWakeSource;
  }
}

/** What a QueueClient in this process may add so that waiting dequeues wake without polling. */
export interface LocalWakeSource {
  queueWakeSource(queue: string): Promise<WakeSource>;
}

function noTxn(options: WriteOptions): void {
  if (options.txn !== undefined) {
    throw new ValidationError('a queue opened with fromClient cannot join a local transaction', {
      field: 'txn',
      remediation: 'Call it without { txn }; over a server each queue call is atomic on its own.',
    });
  }
}
