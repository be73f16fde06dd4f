// Priority queue — statistics
import { Database, PriorityQueue } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('queue_db'));
const queue = PriorityQueue.fromDatabase(db, 'tasks', { visibilityTimeoutMs: 30_000, maxAttempts: 1, deadLetterQueue: 'failed_tasks' });

// Some traffic: three tasks, one claimed, one failed for good (maxAttempts 1), one waiting.
for (const priority of [1, 2, 3]) await queue.enqueue({ priority, payload: `task ${priority}` });
const failed = await queue.dequeue({ workerId: 'worker-1' });
await queue.nack(failed!.taskId);
await queue.dequeue({ workerId: 'worker-2' });

const stats = await queue.stats();
console.log(`Pending: ${stats.pending}`);
console.log(`In-flight: ${stats.claimed}`);
console.log(`Dead-lettered: ${stats.deadLettered}`);
