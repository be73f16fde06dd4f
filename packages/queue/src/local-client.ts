import type { Storage } from '@sochdb/core';
import type { QueueClient, RemoteDequeueOptions, RemoteNackOptions } from './client.js';
import type { QueueConfigInput } from './config.js';
import { PriorityQueue } from './priority-queue.js';
import type { ClaimRef, EnqueueInput, QueueStats, Task, TaskView } from './types.js';

/**
 * A QueueClient served by the embedded queues of a Storage in this process: what a server runs
 * behind each queue request (and what `PriorityQueue.inMemory` uses). `configFor` gives each
 * queue name its config.
 */
export class LocalQueueClient implements QueueClient {
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

  async queueEnqueue(queue: string, tasks: readonly EnqueueInput[]): Promise<string[]> {
    return (await this.#queue(queue)).enqueueBatch(tasks);
  }
  async queueDequeue(queue: string, options: RemoteDequeueOptions): Promise<Task | null> {
    return (await this.#queue(queue)).dequeue(options);
  }
  async queueAck(queue: string, claim: ClaimRef): Promise<boolean> {
    return (await this.#queue(queue)).ack(claim);
  }
  async queueNack(queue: string, claim: ClaimRef, options: RemoteNackOptions): Promise<boolean> {
    return (await this.#queue(queue)).nack(claim, options);
  }
  async queueExtendVisibility(queue: string, claim: ClaimRef, ms: number): Promise<number> {
    return (await this.#queue(queue)).extendVisibility(claim, ms);
  }
  async queueStats(queue: string): Promise<QueueStats> {
    return (await this.#queue(queue)).stats();
  }
  async queueTopK(queue: string, k: number): Promise<TaskView[]> {
    return (await this.#queue(queue)).topK(k);
  }
  async queueGetTask(queue: string, taskId: string): Promise<TaskView | null> {
    return (await this.#queue(queue)).getTask(taskId);
  }
  async queuePurge(queue: string, options: { readonly includeClaimed?: boolean }): Promise<number> {
    return (await this.#queue(queue)).purge(options);
  }
}
