// Durability and locking against real LevelDB folders and real child processes killed with -9.
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseError, DatabaseLockedError, LevelStorage, type SyncMode } from '@sochdb/core';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

/** Runs the commit loop child, kills it -9 after `acksBeforeKill` acknowledgements, returns what it acked. */
async function crashRun(dir: string, syncMode: SyncMode, acksBeforeKill: number, trackKeyCount = false) {
  const child = spawnTs(fixture('commit-loop.ts'), [dir, syncMode, String(trackKeyCount)]);
  const acked: { id: string; lsn: bigint }[] = [];
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit');
  for await (const line of lines) {
    const [tag, id, lsn] = line.split(' ');
    if (tag !== 'ACK') continue;
    acked.push({ id: id!, lsn: BigInt(lsn!) });
    if (acked.length >= acksBeforeKill) {
      child.kill('SIGKILL');
      break;
    }
  }
  await exited;
  return acked;
}

describe('crash safety (kill -9 at a random moment)', () => {
  // 24 runs over the three sync modes; each asserts every acknowledged commit survived and no
  // transaction is half-applied. Two runs at a time keep the suite quick on 2 cores.
  // The key count is kept by the writer (tracked) or not, and counted on reopen by either mode:
  // the four combinations alternate over the runs.
  const runs = Array.from({ length: 24 }, (_, i) => ({
    run: i,
    syncMode: (['full', 'normal', 'off'] as const)[i % 3]!,
    written: i % 2 === 0,
    reopened: i % 4 < 2,
  }));
  it.concurrent.each(runs)(
    'run $run ($syncMode, key count tracked by writer: $written, on reopen: $reopened): acknowledged commits survive, none half-applied',
    async ({ syncMode, written, reopened }) => {
      // Concurrent tests: each removes only its own folder, in its own finally (a shared afterEach,
      // or the global onTestFinished, would delete a folder another run's child is still writing).
      const dir = makeTempDir();
      const path = join(dir.path, 'db');
      const acked = await crashRun(path, syncMode, 1 + Math.floor(Math.random() * 300), written);
      expect(acked.length).toBeGreaterThan(0);

      const storage = await LevelStorage.open(path, { trackKeyCount: reopened });
      try {
        // Every acknowledged transaction is there in full.
        for (const { id } of acked) {
          const values = await storage.getMany([`t/${id}/a`, `t/${id}/b`, `t/${id}/c`]);
          expect(
            values.map((v) => v?.toString()),
            id,
          ).toEqual([id, id, id.repeat(50)]);
        }
        // Whatever else made it (commits in flight at the kill) is whole, never partial.
        const groups = new Map<string, number>();
        for await (const [key] of storage.iterator({ gte: 't/', lt: 't0' })) {
          const id = key.toString().split('/')[1]!;
          groups.set(id, (groups.get(id) ?? 0) + 1);
        }
        for (const [id, parts] of groups) expect(parts, id).toBe(3);
        // The LSN is persisted and never goes backwards; key count is exact.
        const maxAcked = acked.reduce((m, a) => (a.lsn > m ? a.lsn : m), 0n);
        expect(storage.lsn).toBeGreaterThanOrEqual(maxAcked);
        let keys = 0;
        for await (const _ of storage.iterator()) keys++;
        if (reopened) expect(storage.stats()).toMatchObject({ keysCount: keys, keysCountLsn: storage.lsn });
        expect(await storage.currentStats()).toMatchObject({ keysCount: keys, keysCountLsn: storage.lsn });
      } finally {
        await storage.close();
        dir.cleanup();
      }
    },
  );
});

describe('locking', () => {
  it('a second process opening a held folder gets DatabaseLockedError (10001)', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const path = join(dir.path, 'db');
    const storage = await LevelStorage.open(path);
    try {
      const result = await waitForExit(spawnTs(fixture('open-and-hold.ts'), [path]));
      expect(result.stdout.trim()).toBe('ERROR 10001 DatabaseLockedError');
      await expect(LevelStorage.open(path)).rejects.toBeInstanceOf(DatabaseLockedError);
    } finally {
      await storage.close();
    }
  });

  it('the lock is released when the holder is killed -9', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const path = join(dir.path, 'db');
    const child = spawnTs(fixture('open-and-hold.ts'), [path]);
    const lines = createInterface({ input: child.stdout! });
    for await (const line of lines) if (line === 'OPENED') break;
    await expect(LevelStorage.open(path)).rejects.toMatchObject({ code: 10001 });
    child.kill('SIGKILL');
    await once(child, 'exit');
    const storage = await LevelStorage.open(path);
    await storage.close();
  });

  it('createIfMissing: false on a missing folder is a clear DatabaseError', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    await expect(LevelStorage.open(join(dir.path, 'nope'), { createIfMissing: false })).rejects.toThrow(
      expect.objectContaining({ code: 9003, message: expect.stringMatching(/no database at .*nope/) }),
    );
    expect(DatabaseError).toBeDefined();
  });
});
