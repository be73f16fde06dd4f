// WAIT and CANCEL (IpcClient.waitForCommit, IpcClient.watch) over a real Unix socket, against a
// real LevelDB folder: a client learns of other clients' commits when they land, not by polling.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LevelStorage, type Storage } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { IpcClient } from '../src/client.js';
import { IpcServer } from '../src/server.js';

let dir: ReturnType<typeof makeTempDir>;
let storage: Storage;
let server: IpcServer;
let socketPath: string;

beforeEach(async () => {
  dir = makeTempDir('sochdb-ipc-wait-');
  storage = await LevelStorage.open(join(dir.path, 'db'), { syncMode: 'off' });
  socketPath = join(dir.path, 'db', 'sochdb.sock');
  server = new IpcServer(storage, { socketPath });
  await server.listen();
});
afterEach(async () => {
  await server.close();
  await storage.close();
  dir.cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('IPC WAIT', () => {
  it("ends as soon as another client's commit writes a key in the range, and not for keys outside it", async () => {
    await using waiter = await IpcClient.connect(socketPath);
    await using writer = await IpcClient.connect(socketPath);
    const started = performance.now();
    const wait = waiter.waitForCommit({ gte: 'job:', lt: 'job;', timeoutMs: 10_000 });
    let done = false;
    void wait.then(() => (done = true));
    await writer.put('other', '1');
    await sleep(100);
    expect(done).toBe(false);
    const lsn = await writer.put('job:1', 'x');
    const result = await wait;
    expect(result).toEqual({ lsn, changed: true });
    // Well before the timeout: the commit ended it.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('does not hold up the connection: other requests of the same client are answered meanwhile', async () => {
    await using client = await IpcClient.connect(socketPath);
    const wait = client.waitForCommit({ gte: 'a', lt: 'b', timeoutMs: 10_000 });
    await client.put('z', '1');
    expect((await client.get('z'))?.toString()).toBe('1');
    await client.put('a1', '1');
    expect((await wait).changed).toBe(true);
  });

  it('reports a commit after afterLsn that landed before the request, at once; times out with changed false', async () => {
    await using client = await IpcClient.connect(socketPath);
    const before = await client.lsn();
    const lsn = await storage.put('k1', 'v');
    expect(await client.waitForCommit({ afterLsn: before, gte: 'k', lt: 'l', timeoutMs: 10_000 })).toEqual({ lsn, changed: true });
    const started = performance.now();
    expect(await client.waitForCommit({ afterLsn: lsn, gte: 'k', lt: 'l', timeoutMs: 150 })).toEqual({ lsn, changed: false });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('an aborted signal cancels the wait on the server; server close ends waits at once', async () => {
    await using client = await IpcClient.connect(socketPath);
    const controller = new AbortController();
    const wait = client.waitForCommit({ timeoutMs: 50_000, signal: controller.signal });
    await sleep(20);
    const started = performance.now();
    controller.abort();
    expect((await wait).changed).toBe(false);
    expect(performance.now() - started).toBeLessThan(1_000);

    const pending = client.waitForCommit({ timeoutMs: 50_000 });
    await sleep(20);
    const closing = performance.now();
    await server.close();
    expect((await pending).changed).toBe(false);
    expect(performance.now() - closing).toBeLessThan(2_000);
  });

  it('on a keyspace-confined server, watches only keys inside the keyspace, named without it', async () => {
    const confined = new IpcServer(storage, { socketPath: `${socketPath}.ks`, keyspace: Buffer.from('user/') });
    await confined.listen();
    try {
      await using tenant = await IpcClient.connect(`${socketPath}.ks`);
      const wait = tenant.waitForCommit({ timeoutMs: 10_000 });
      let done = false;
      void wait.then(() => (done = true));
      await storage.put('other/a', '1');
      await sleep(100);
      expect(done).toBe(false);
      await storage.put('user/a', '1');
      expect((await wait).changed).toBe(true);
    } finally {
      await confined.close();
    }
  });

  it('watch calls the listener once per commit in range until stopped; bad options are ValidationErrors', async () => {
    await using client = await IpcClient.connect(socketPath);
    let calls = 0;
    const stop = client.watch({ gte: 'w', lt: 'x' }, () => calls++);
    // The watch counts from when its request reaches the server: any later request of this
    // client is answered after that, so once it is, every commit from now on is reported.
    await client.ping();
    for (let i = 0; i < 3; i++) {
      await storage.put(`w${i}`, '1');
      for (let waited = 0; calls <= i && waited < 5_000; waited += 5) await sleep(5);
    }
    expect(calls).toBe(3);
    stop();
    await sleep(20);
    await storage.put('w9', '1');
    await sleep(100);
    expect(calls).toBe(3);
    expect(() => client.waitForCommit({ timeoutMs: -1 })).toThrow(expect.objectContaining({ name: 'ValidationError' }));
    expect(() => client.waitForCommit({ afterLsn: 1 as never })).toThrow(expect.objectContaining({ name: 'ValidationError' }));
    expect(() => client.watch({ gte: 'a' }, 'no' as never)).toThrow(expect.objectContaining({ name: 'ValidationError' }));
  });
});
