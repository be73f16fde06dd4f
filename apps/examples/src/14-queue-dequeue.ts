// Priority queue — dequeue (claim with a lease), process, then ack or nack
import { Database, PriorityQueue } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('queue_db'));
const queue = PriorityQueue.fromDatabase(db, 'tasks', { visibilityTimeoutMs: 30_000, maxAttempts: 3, deadLetterQueue: 'failed_tasks' });
await queue.enqueue({ priority: 1, payload: '{"action": "process_order", "order_id": 123}', metadata: { source: 'api' } });

// Dequeue: claims the task with a lease (null when nothing is visible)
const task = await queue.dequeue({ workerId: 'worker-1' });

if (task) {
  try {
    // Process the task
    const payload = task.payload;
    console.log(`Processing: ${payload.toString()}`);

    // Acknowledge completion
    await queue.ack(task.taskId);
  } catch {
    // Negative ack: retry later, or dead-letter after maxAttempts
    await queue.nack(task.taskId);
  }
}
console.log(`Completed: ${(await queue.stats()).completed}`);
