import { grpcWire, type SochDBServices } from '@sochdb/grpc-client';
import { LocalQueueClient, type Database, type QueueConfigInput } from '@sochdb/sdk';
import type { ServiceImpl } from '../rpc.js';

/**
 * QueueService over the database's durable queues. LocalQueueClient runs each call on the
 * embedded PriorityQueue of that name, which shares its state with every other queue object for
 * the name on this Storage — so a worker in the server process (db.queue(name)) and workers
 * through the wire never hold the same task.
 */
export function queueService(db: Database, configFor: (queue: string) => QueueConfigInput | undefined): ServiceImpl<SochDBServices['QueueService']['service']> {
  const queues = new LocalQueueClient(db.storage, configFor);
  const claim = (taskId: string, claimToken: string) => ({ taskId, ...(claimToken === '' ? {} : { claimToken }) });
  return {
    async Enqueue({ queue, tasks }) {
      return {
        taskIds: await queues.queueEnqueue(
          queue,
          tasks.map((t, i) => grpcWire.taskInputFromWire(t, `tasks[${i}]`)),
        ),
      };
    },
    async Dequeue({ queue, workerId, visibilityTimeoutMs }) {
      const task = await queues.queueDequeue(queue, { workerId, ...(visibilityTimeoutMs === undefined ? {} : { visibilityTimeoutMs }) });
      return task === null ? { found: false } : { found: true, task: grpcWire.taskToWire(task) };
    },
    async Ack({ queue, taskId, claimToken }) {
      return { ok: await queues.queueAck(queue, claim(taskId, claimToken)) };
    },
    async Nack({ queue, taskId, claimToken, delayMs, priority }) {
      const options = { ...(delayMs === undefined ? {} : { delayMs }), ...(priority === undefined ? {} : { priority }) };
      return { ok: await queues.queueNack(queue, claim(taskId, claimToken), options) };
    },
    async ExtendVisibility({ queue, taskId, claimToken, ms }) {
      return { leaseExpiresAt: await queues.queueExtendVisibility(queue, claim(taskId, claimToken), ms) };
    },
    async Stats({ queue }) {
      return grpcWire.statsToWire(await queues.queueStats(queue));
    },
    async TopK({ queue, k }) {
      return { tasks: (await queues.queueTopK(queue, k)).map(grpcWire.taskToWire) };
    },
    async GetTask({ queue, taskId }) {
      const task = await queues.queueGetTask(queue, taskId);
      return task === null ? { found: false } : { found: true, task: grpcWire.taskToWire(task) };
    },
    async Purge({ queue, includeClaimed }) {
      return { removed: await queues.queuePurge(queue, { includeClaimed }) };
    },
  };
}
