// PostgreSQL restarted under load: calls in the gap fail with typed errors (never another
// exception, never a hang), and the same storage works again once the server is back.
import { ConnectionError, SochDBError } from '@sochdb/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PostgresStorage } from '../src/index.js';
import { startTestServer, type TestServer } from '../src/testing/index.js';

// A server of its own: the project's shared one serves the other files while this one restarts.
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(() => server?.stop());

it('a restart under load: typed errors in the gap, then every call works again', async () => {
  const storage = await PostgresStorage.open(server.url, { schema: 'faults', connectTimeoutMs: 1_000 });
  try {
    let stop = false;
    const failures: unknown[] = [];
    let done = 0;
    // Writers and readers keep going through the restart.
    const load = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        try {
          if (i % 3 === 0) await storage.transaction(async (txn) => txn.put(`t/${w}`, String(i)), { retries: 3 });
          else if (i % 3 === 1) await storage.put(`k/${w}/${i % 10}`, String(i));
          else await storage.get(`k/${w}/${i % 10}`);
          done++;
        } catch (error) {
          failures.push(error);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = done;
    await server.restart();
    await new Promise((resolve) => setTimeout(resolve, 500));
    stop = true;
    await Promise.all(load);
    expect(before).toBeGreaterThan(0);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(SochDBError);
      expect((failure as SochDBError).code, String(failure)).toBe(1001);
    }
    // A commit cut off in flight says it may or may not have applied.
    expect(failures.some((f) => f instanceof ConnectionError)).toBe(true);
    // Back: every kind of call works on the same storage object.
    await storage.put('after', 'restart');
    expect((await storage.get('after'))?.toString()).toBe('restart');
    await storage.transaction(async (txn) => txn.put('after-txn', 'ok'));
    const keys: string[] = [];
    for await (const [key] of storage.iterator({ gte: 'after', lt: 'afteru' })) keys.push(key.toString());
    expect(keys).toEqual(['after', 'after-txn']);
    expect((await storage.changesAfter((await storage.latestLsn()) - 1n)).commits).toHaveLength(1);
  } finally {
    await storage.close();
  }
}, 60_000);
