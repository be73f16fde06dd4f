import { ProtocolError, type OwnerServices, type Storage } from '@sochdb/core';
import { decodeBody, queueKeys } from './records.js';
import { decodeResults, encodeCall, QUEUE_SERVICE, type ServedTask, type ServiceSettings } from './queue-service.js';
import { RequestBatcher } from './request-batcher.js';
import type { WakeSource } from './long-poll.js';
import { assertStorageOpen, SharedQueueEngine, type QueueWork, type WorkResult } from './shared-engine.js';
import type { EngineSettings } from './storage-engine.js';
import type { ClaimRef, DequeueOptions, NackOptions, PurgeOptions, QueueEngine, QueueStats, Task, TaskView, WriteOptions } from './types.js';
import type { CheckedEnqueue } from './validate.js';

/** Most dequeues (or acks) of this process sent to the owner in one call. */
const MAX_BATCH = 256;
/** After an owner said it has no queue service, how long to use transactions before asking again. */
const RETRY_SERVICE_MS = 5_000;

/**
 * Shared mode on a concurrent-mode database: dequeues and acks — the hot path of every worker —
 * run in the owner process (the queue service, see queue-service.ts), one call per batch of this
 * process's concurrent calls; everything else, and any call inside the caller's transaction, is a
 * storage transaction as in SharedQueueEngine. If the owner does not provide the service (an
 * older version, or one that has not registered it yet), this process uses transactions for a
 * while and then asks again.
 */
export class OwnerQueueEngine implements QueueEngine {
  readonly #local: SharedQueueEngine;
  readonly #settings: ServiceSettings;
  /** performance.now() until which the owner is taken not to provide the service. */
  #unservedUntil = 0;
  readonly #work = new RequestBatcher<QueueWork, WorkResult>((work) => this.#send(work), MAX_BATCH);

  constructor(
    private readonly storage: Storage & OwnerServices,
    private readonly name: string,
    settings: EngineSettings,
  ) {
    this.#local = new SharedQueueEngine(storage, name, settings);
    this.#settings = { visibilityTimeoutMs: settings.visibilityTimeoutMs, maxAttempts: settings.maxAttempts, deadLetterQueue: settings.deadLetterQueue };
  }

  enqueue(tasks: readonly CheckedEnqueue[], options: WriteOptions): Promise<string[]> {
    return this.#local.enqueue(tasks, options);
  }

  dequeue(options: DequeueOptions): Promise<Task | null> {
    if (options.txn !== undefined || !this.#served()) return this.#local.dequeue(options);
    this.#assertOpen();
    return this.#work.submit({
      kind: 'dequeue',
      workerId: options.workerId,
      leaseMs: options.visibilityTimeoutMs ?? this.#settings.visibilityTimeoutMs,
    }) as Promise<Task | null>;
  }

  ack(claim: ClaimRef, options: WriteOptions): Promise<boolean> {
    if (options.txn !== undefined || !this.#served()) return this.#local.ack(claim, options);
    this.#assertOpen();
    const ref = { taskId: claim.taskId, ...(claim.claimToken === undefined ? {} : { claimToken: claim.claimToken }) };
    return this.#work.submit({ kind: 'ack', claim: ref }) as Promise<boolean>;
  }

  nack(claim: ClaimRef, options: NackOptions): Promise<boolean> {
    return this.#local.nack(claim, options);
  }
  extendVisibility(claim: ClaimRef, ms: number, options: WriteOptions): Promise<number> {
    return this.#local.extendVisibility(claim, ms, options);
  }
  stats(): Promise<QueueStats> {
    return this.#local.stats();
  }
  topK(k: number): Promise<TaskView[]> {
    return this.#local.topK(k);
  }
  getTask(taskId: string): Promise<TaskView | null> {
    return this.#local.getTask(taskId);
  }
  purge(options: PurgeOptions): Promise<number> {
    return this.#local.purge(options);
  }
  remove(taskId: string, options: PurgeOptions): Promise<TaskView | null> {
    return this.#local.remove(taskId, options);
  }

  /** One call for a batch of this process's dequeues and acks (one transaction in the owner). */
  async #send(work: readonly QueueWork[]): Promise<WorkResult[]> {
    const reply = await this.#callOwner(encodeCall({ queue: this.name, settings: this.#settings, work }));
    if (reply === undefined) return Promise.all(work.map((w) => this.#local.submit(w)));
    const served = decodeResults(reply);
    // Payloads the reply left out (past its size budget): their bodies are ours to read while we hold the claims.
    const missing = served.filter((t): t is ServedTask => t !== null && typeof t !== 'boolean' && t.payload === undefined);
    const bodies = missing.length === 0 ? [] : await this.storage.getMany(missing.map((t) => queueKeys.body(this.name, t.taskId)));
    const payloads = new Map(missing.map((t, i) => [t.taskId, decodeBody(t.taskId, bodies[i]).payload]));
    return served.map((t) => (t === null || typeof t === 'boolean' ? t : { ...t, payload: t.payload ?? payloads.get(t.taskId)! }));
  }

  wakeSource(): Promise<WakeSource> {
    return this.#local.wakeSource();
  }

  #served(): boolean {
    return performance.now() >= this.#unservedUntil;
  }

  /** The owner's reply, or undefined when it does not provide the service. */
  async #callOwner(request: Buffer): Promise<Buffer | undefined> {
    try {
      return await this.storage.callOwner(QUEUE_SERVICE, request);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.#unservedUntil = performance.now() + RETRY_SERVICE_MS;
      return undefined;
    }
  }

  #assertOpen(): void {
    assertStorageOpen(this.storage, this.name);
  }
}
