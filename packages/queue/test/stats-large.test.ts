// Shared mode's stats() over a queue larger than the heap could hold as task records: it counts
// as it reads. Run in a child process with a small V8 heap; before, stats() read every task's
// record into an array first (+331 MB at 1M tasks) and ran out of memory there.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { LevelStorage } from '@sochdb/core';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';
import { PriorityQueue } from '../src/index.js';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

it('shared-mode stats() counts a queue larger than the heap could hold as records', async () => {
  const dir = makeTempDir();
  dirs.push(dir);
  const tasks = 120_000;
  // Filled here, in exclusive mode (fast); the child opens the same folder in shared mode.
  const storage = await LevelStorage.open(join(dir.path, 'db'), { syncMode: 'off' });
  const q = new PriorityQueue(storage, 'jobs');
  for (let from = 0; from < tasks; from += 10_000) {
    await q.enqueueBatch(Array.from({ length: 10_000 }, (_, i) => ({ priority: (from + i) % 7, payload: 'p' })));
  }
  await q.close();
  await storage.close();
  const child = spawnTs(join(import.meta.dirname, 'fixtures', 'stats-large-queue.ts'), [join(dir.path, 'db')], {
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=40` },
  });
  const { code, stdout, stderr } = await waitForExit(child);
  expect(stderr).not.toMatch(/heap out of memory/);
  expect(code).toBe(0);
  const [before, after] = JSON.parse(stdout.trim()) as [Record<string, number>, Record<string, number>];
  expect(before).toMatchObject({ pending: tasks, delayed: 0, claimed: 0, total: tasks });
  expect(after).toMatchObject({ pending: tasks - 1, claimed: 1, total: tasks });
}, 60_000);
