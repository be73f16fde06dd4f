// Concurrent mode's storage: several real processes share one database folder through its owner.
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { LevelStorage } from '@sochdb/core';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';

const fixture = join(import.meta.dirname, 'fixtures', 'concurrent-increments.ts');
const parseDone = (stdout: string) => {
  const [, acked, ambiguous, conflicts, role] = /DONE (\d+) (\d+) (\d+) (\w+)/.exec(stdout)!;
  return { acked: Number(acked), ambiguous: Number(ambiguous), conflicts: Number(conflicts), role: role! };
};

describe('ConcurrentStorage across processes', () => {
  it('three processes incrementing one counter lose no update; conflicts are retried', async () => {
    const dir = makeTempDir('sochdb-concurrent-');
    try {
      const path = join(dir.path, 'db');
      const results = await Promise.all([0, 1, 2].map(() => waitForExit(spawnTs(fixture, [path, '60', 'exit', '2']))));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const done = results.map((r) => parseDone(r.stdout));
      expect(done.filter((d) => d.role === 'owner').length).toBeGreaterThanOrEqual(1);
      // An owner that finishes first closes its socket; a request in flight then is ambiguous
      // (ConnectionError: it may or may not have committed) and the others elect a new owner.
      const acked = done.reduce((s, d) => s + d.acked, 0);
      const ambiguous = done.reduce((s, d) => s + d.ambiguous, 0);
      expect(acked + ambiguous).toBe(180);
      expect(ambiguous).toBeLessThanOrEqual(4);
      // Overlapping read-modify-writes in different processes conflicted, and each conflict was a
      // TransactionConflictError that the process retried.
      expect(done.reduce((s, d) => s + d.conflicts, 0)).toBeGreaterThan(0);
      const storage = await LevelStorage.open(path);
      const counter = Number((await storage.get('counter'))!.toString());
      await storage.close();
      expect(counter).toBeGreaterThanOrEqual(acked);
      expect(counter).toBeLessThanOrEqual(180);
    } finally {
      dir.cleanup();
    }
  });

  it('a tight loop in the owner does not starve the other processes: retried transactions commit first', async () => {
    // The owner's transactions are local and fast; a client's take round trips. Under first
    // committer wins alone, every client transaction on the owner's hot key lost (0 commits);
    // retried ones now go first, so each process gets its share and no update is lost.
    const dir = makeTempDir('sochdb-fair-');
    try {
      const path = join(dir.path, 'db');
      const contend = join(import.meta.dirname, 'fixtures', 'contend.ts');
      const startAt = String(Date.now() + 4000);
      const owner = spawnTs(contend, [path, startAt, '3000']);
      const [first] = (await once(createInterface({ input: owner.stdout! }), 'line')) as [string];
      expect(first).toBe('READY owner');
      const ownerExit = waitForExit(owner);
      const clients = await Promise.all([0, 1].map(() => waitForExit(spawnTs(contend, [path, startAt, '3000']))));
      const ownerResult = await ownerExit;
      const committed = (stdout: string) => Number(/DONE (\d+)/.exec(stdout)![1]);
      for (const r of [...clients, ownerResult]) expect(r.code, r.stderr).toBe(0);
      const mine = committed(ownerResult.stdout);
      const theirs = clients.map((c) => committed(c.stdout));
      // Starved, a client got 0 or 1 commits; with its turn, dozens even on an overloaded machine.
      for (const n of theirs) expect(n, `owner ${mine}, clients ${theirs.join(', ')}`).toBeGreaterThanOrEqual(Math.max(5, Math.floor(mine / 100)));
      expect(Number(/COUNTER (\d+)/.exec(ownerResult.stdout)![1])).toBe(mine + theirs[0]! + theirs[1]!);
    } finally {
      dir.cleanup();
    }
  });

  it('when the owner is killed -9, another process takes over and no acknowledged increment is lost', async () => {
    const dir = makeTempDir('sochdb-handover-');
    try {
      const path = join(dir.path, 'db');
      // The owner: increments a little, then holds the folder until it is killed.
      const owner = spawnTs(fixture, [path, '20', 'hold']);
      const ownerLines = createInterface({ input: owner.stdout! });
      let ownerAcked = 0;
      for await (const line of ownerLines) {
        if (line.startsWith('READY')) expect(line).toBe('READY owner');
        if (line.startsWith('DONE')) {
          ownerAcked = parseDone(line).acked;
          break;
        }
      }
      const clients = [0, 1].map(() => spawnTs(fixture, [path, '150']));
      const clientResults = clients.map((c) => waitForExit(c));
      await new Promise((r) => setTimeout(r, 400));
      owner.kill('SIGKILL');
      await once(owner, 'exit');
      const results = await Promise.all(clientResults);
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const done = results.map((r) => parseDone(r.stdout));
      expect(done.some((d) => d.role === 'owner')).toBe(true); // a client became the owner
      const acked = ownerAcked + done.reduce((s, d) => s + d.acked, 0);
      const ambiguous = done.reduce((s, d) => s + d.ambiguous, 0);
      const storage = await LevelStorage.open(path);
      const counter = Number((await storage.get('counter'))!.toString());
      await storage.close();
      expect(counter).toBeGreaterThanOrEqual(acked);
      expect(counter).toBeLessThanOrEqual(acked + ambiguous);
    } finally {
      dir.cleanup();
    }
  });
});
