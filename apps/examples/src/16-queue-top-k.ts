// Priority queue — the top k tasks (ORDER BY priority LIMIT k without a full sort)
import { Database, PriorityQueue, StreamingTopK } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('queue_db'));
const queue = PriorityQueue.fromDatabase(db, 'tasks');
for (const [priority, name] of [
  [5, 'reindex'],
  [1, 'charge-card'],
  [3, 'send-email'],
  [1, 'ship-order'],
] as const) {
  await queue.enqueue({ priority, payload: name, taskId: name });
}

// The 100 most urgent tasks (lower priority first, FIFO within a priority)
const topTasks = await queue.topK(100);
for (const task of topTasks) console.log(`Priority ${task.priority}: ${task.taskId}`);

// StreamingTopK does the same for any stream: keep the k best seen so far.
const top = new StreamingTopK<number>(2, (a, b) => a - b);
for (const n of [42, 7, 19, 3, 88]) top.push(n);
console.log(`Two smallest: ${top.toSortedArray().join(', ')}`);
