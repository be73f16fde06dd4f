import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelStorage } from '@sochdb/core';
import { PriorityQueue } from '@sochdb/queue';

const dir = mkdtempSync(join(tmpdir(), 'sochdb-queue-example-'));
const storage = await LevelStorage.open(dir);
const queue = new PriorityQueue(storage, 'tasks', {
  visibilityTimeoutMs: 30_000, // a claim is a 30 s lease
  maxAttempts: 3, // then the task moves to 'failed_tasks'
  deadLetterQueue: 'failed_tasks',
});

// Lower priority numbers run first; FIFO within a priority.
await queue.enqueue({ priority: 5, payload: 'send the newsletter' });
await queue.enqueue({ priority: 1, payload: JSON.stringify({ action: 'process_order', orderId: 123 }), metadata: { source: 'api' } });
await queue.enqueue({ priority: 0, payload: 'remind me', delayMs: 60_000 }); // invisible for a minute

// Enqueue atomically with your own writes: the task exists only if the transaction commits.
await storage.transaction(async (txn) => {
  await txn.put('orders/124', 'placed');
  await queue.enqueue({ priority: 1, payload: JSON.stringify({ action: 'process_order', orderId: 124 }) }, { txn });
});

const task = await queue.dequeue({ workerId: 'worker-1' });
if (task) {
  try {
    const job = JSON.parse(task.payload.toString()) as { action: string; orderId: number };
    const source = task.metadata['source']; // metadata is any JSON value
    console.log(`worker-1 ${job.action} #${job.orderId} (attempt ${task.attempts}, from ${typeof source === 'string' ? source : JSON.stringify(source)})`);
    await queue.ack(task); // pass the task: a worker whose lease ran out cannot ack another's claim
  } catch {
    await queue.nack(task, { delayMs: 1_000 }); // retry in a second, or dead-letter after 3 attempts
  }
}

console.log('next up:', (await queue.topK(3)).map((t) => t.payload.toString()));
console.log('stats:', JSON.stringify(await queue.stats()));
await storage.close();
rmSync(dir, { recursive: true, force: true });
