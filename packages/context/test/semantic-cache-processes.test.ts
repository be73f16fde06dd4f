// Two processes on one folder (concurrent mode): what one process's cache puts, replaces and
// deletes is what the other's open cache answers at its next call, and the uses (hits) of one
// count for the other's evictions. Only the collection's index is kept in memory, and it follows
// the commit feed; entries are read from storage at each lookup.
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConcurrentStorage } from '@sochdb/ipc';
import { makeTempDir, spawnTs } from '@sochdb/core/testing';
import { afterEach, expect, it } from 'vitest';
import { SemanticCache, type SemanticCacheOptions } from '../src/semantic-cache/index.js';

const DIM = 8;
const axis = (i: number): number[] => Array.from({ length: DIM }, (_, d) => (d === i ? 1 : 0));

/** A child process running cache calls sent to it (see semantic-cache-child.ts). */
function child(path: string, options: SemanticCacheOptions) {
  const proc = spawnTs(join(import.meta.dirname, 'semantic-cache-child.ts'), [path, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<{ result?: unknown; error?: { name: string; message: string }; ready?: boolean }> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`child exited: ${stderr}`);
    return JSON.parse(value);
  };
  const ready = next();
  return {
    async call(call: string, ...args: unknown[]): Promise<unknown> {
      await ready;
      proc.stdin!.write(`${JSON.stringify({ call, args })}\n`);
      const answer = await next();
      if (answer.error) throw new Error(`${call} failed in the child: ${answer.error.name}: ${answer.error.message}`);
      return answer.result;
    },
    async close(): Promise<void> {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.stdin!.end();
      await new Promise((resolve) => proc.once('close', resolve));
    },
  };
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

it("another process's puts, replacements, deletes and hits are followed by the open cache here", async () => {
  const dir = makeTempDir('sochdb-semcache-procs-');
  const path = join(dir.path, 'db');
  const options: SemanticCacheOptions = { namespace: 'app', name: 'answers', dimension: DIM, maxEntries: 3 };
  // This process opens first and owns the folder; the child reaches it through the owner's socket.
  const storage = await ConcurrentStorage.open(path, { syncMode: 'off', lockTimeoutMs: 15_000 });
  const mine = new SemanticCache(storage, options);
  const other = child(path, options);
  cleanup = async () => {
    await other.close();
    await mine.close();
    await storage.close();
    dir.cleanup();
  };

  // Both caches open (and load the index) before the other's writes, so what they learn later
  // comes from the commit feed, not from a fresh load.
  expect(await mine.size()).toBe(0);
  expect(await other.call('size')).toBe(0);

  await mine.put('a', { from: 'parent' }, axis(0));
  expect(await other.call('get', axis(0))).toMatchObject({ key: 'a', value: { from: 'parent' } });
  await other.call('put', 'b', ['from', 'child'], axis(1));
  expect(await mine.get(axis(1))).toMatchObject({ key: 'b', value: ['from', 'child'] });

  // A replacement by the child moves the vector: the old one no longer matches here.
  await other.call('put', 'a', 'replaced', axis(2));
  expect(await mine.get(axis(0))).toBeNull();
  expect(await mine.get(axis(2))).toMatchObject({ key: 'a', value: 'replaced' });
  expect(await other.call('delete', 'b')).toBe(true);
  expect(await mine.get(axis(1))).toBeNull();
  expect(await mine.getByKey('b')).toBeNull();
  expect(await mine.size()).toBe(1);

  // Puts from both processes at once: each put writes the entry count, so they conflict and
  // retry instead of each evicting against a count that misses the other's entries.
  await Promise.all([
    (async () => {
      for (let i = 0; i < 6; i++) await mine.put(`p${i}`, i, axis(i));
    })(),
    (async () => {
      for (let i = 0; i < 6; i++) await other.call('put', `c${i}`, i, axis(7 - i));
    })(),
  ]);
  expect(await mine.size()).toBe(3);
  expect(await other.call('size')).toBe(3);
  await mine.clear();
  expect(await other.call('size')).toBe(0);
  const evictedBefore = (await mine.stats()).evictions;
  await other.call('put', 'a', 'replaced', axis(2));

  // Eviction here honours the child's uses: a is the oldest entry, but the child hit it last.
  await sleep(5);
  await mine.put('b2', 'b2', axis(3));
  await sleep(5);
  await mine.put('c', 'c', axis(4));
  await sleep(5);
  expect(await mine.get(axis(3))).toMatchObject({ key: 'b2' });
  await sleep(5);
  expect(await other.call('get', axis(2))).toMatchObject({ key: 'a' });
  await other.call('close'); // writes the child's pending uses
  await sleep(5);
  await mine.put('d', 'd', axis(5)); // 4 entries > maxEntries 3: the least recently used (c) goes
  expect(await mine.getByKey('c')).toBeNull();
  expect(await mine.getByKey('a')).toMatchObject({ value: 'replaced' });
  expect(await mine.getByKey('b2')).toMatchObject({ value: 'b2' });
  expect(await mine.size()).toBe(3);
  expect(await mine.stats()).toMatchObject({ entries: 3, evictions: evictedBefore + 1 });
}, 60_000);
