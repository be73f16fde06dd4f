// queue.process() over the gRPC client: the same Worker as embedded (claims, lease extension,
// acks, nacks with backoff), each call one request to the server's queue (issue 22).
import type { Task } from '@sochdb/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({});
});
afterAll(() => t.stop());

it('a worker over the wire completes every task once, retrying a failure with backoff', async () => {
  const queue = t.client.queue('remote-work');
  await queue.enqueueBatch(Array.from({ length: 8 }, (_, i) => ({ taskId: `t${i}`, priority: i % 3, payload: `job ${i}` })));
  const runs = new Map<string, number>();
  const completed: string[] = [];
  const failed: string[] = [];
  let running = 0;
  let most = 0;
  const worker = queue.process(
    async (task) => {
      running++;
      most = Math.max(most, running);
      try {
        runs.set(task.taskId, (runs.get(task.taskId) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20));
        if (task.taskId === 't3' && task.attempts === 1) throw new Error('flaky');
        return task.payload.toString();
      } finally {
        running--;
      }
    },
    { concurrency: 3, leaseMs: 5_000, backoff: { type: 'fixed', delayMs: 50 }, workerId: 'remote' },
  );
  worker.on('completed', (task: Task) => completed.push(task.taskId));
  worker.on('failed', (task: Task) => failed.push(task.taskId));
  await expect.poll(() => completed.length, { timeout: 15_000, interval: 50 }).toBe(8);
  await worker.close();

  expect([...completed].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `t${i}`));
  expect(failed).toEqual(['t3']);
  expect(runs.get('t3')).toBe(2);
  expect([...runs.values()].reduce((a, b) => a + b)).toBe(9);
  expect(most).toBeLessThanOrEqual(3);
  expect(await queue.stats()).toMatchObject({ pending: 0, claimed: 0, completed: 8 });
});
