import { fileURLToPath } from 'node:url';
import { LevelStorage, keyRange, type Storage } from '@sochdb/core';
import { persistentFactory, makeTempDir, spawnTs, waitForExit, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PriorityQueue } from '../src/index.js';
import { encodeBody, encodeState, queueKeys } from '../src/records.js';
import { asAnotherProcess, orderIndexMismatches, text } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/shared-worker.ts', import.meta.url));

async function indexKeys(storage: Storage): Promise<number> {
  let count = 0;
  for (const prefix of [queueKeys.readyPrefix('jobs'), queueKeys.timerPrefix('jobs')]) for await (const _ of storage.iterator(keyRange(prefix))) count++;
  return count;
}

describe('several shared-mode engines on one LevelStorage (as processes of a concurrent-mode database)', () => {
  let factory: StorageFactory;
  let storage: Storage;
  beforeEach(async () => {
    factory = persistentFactory();
    storage = await factory.open();
  });
  afterEach(async () => {
    await storage.close();
    await factory.cleanup();
  });

  it('4 engines drain 2,000 tasks at once: each acked exactly once, abandoned claims come back, none lost', async () => {
    const M = 2000;
    // Separate Storage identities: no dequeue turns or caches in common, so claims really race
    // and are settled by conflicts on the task state keys (first committer wins, loser retries).
    const engines = Array.from(
      { length: 4 },
      () => new PriorityQueue(asAnotherProcess(storage), 'jobs', { mode: 'shared', visibilityTimeoutMs: 60_000, maxAttempts: 100 }),
    );
    await engines[0]!.enqueueBatch(Array.from({ length: M / 2 }, (_, i) => ({ priority: i % 7, payload: String(i), taskId: `t${i}` })));
    await engines[1]!.enqueueBatch(Array.from({ length: M / 2 }, (_, j) => ({ priority: j % 5, payload: String(M / 2 + j), taskId: `t${M / 2 + j}` })));
    const acked = new Map<string, number>();
    let claims = 0;
    let abandoned = 0;
    await Promise.all(
      engines.map(async (q, w) => {
        for (;;) {
          const task = await q.dequeue({ workerId: `w${w}` });
          if (task === null) {
            // Empty for now, or only abandoned tasks whose 1 ms lease has not run out yet.
            if ((await q.stats()).completed === M) return;
            await new Promise((resolve) => setTimeout(resolve, 2));
            continue;
          }
          if (++claims % 40 === 0) {
            // A worker that gives up: its lease ends in 1 ms and the task must be delivered again.
            await q.extendVisibility(task, 1);
            abandoned++;
            continue;
          }
          if (await q.ack(task)) acked.set(text(task.payload), (acked.get(text(task.payload)) ?? 0) + 1);
        }
      }),
    );
    expect(abandoned).toBeGreaterThan(0);
    expect(acked.size).toBe(M);
    expect([...acked.values()].every((n) => n === 1)).toBe(true);
    expect(await engines[3]!.stats()).toEqual({ pending: 0, delayed: 0, claimed: 0, completed: M, deadLettered: 0, total: M });
    expect(await indexKeys(storage)).toBe(0);
  }, 120_000);
});

describe("real child processes on one LevelDB folder (one holds it at a time: LevelDB's lock)", () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('sochdb-queue-shared-');
  });
  afterEach(() => dir.cleanup());

  it('a legacy queue of 1,200 tasks: a killed claimant and 4 draining processes process every task exactly once', async () => {
    const path = `${dir.path}/db`;
    const t0 = 5_000_000;
    const M = 1200;
    // Written as the queue did before the order index existed: the first child builds the index.
    let storage = await LevelStorage.open(path);
    await storage.batch(
      Array.from({ length: M }, (_, i) => {
        const state = {
          id: `t${i}`,
          priority: i % 10,
          seq: i + 1,
          attempts: 0,
          state: 'pending' as const,
          visibleAt: t0,
          token: undefined,
          workerId: undefined,
          history: [],
          enqueuedAt: t0,
        };
        return [
          { type: 'put' as const, key: queueKeys.body('jobs', state.id), value: encodeBody({ payload: Buffer.from(state.id), metadata: {} }) },
          { type: 'put' as const, key: queueKeys.state('jobs', state.id), value: encodeState(state) },
        ];
      }).flat(),
    );
    await storage.close();

    // One process claims 100 tasks and is killed with SIGKILL while it holds them.
    const hung = spawnTs(fixture, [path, String(t0), 'hang', '100']);
    const hungExit = waitForExit(hung);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      hung.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('done\n')) resolve();
      });
      hung.once('close', () => reject(new Error(`the claimant exited before it was killed:\n${out}`)));
    });
    hung.kill('SIGKILL');
    expect((await hungExit).signal).toBe('SIGKILL');
    const lost = out
      .split('\n')
      .filter((l) => l.startsWith('claimed '))
      .map((l) => l.split(' ')[1]!);
    expect(lost).toHaveLength(100);
    // Lowest priority first: the 100 claimed tasks are t0, t10, t20, … (priority 0 in enqueue order).
    expect(lost.slice(0, 3)).toEqual(['t0', 't10', 't20']);

    // Four processes, one after another, once the dead claimant's leases have run out.
    const processed = new Map<string, number>();
    const attempts = new Map<string, number>();
    for (let p = 0; p < 4; p++) {
      const result = await waitForExit(spawnTs(fixture, [path, String(t0 + 10_000), 'drain', '400']));
      expect(result.code, result.stderr).toBe(0);
      for (const line of result.stdout.split('\n').filter((l) => l.startsWith('acked '))) {
        const [, id, n] = line.split(' ');
        processed.set(id!, (processed.get(id!) ?? 0) + 1);
        attempts.set(id!, Number(n));
      }
    }
    expect(processed.size).toBe(M);
    expect([...processed.values()].every((n) => n === 1)).toBe(true);
    for (const id of lost) expect(attempts.get(id), id).toBe(2); // the killed delivery counts
    expect([...attempts.values()].filter((n) => n === 1)).toHaveLength(M - 100);

    storage = await LevelStorage.open(path);
    try {
      const queue = new PriorityQueue(storage, 'jobs', { mode: 'shared' });
      expect(await queue.stats()).toMatchObject({ pending: 0, delayed: 0, claimed: 0, completed: M });
      expect(await orderIndexMismatches(storage, 'jobs')).toEqual([]);
      expect(await storage.get(queueKeys.orderIndexMark('jobs'))).toBeDefined();
      expect(await indexKeys(storage)).toBe(0);
    } finally {
      await storage.close();
    }
  }, 120_000);
});
