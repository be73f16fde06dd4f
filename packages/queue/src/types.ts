import type { Transaction, TransactionLike } from '@sochdb/core';

/** A JSON value, as task metadata is stored. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type TaskMetadata = Readonly<Record<string, JsonValue>>;

export interface EnqueueInput {
  /** Lower runs first. A safe integer (±2^53−1); negative, zero and large values all order correctly. */
  readonly priority: number;
  /** Bytes; a string is stored as UTF-8 (the same rule as every SochDB value). */
  readonly payload: Uint8Array | string;
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
}

/** Identifies one delivery of a task: a stale worker's token no longer matches after a re-claim. */
export interface ClaimRef {
  readonly taskId: string;
  readonly claimToken?: string;
}

export interface NackOptions extends WriteOptions {
  /** Keep the task invisible for this long before it is retried (default 0: at once). */
  readonly delayMs?: number;
  /** Retry at a new priority. */
  readonly priority?: number;
  readonly claimToken?: string;
}

export interface ClaimOptions extends WriteOptions {
  readonly claimToken?: string;
}

/** How one delivery ended. `claimed` means it is still live (or its worker vanished). */
export type AttemptOutcome = 'claimed' | 'nacked' | 'expired';

export interface AttemptRecord {
  readonly workerId: string;
  readonly claimedAt: number;
  readonly outcome: AttemptOutcome;
  /** When the outcome happened (the lease end for `expired`). */
  readonly endedAt?: number;
}

/** Where a dead-lettered task came from, kept on its copy in the dead-letter queue. */
export interface DeadLetterOrigin {
  readonly queue: string;
  readonly taskId: string;
  readonly priority: number;
  readonly attempts: number;
  readonly history: readonly AttemptRecord[];
  readonly deadLetteredAt: number;
}

export type TaskState = 'pending' | 'delayed' | 'claimed' | 'dead';

/** A task as `getTask`, `peek` and `topK` show it. */
export interface TaskView {
  readonly taskId: string;
  readonly priority: number;
  readonly payload: Buffer;
  readonly metadata: TaskMetadata;
  readonly state: TaskState;
  /** Deliveries so far; a lease that expired counts. */
  readonly attempts: number;
  readonly history: readonly AttemptRecord[];
  readonly enqueuedAt: number;
  /** When a delayed task becomes visible, or when a claimed task's lease ends. */
  readonly visibleAt: number;
  /** Set on tasks in a dead-letter queue. */
  readonly deadLetter?: DeadLetterOrigin;
}

/** A task handed to a worker by `dequeue`: pass it (or its claimToken) to ack/nack/extend. */
export interface Task extends TaskView {
  readonly state: 'claimed';
  readonly workerId: string;
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
  readonly pending: number;
  readonly delayed: number;
  readonly claimed: number;
  readonly completed: number;
  readonly deadLettered: number;
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
}

/**
 * An option type as the public methods take it: `txn` may be a core Transaction or the SDK's
 * DatabaseTransaction. `requireWriteOptions` unwraps it to the core Transaction the engines use.
 */
export type WithTransactionLike<T extends WriteOptions> = Omit<T, 'txn'> & { readonly txn?: TransactionLike };

/** An enqueue input after validation (see validate.ts). */
export interface CheckedEnqueue {
  readonly priority: number;
  readonly payload: Buffer;
  readonly metadata: TaskMetadata;
  readonly delayMs: number;
  readonly taskId: string | undefined;
}
