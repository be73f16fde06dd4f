import { fileURLToPath } from 'node:url';
import { LevelStorage } from '@sochdb/core';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PriorityQueue, type TaskView } from '../src/index.js';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let dir: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  dir = makeTempDir('sochdb-queue-crash-');
});
afterEach(() => dir.cleanup());

/** Starts a child, resolves once `ready(stdout)` holds, then kills it with SIGKILL. */
async function runUntilKilled(file: string, args: readonly string[], ready: (stdout: string) => boolean): Promise<string> {
  const child = spawnTs(fixture(file), args);
  const exited = waitForExit(child);
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (ready(out)) resolve();
    });
    child.once('close', () => reject(new Error(`child exited before it was killed:\n${out}`)));
  });
  child.kill('SIGKILL');
  const result = await exited;
  expect(result.signal).toBe('SIGKILL');
  return result.stdout;
}

describe('crash recovery (real child processes, kill -9)', () => {
  it.each(['normal', 'off'] as const)('every acknowledged enqueue survives SIGKILL exactly once, in order (syncMode %s)', async (syncMode) => {
    const path = `${dir.path}/db`;
    const stdout = await runUntilKilled('enqueue-forever.ts', [path, syncMode], (out) => out.split('\n').length > 400);
    const acked = stdout
      .split('\n')
      .filter((line) => line.startsWith('ok '))
      .map((line) => line.split(' ')[1]!);
    expect(acked.length).toBeGreaterThanOrEqual(400);

    const storage = await LevelStorage.open(path);
    try {
      const queue = new PriorityQueue(storage, 'jobs');
      const drained: TaskView[] = [];
      for (let t = await queue.dequeue({ workerId: 'w' }); t; t = await queue.dequeue({ workerId: 'w' })) drained.push(t);
      const counts = new Map<string, number>();
      for (const t of drained) counts.set(t.taskId, (counts.get(t.taskId) ?? 0) + 1);
      for (const id of acked) expect(counts.get(id), `acknowledged task ${id}`).toBe(1);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      // Lower priority first; within a priority, each producer's tasks in the order it enqueued them.
      for (let i = 1; i < drained.length; i++) expect(drained[i]!.priority).toBeGreaterThanOrEqual(drained[i - 1]!.priority);
      const lastSeen = new Map<string, number>();
      for (const t of drained) {
        const key = `${JSON.stringify(t.metadata['lane'])}/${t.priority}`;
        const i = Number(t.metadata['i']);
        expect(i).toBeGreaterThan(lastSeen.get(key) ?? -1);
        lastSeen.set(key, i);
      }
      expect(await queue.stats()).toMatchObject({ pending: 0, claimed: drained.length, total: drained.length });
    } finally {
      await storage.close();
    }
  });

  it.each(['exclusive', 'shared'] as const)(
    'a task claimed by a worker that is killed comes back after its lease, with the attempt counted (%s mode)',
    async (mode) => {
      const path = `${dir.path}/db`;
      const t0 = 5_000_000;
      let storage = await LevelStorage.open(path);
      const id = await new PriorityQueue(storage, 'jobs').enqueue({ priority: 1, payload: 'important' });
      await storage.close();

      const stdout = await runUntilKilled('claim-and-hang.ts', [path, String(t0), mode], (out) => out.includes('\n'));
      expect(stdout.trim()).toBe(`claimed ${id}`);

      storage = await LevelStorage.open(path);
      try {
        let now = t0 + 9_999;
        const queue = new PriorityQueue(storage, 'jobs', { clock: () => now, maxAttempts: 5, mode });
        expect(await queue.stats()).toMatchObject({ claimed: 1, pending: 0 });
        expect(await queue.dequeue({ workerId: 'survivor' })).toBeNull(); // the dead worker's lease is still live
        now = t0 + 10_000;
        const again = await queue.dequeue({ workerId: 'survivor' });
        expect(again).toMatchObject({ taskId: id, attempts: 2 });
        expect(again!.history.map((h) => [h.workerId, h.outcome])).toEqual([
          ['doomed-worker', 'expired'],
          ['survivor', 'claimed'],
        ]);
        expect(await queue.ack(again!)).toBe(true);
      } finally {
        await storage.close();
      }
    },
  );
});
