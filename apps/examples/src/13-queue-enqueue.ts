// Priority queue — enqueue tasks, now or delayed
import { Database, PriorityQueue } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('queue_db'));
const queue = PriorityQueue.fromDatabase(db, 'tasks', { visibilityTimeoutMs: 30_000, maxAttempts: 3, deadLetterQueue: 'failed_tasks' });

// Enqueue with a priority (lower = sooner)
const taskId = await queue.enqueue({
  priority: 1, // high priority
  payload: '{"action": "process_order", "order_id": 123}',
  metadata: { source: 'api' },
});
console.log(`Enqueued task: ${taskId}`);

// A delayed task
await queue.enqueue({
  priority: 5,
  payload: 'delayed task',
  delayMs: 60_000, // visible in 1 minute
});
const stats = await queue.stats();
console.log(`Pending: ${stats.pending}, delayed: ${stats.delayed}`);
