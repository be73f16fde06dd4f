import { grpcWire, type SochDBServices } from '@sochdb/grpc-client';
import { LocalQueueClient, type Database, type QueueConfigInput } from '@sochdb/sdk';
import type { ServiceImpl } from '../rpc.js';

/**
 * QueueService over the database's durable queues. LocalQueueClient runs each call on the
 * embedded PriorityQueue of that name, which shares its state with every other queue object for
 * the name on this Storage — so a worker in the server process (db.queue(name)) and workers
 * through the wire never hold the same task.
 */
export function queueService(
  db: Database,
  configFor: (queue: string) => QueueConfigInput | undefined,
  served?: ServedQueues,
): ServiceImpl<SochDBServices['QueueService']['service']> {
  const queues = new LocalQueueClient(db.storage, configFor);
  served?.attach(queues);
  const claim = (taskId: string, claimToken: string) => ({ taskId, ...(claimToken === '' ? {} : { claimToken }) });
  return {
    async Enqueue({ queue, tasks }) {
      served?.add(queue);
      return {
        taskIds: await queues.queueEnqueue(
          queue,
          tasks.map((t, i) => grpcWire.taskInputFromWire(t, `tasks[${i}]`)),
        ),
      };
    },
    // A long poll waits here, on the embedded queue, which wakes at once on a commit in this
    // process (any client's enqueue). The wait ends early, with none found, when the call is
    // cancelled or its deadline passes, and when the server begins to stop (so a waiting call
    // never holds up a graceful shutdown). The reply says how long the server was prepared to
    // wait: a client tells this server from one that ignores wait_ms by it.
    async Dequeue({ queue, workerId, visibilityTimeoutMs, waitMs }, call) {
      served?.add(queue);
      // Capped (negative values go on to be refused by the queue as a ValidationError).
      const wait = waitMs === undefined ? 0 : Math.min(waitMs, grpcWire.MAX_DEQUEUE_WAIT_MS);
      const task = await queues.queueDequeue(queue, {
        workerId,
        ...(visibilityTimeoutMs === undefined ? {} : { visibilityTimeoutMs }),
        ...(waitMs === undefined ? {} : { waitMs: wait, signal: call.signal }),
      });
      return task === null ? { found: false, waitMs: wait } : { found: true, task: grpcWire.taskToWire(task), waitMs: wait };
    },
    async Ack({ queue, taskId, claimToken }) {
      served?.add(queue);
      return { ok: await queues.queueAck(queue, claim(taskId, claimToken)) };
    },
    async Nack({ queue, taskId, claimToken, delayMs, priority }) {
      served?.add(queue);
      const options = { ...(delayMs === undefined ? {} : { delayMs }), ...(priority === undefined ? {} : { priority }) };
      return { ok: await queues.queueNack(queue, claim(taskId, claimToken), options) };
    },
    async ExtendVisibility({ queue, taskId, claimToken, ms }) {
      served?.add(queue);
      return { leaseExpiresAt: await queues.queueExtendVisibility(queue, claim(taskId, claimToken), ms) };
    },
    async Stats({ queue }) {
      served?.add(queue);
      return grpcWire.statsToWire(await queues.queueStats(queue));
    },
    async TopK({ queue, k }) {
      served?.add(queue);
      return { tasks: (await queues.queueTopK(queue, k)).map(grpcWire.taskToWire) };
    },
    async GetTask({ queue, taskId }) {
      served?.add(queue);
      const task = await queues.queueGetTask(queue, taskId);
      return task === null ? { found: false } : { found: true, task: grpcWire.taskToWire(task) };
    },
    async Remove({ queue, taskId, includeClaimed }) {
      served?.add(queue);
      const task = await queues.queueRemove(queue, taskId, { includeClaimed });
      return task === null ? { found: false } : { found: true, task: grpcWire.taskToWire(task) };
    },
    async Purge({ queue, includeClaimed }) {
      served?.add(queue);
      return { removed: await queues.queuePurge(queue, { includeClaimed }) };
    },
  };
}

/** At most this many queues are reported, so a client cannot grow the metrics without bound. */
const MAX_REPORTED = 1000;

/**
 * The queues served so far through QueueService, and their depths (for the metrics): read from
 * the queues this process already holds, each from its in-memory index in exclusive mode.
 */
export class ServedQueues {
  readonly #names = new Set<string>();
  #queues: LocalQueueClient | undefined;

  attach(queues: LocalQueueClient): void {
    this.#queues = queues;
  }

  add(queue: string): void {
    if (typeof queue === 'string' && this.#names.size < MAX_REPORTED) this.#names.add(queue);
  }

  async depths(): Promise<{ queue: string; pending: number; delayed: number; claimed: number }[]> {
    const queues = this.#queues;
    if (queues === undefined) return [];
    const all = await Promise.all(
      [...this.#names].map(async (queue) => {
        try {
          const { pending, delayed, claimed } = await queues.queueStats(queue);
          return { queue, pending, delayed, claimed };
        } catch {
          this.#names.delete(queue); // a name no queue accepts (the call failed the same way)
          return undefined;
        }
      }),
    );
    return all.filter((d) => d !== undefined);
  }
}
