// A queue Worker (BullMQ's Worker) in a real client process of a concurrent-mode database is
// killed with SIGKILL in the middle of a task: the task comes back when its lease runs out and a
// worker in another process completes it, every task exactly once (issue 22).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';
import { Database, type Task } from '@sochdb/sdk';

let dir: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => dir?.cleanup());

it('a worker process killed mid-task: the task is redone elsewhere after its lease, every task once', async () => {
  dir = makeTempDir('sochdb-worker-kill-');
  const path = join(dir.path, 'db');
  const db = await Database.openConcurrent(path, { syncMode: 'off', lockTimeoutMs: 15_000 });
  try {
    const queue = db.queue('jobs');
    await queue.enqueue({ taskId: 'first', priority: 0, payload: 'claimed by the doomed worker' });

    const child = spawnTs(fileURLToPath(new URL('./fixtures/worker-hang.ts', import.meta.url)), [path, '600']);
    const exited = waitForExit(child);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve();
      });
      child.once('close', () => reject(new Error(`worker exited before it was killed:\n${out}`)));
    });
    expect(out.trim()).toBe('started first 1 client');
    child.kill('SIGKILL');
    expect((await exited).signal).toBe('SIGKILL');

    await queue.enqueueBatch(Array.from({ length: 5 }, (_, i) => ({ taskId: `later${i}`, priority: 1, payload: `task ${i}` })));
    const completed: Task[] = [];
    const worker = queue.process(async (task) => task.payload.toString(), { concurrency: 2, leaseMs: 600, workerId: 'survivor' });
    worker.on('completed', (task: Task) => completed.push(task));
    await expect.poll(() => completed.length, { timeout: 15_000, interval: 50 }).toBe(6);
    await worker.close();

    expect(completed.map((t) => t.taskId).sort()).toEqual(['first', 'later0', 'later1', 'later2', 'later3', 'later4']);
    const redone = completed.find((t) => t.taskId === 'first')!;
    expect(redone.attempts).toBe(2);
    expect(redone.history.map((h) => [h.workerId, h.outcome])).toEqual([
      ['doomed', 'expired'],
      ['survivor', 'claimed'],
    ]);
    expect(await queue.stats()).toMatchObject({ pending: 0, claimed: 0, completed: 6 });
  } finally {
    await db.close();
  }
}, 60_000);
