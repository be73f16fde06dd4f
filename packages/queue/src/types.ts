import type { Transaction, TransactionLike } from '@sochdb/core';
import type { WakeSource } from './long-poll.js';

/** A JSON value, as task metadata is stored. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
/** Free-form JSON kept with a task and returned with it (validated as JSON at enqueue; `{}` when omitted). */
export type TaskMetadata = Readonly<Record<string, JsonValue>>;

/** One task for `enqueue`/`enqueueBatch`. */
export interface EnqueueInput {
  /** Lower runs first. A safe integer (±2^53−1); negative, zero and large values all order correctly. */
  readonly priority: number;
  /** Bytes; a string is stored as UTF-8 (the same rule as every SochDB value). */
  readonly payload: Uint8Array | string;
  /** Stored with the task, not used for ordering; `{}` when omitted. A dead-lettered copy keeps it. */
  readonly metadata?: TaskMetadata;
  /** The task stays invisible for this long after the enqueue (default 0). */
  readonly delayMs?: number;
  /** Your own id (e.g. for idempotency); a random UUID when omitted. Must not name a live task. */
  readonly taskId?: string;
}

/** Every queue method that writes accepts this as its last argument. */
export interface WriteOptions {
  /**
   * Do the write inside this transaction: it takes effect (and becomes visible to other queue
   * calls) only if the transaction commits. Only for queues over a Storage, not `fromClient`.
   */
  readonly txn?: Transaction;
}

export interface DequeueOptions extends WriteOptions {
  /** Who claims the task; recorded in the attempt history. */
  readonly workerId: string;
  /** Lease length for this claim; the queue's `visibilityTimeoutMs` by default. */
  readonly visibilityTimeoutMs?: number;
  /**
   * Long poll: when no task is visible, wait up to this long for one (default 0: answer at once).
   * Not with `txn`.
   */
  readonly waitMs?: number;
  /** Ends a wait early: the dequeue resolves with null. */
  readonly signal?: AbortSignal;
}

/** Identifies one delivery of a task: a stale worker's token no longer matches after a re-claim. */
export interface ClaimRef {
  /** The task's id. */
  readonly taskId: string;
  /** The delivery's token (from `Task.claimToken`); when omitted, any live delivery of the task matches. */
  readonly claimToken?: string;
}

export interface NackOptions extends WriteOptions {
  /** Keep the task invisible for this long before it is retried (default 0: at once). */
  readonly delayMs?: number;
  /** Retry at a new priority. */
  readonly priority?: number;
  /** Checked against the live delivery when you pass a bare task id (see `ClaimRef.claimToken`). */
  readonly claimToken?: string;
}

/** Options of `ack` and `extendVisibility`. */
export interface ClaimOptions extends WriteOptions {
  /** Checked against the live delivery when you pass a bare task id (see `ClaimRef.claimToken`). */
  readonly claimToken?: string;
}

/** How one delivery ended. `claimed` means it is still live (or its worker vanished). */
export type AttemptOutcome = 'claimed' | 'nacked' | 'expired';

/** One delivery of a task, oldest first in `history`. An ack ends the task, so it records no outcome. */
export interface AttemptRecord {
  /** The `workerId` given to the `dequeue` that claimed it. */
  readonly workerId: string;
  /** When it was claimed (ms, the queue's clock). */
  readonly claimedAt: number;
  /** How it ended; `claimed` while it is the live delivery. */
  readonly outcome: AttemptOutcome;
  /** When the outcome happened (the lease end for `expired`). */
  readonly endedAt?: number;
}

/** Where a dead-lettered task came from, kept on its copy in the dead-letter queue. */
export interface DeadLetterOrigin {
  /** The queue the task ran out of attempts in. */
  readonly queue: string;
  /** Its id there (the copy keeps it unless the dead-letter queue already holds that id, then a suffix is added). */
  readonly taskId: string;
  /** Its priority when it was dead-lettered (after any nack that changed it). */
  readonly priority: number;
  /** Deliveries it had there. */
  readonly attempts: number;
  /** Its deliveries there, oldest first. */
  readonly history: readonly AttemptRecord[];
  /** When it was moved (ms, the source queue's clock). */
  readonly deadLetteredAt: number;
}

/**
 * `pending`: visible, next in line by priority. `delayed`: invisible until `visibleAt`.
 * `claimed`: leased to a worker. `dead`: out of attempts in a queue with no `deadLetterQueue`; it
 * stays there, never delivered again, until purged.
 */
export type TaskState = 'pending' | 'delayed' | 'claimed' | 'dead';

