// Priority queue — create a durable queue with leases, retries and a dead-letter queue
import { Database, PriorityQueue } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('queue_db'));

// Create a queue with its config
const queue = PriorityQueue.fromDatabase(db, 'tasks', {
  visibilityTimeoutMs: 30_000, // 30 s lease
  maxAttempts: 3,
  deadLetterQueue: 'failed_tasks',
});
console.log(`Queue ready: ${JSON.stringify(await queue.stats())}`);
