import type { Storage } from '@sochdb/core';
import type { LocalWakeSource, QueueClient, RemoteDequeueOptions, RemoteNackOptions } from './client.js';
import type { QueueConfigInput } from './config.js';
import type { WakeSource } from './long-poll.js';
import { PriorityQueue, wakeSourceOf } from './priority-queue.js';
import type { ClaimRef, EnqueueInput, QueueStats, Task, TaskView } from './types.js';

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
  /** `dequeue` on this process's queue `queue`. */
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
  /** `purge` on this process's queue `queue`. */
  async queuePurge(queue: string, options: { readonly includeClaimed?: boolean }): Promise<number> {
    return (await this.#queue(queue)).purge(options);
  }
  /** What wakes a waiting dequeue on this process's queue `queue` (used by `dequeue({ waitMs })` through this client). */
  async queueWakeSource(queue: string): Promise<WakeSource> {
    return wakeSourceOf(await this.#queue(queue));
  }
}