/** A task as `getTask`, `peek` and `topK` show it. */
export interface TaskView {
  /** The id given at enqueue, or the random UUID assigned then. */
  readonly taskId: string;
  /** Current priority (lower first); a nack may have changed it. */
  readonly priority: number;
  /** The payload bytes (a string payload comes back as its UTF-8 bytes). */
  readonly payload: Buffer;
  /** The enqueue's metadata, `{}` when it had none. */
  readonly metadata: TaskMetadata;
  /** The state as of the read: a delay or lease that has run out already shows as `pending`. */
  readonly state: TaskState;
  /** Deliveries so far; a lease that expired counts. */
  readonly attempts: number;
  /** Every delivery so far, oldest first. */
  readonly history: readonly AttemptRecord[];
  /** When it was enqueued (ms, the queue's clock). */
  readonly enqueuedAt: number;
  /** When a delayed task becomes visible, or when a claimed task's lease ends. */
  readonly visibleAt: number;
  /** Set on tasks in a dead-letter queue. */
  readonly deadLetter?: DeadLetterOrigin;
}

/** A task handed to a worker by `dequeue`: pass it (or its claimToken) to ack/nack/extend. */
export interface Task extends TaskView {
  /** Always `claimed`: the task is leased to you until `leaseExpiresAt`. */
  readonly state: 'claimed';
  /** The `workerId` you dequeued with. */
  readonly workerId: string;
  /** Identifies this delivery: ack/nack/extend with it fail (false, or ClaimLostError) once the task was re-delivered. */
  readonly claimToken: string;
  /** The lease ends at this time (ms, the queue's clock); then the task is visible again. */
  readonly leaseExpiresAt: number;
}

/**
 * Counts at one instant; every task is in exactly one bucket, so
 * `total = pending + delayed + claimed + completed + deadLettered`.
 * `completed` and `deadLettered` are totals since the queue was created (they survive restarts).
 */
export interface QueueStats {
  /** Visible tasks waiting for a dequeue (including those whose delay or lease has run out). */
  readonly pending: number;
  /** Tasks still inside their enqueue or nack delay. */
  readonly delayed: number;
  /** Tasks leased to a worker now. */
  readonly claimed: number;
  /** Tasks acked since the queue was created. */
  readonly completed: number;
  /** Tasks that ran out of attempts since the queue was created (moved to the dead-letter queue, or kept as `dead`). */
  readonly deadLettered: number;
  /** The sum of the five counts above. */
  readonly total: number;
}

export interface PurgeOptions extends WriteOptions {
  /** Also remove tasks that are claimed right now (default false: claimed tasks stay). */
  readonly includeClaimed?: boolean;
}

/**
 * What PriorityQueue delegates to: the embedded engine over a Storage, or a remote client.
 * Arguments arrive validated.
 */
export interface QueueEngine {
  enqueue(tasks: readonly CheckedEnqueue[], options: WriteOptions): Promise<string[]>;
  dequeue(options: DequeueOptions): Promise<Task | null>;
  ack(claim: ClaimRef, options: WriteOptions): Promise<boolean>;
  nack(claim: ClaimRef, options: NackOptions): Promise<boolean>;
  extendVisibility(claim: ClaimRef, ms: number, options: WriteOptions): Promise<number>;
  stats(): Promise<QueueStats>;
  topK(k: number): Promise<TaskView[]>;
  getTask(taskId: string): Promise<TaskView | null>;
  purge(options: PurgeOptions): Promise<number>;
  /** Removes one task (a claimed one only with `includeClaimed`): its view, or null when the queue has none of that id. */
  remove(taskId: string, options: PurgeOptions): Promise<TaskView | null>;
  /** What wakes a waiting dequeue (see long-poll.ts). */
  wakeSource(): Promise<WakeSource>;
  /**
   * Optional: a waiting dequeue (`waitMs` > 0) that waits where the tasks are (a server client
   * waits on the server) instead of polling through `wakeSource`. Resolves with null after
   * `waitMs`, or at once when a signal aborts.
   */
  dequeueWaiting?(options: DequeueOptions, waitMs: number, signals: readonly (AbortSignal | undefined)[]): Promise<Task | null>;
}

/**
 * An option type as the public methods take it: `txn` may be a core Transaction or the SDK's
 * DatabaseTransaction. `requireWriteOptions` unwraps it to the core Transaction the engines use.
 */
export type WithTransactionLike<T extends WriteOptions> = Omit<T, 'txn'> & {
  /** As `WriteOptions.txn`; a `DatabaseTransaction` is accepted as well as a core Transaction. */
  readonly txn?: TransactionLike;
};

/** An enqueue input after validation (see validate.ts). */
export interface CheckedEnqueue {
  readonly priority: number;
  readonly payload: Buffer;
  readonly metadata: TaskMetadata;
  readonly delayMs: number;
  readonly taskId: string | undefined;
}
