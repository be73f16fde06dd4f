import { PriorityQueue } from '@sochdb/queue';

const queue = PriorityQueue.inMemory('emails', { visibilityTimeoutMs: 10_000, maxAttempts: 3, deadLetterQueue: 'emails_failed' });
await queue.enqueueBatch([1, 2, 3].map((n) => ({ priority: 0, payload: `email ${n}` })));

const worker = queue.process(
  async (task, { signal }) => {
    if (task.payload.toString() === 'email 2') throw new Error('SMTP down'); // retried, then dead-lettered
    await new Promise((resolve) => setTimeout(resolve, 10, { signal })); // your work; honour the signal
    return `sent ${task.payload.toString()}`;
  },
  { concurrency: 2, backoff: { type: 'exponential', delayMs: 20, maxDelayMs: 1_000, jitter: 0.2 } },
);
worker.on('completed', (task, result) => console.log(result));
worker.on('failed', (task, error) => console.log(`attempt ${task.attempts} of ${task.payload.toString()} failed: ${String(error)}`));
worker.on('dead-lettered', (task) => console.log(`${task.payload.toString()} dead-lettered`));
worker.on('error', (error) => console.error('queue trouble:', error)); // dequeue/ack/renewal failures

await new Promise((resolve) => worker.once('dead-lettered', resolve));
await worker.close(); // stops claiming, waits for running handlers
console.log('stats:', JSON.stringify(await queue.stats()));
await queue.close();
