// The IPC server's limits, each over a real Unix socket against a real LevelDB folder: nothing a
// connection acquires outlives it, transactions are capped and expire when idle, a frame must
// arrive whole within a deadline, and the client refuses to send a frame the server would refuse.
import { once } from 'node:events';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError, LevelStorage, TransactionError, ValidationError, type Storage } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { IpcClient } from '../src/client.js';
import { encodeFrame, FrameReader, Op, PayloadWriter, Status, type Frame } from '../src/protocol.js';
import { IpcServer, type IpcServerOptions } from '../src/server.js';

interface Running {
  readonly server: IpcServer;
  readonly storage: Storage;
  readonly socketPath: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: Omit<IpcServerOptions, 'socketPath'> = {}): Promise<Running> {
  const dir = makeTempDir('sochdb-ipc-limits-');
  const storage = await LevelStorage.open(join(dir.path, 'db'), { syncMode: 'off' });
  const socketPath = join(dir.path, 'sochdb.sock');
  const server = new IpcServer(storage, { socketPath, ...options });
  await server.listen();
  cleanups.push(async () => {
    await server.close();
    await storage.close();
    dir.cleanup();
  });
  return { server, storage, socketPath };
}

/** A raw socket that collects every frame the server sends, and whether it has closed. */
async function rawClient(socketPath: string): Promise<{ socket: Socket; frames: Frame[]; closed: Promise<void> }> {
  const socket = createConnection(socketPath);
  const reader = new FrameReader();
  const frames: Frame[] = [];
  socket.on('data', (chunk: Buffer) => frames.push(...reader.push(chunk)));
  socket.on('error', () => undefined);
  const closed = once(socket, 'close').then(() => undefined);
  await once(socket, 'connect');
  return { socket, frames, closed };
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const handled = (server: IpcServer) => server.metrics().requestsSuccess + server.metrics().requestsError;
const errorOf = (frame: Frame | undefined) => JSON.parse(frame!.payload.toString('utf8')) as { code: number; name: string; message: string };

describe('transactions never outlive their connection', () => {
  it('a BEGIN still queued behind writes when the client disconnects leaves no transaction open', async () => {
    const { server, storage, socketPath } = await start();
    const clients = 10;
    const writes = 100;
    for (let c = 0; c < clients; c++) {
      const { socket } = await rawClient(socketPath);
      const frames = Array.from({ length: writes }, (_, i) =>
        encodeFrame(
          i + 1,
          Op.PUT,
          new PayloadWriter()
            .bytes(Buffer.from(`c${c}/${i}`))
            .bytes(Buffer.alloc(200, c))
            .finish(),
        ),
      );
      frames.push(encodeFrame(writes + 1, Op.BEGIN));
      // Hang up as soon as the bytes are in the kernel: the server reads them, then the close.
      await new Promise<void>((resolve) => socket.write(Buffer.concat(frames), () => resolve()));
      socket.destroy();
    }
    // Every request was received and run (the BEGINs last, after their connections closed).
    await until(() => handled(server) >= clients * (writes + 1) && server.connectionCount === 0, 'the server to run every request');
    expect(storage.stats().activeTransactions).toBe(0);
    // The plain writes a client sent before hanging up were applied, as before.
    expect((await storage.currentStats()).keysCount).toBe(clients * writes);
  });

  it('caps the open transactions of one connection; others are unaffected', async () => {
    const { socketPath } = await start({ maxTransactionsPerConnection: 3 });
    await using a = await IpcClient.connect(socketPath);
    await using b = await IpcClient.connect(socketPath);
    const open = await Promise.all([1, 2, 3].map(() => a.beginTransaction()));
    const refused = await a.beginTransaction().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TransactionError);
    expect((refused as TransactionError).message).toMatch(/too many open transactions on this connection \(limit 3\)/);
    await using other = await b.beginTransaction();
    await other.put('b', '1');
    await open[0]!.put('a', '1');
    await open[0]!.commit();
    await open[1]!.abort();
    const more = await Promise.all([a.beginTransaction(), a.beginTransaction()]);
    await expect(a.beginTransaction()).rejects.toBeInstanceOf(TransactionError);
    await Promise.all([open[2]!, ...more].map((t) => t.abort()));
    expect(await a.ping()).toBeGreaterThanOrEqual(0); // the refusal did not hurt the connection
  });

  it('aborts a transaction with no request for the idle timeout; later use says so; busy ones live on', async () => {
    const { storage, socketPath } = await start({
      transactionIdleTimeoutMs: 500,
      idleTimeoutMs: 0,
      // A slow SQL statement on a transaction: the transaction is in use, not idle, while it runs.
      handlers: { sql: async (sql, _params, txn) => (await sleep(Number(sql)), { txn: txn?.id ?? null }) },
    });
    await using client = await IpcClient.connect(socketPath);
    const idle = await client.beginTransaction();
    const busy = await client.beginTransaction();
    const slow = await client.beginTransaction();
    await idle.put('idle', 'x');
    const running = slow.execute('800');
    // Requests of a connection run in order: this one waits 800 ms behind the SQL, and its
    // transaction counts as in use from its arrival, not as idle.
    const queued = busy.put('queued', 'x');
    expect(await running).toEqual({ txn: slow.id });
    await queued;
    await slow.put('slow', 'x');
    await slow.commit();
    for (let i = 0; i < 4; i++) {
      await sleep(100);
      await busy.put(`busy${i}`, 'x'); // a request every 100 ms keeps it open
    }
    // `idle` has had no request for about 1,200 ms.
    const error = await idle.get('idle').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransactionError);
    expect((error as TransactionError).message).toMatch(new RegExp(`transaction ${idle.id} was aborted: no request for 500 ms`));
    await expect(idle.commit()).rejects.toBeInstanceOf(TransactionError);
    await idle.abort(); // idempotent, as for any ended transaction
    await busy.commit();
    expect(storage.stats().activeTransactions).toBe(0);
    expect(await storage.get('idle')).toBeUndefined();
    expect((await storage.get('slow'))?.toString()).toBe('x');
    expect((await storage.get('busy3'))?.toString()).toBe('x');
  });
});

describe('frame deadline', () => {
  it('closes a connection that drips a frame slower than the deadline, freeing its slot', async () => {
    const { server, socketPath } = await start({ maxClients: 3, frameTimeoutMs: 400, idleTimeoutMs: 5000 });
    const drippers = await Promise.all([1, 2, 3].map(() => rawClient(socketPath)));
    // A PING frame claiming 100 bytes of payload, one byte every 100 ms: the idle timer alone
    // (reset by every byte) would keep these connections forever.
    const frame = encodeFrame(1, Op.PING, Buffer.alloc(100));
    let sent = 0;
    const drip = setInterval(() => {
      for (const { socket } of drippers) if (!socket.destroyed) socket.write(frame.subarray(sent, sent + 1));
      sent++;
    }, 100);
    try {
      const started = Date.now();
      await Promise.all(drippers.map((d) => d.closed));
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      clearInterval(drip);
    }
    for (const { frames } of drippers) {
      expect(frames[0]?.requestId).toBe(0);
      expect(frames[0]?.tag).toBe(Status.ERROR);
      expect(errorOf(frames[0])).toMatchObject({ name: 'ConnectionError', message: expect.stringMatching(/within 400 ms/) });
    }
    await until(() => server.connectionCount === 0, 'the slots to be freed');
    await using client = await IpcClient.connect(socketPath);
    expect(await client.ping()).toBeGreaterThanOrEqual(0);
  });

  it('the deadline is per frame: frames split across writes, and a stream of whole frames, are served', async () => {
    const { socketPath } = await start({ frameTimeoutMs: 300, idleTimeoutMs: 5000 });
    const { socket, frames } = await rawClient(socketPath);
    const ping = (id: number) => encodeFrame(id, Op.PING);
    // Each write completes one frame and starts the next: 8 × 100 ms is far past one deadline.
    socket.write(ping(1).subarray(0, 4));
    for (let id = 1; id <= 8; id++) {
      await sleep(100);
      socket.write(Buffer.concat([ping(id).subarray(4), ping(id + 1).subarray(0, 4)]));
    }
    await sleep(100);
    socket.write(ping(9).subarray(4));
    await until(() => frames.length === 9, 'nine replies');
    expect(frames.map((f) => [f.requestId, f.tag])).toEqual(Array.from({ length: 9 }, (_, i) => [i + 1, Status.OK]));
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });

  it('still closes a connection idle with no frame in progress', async () => {
    const { socketPath } = await start({ frameTimeoutMs: 5000, idleTimeoutMs: 300 });
    const { closed } = await rawClient(socketPath);
    const started = Date.now();
    await closed;
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

it('refuses limits that are not non-negative integers (a huge timer delay would fire at once)', async () => {
  const { storage } = await start();
  for (const bad of [{ frameTimeoutMs: -1 }, { maxTransactionsPerConnection: 1.5 }, { transactionIdleTimeoutMs: 2 ** 31 }, { idleTimeoutMs: Infinity }]) {
    expect(() => new IpcServer(storage, { socketPath: 'unused.sock', ...bad })).toThrow(ValidationError);
  }
});

describe('IpcClient frame limit', () => {
  it('refuses a request larger than maxFrameBytes with a ValidationError; the connection and its transactions stay usable', async () => {
    const limit = 64 * 1024;
    const { socketPath } = await start({ maxFrameBytes: limit });
    await using client = await IpcClient.connect(socketPath, { maxFrameBytes: limit });
    const txn = await client.beginTransaction();
    // PUT frame: 9 header bytes + (4 + key) + (4 + value).
    const fits = Buffer.alloc(limit - 9 - 4 - 1 - 4, 1);
    const tooBig = Buffer.alloc(fits.byteLength + 1, 1);
    const error = await client.put('k', tooBig).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(new RegExp(`${limit + 1} bytes.*limit of ${limit} bytes`));
    await expect(txn.put('k', tooBig)).rejects.toBeInstanceOf(ValidationError);
    expect(client.connected).toBe(true);
    expect(await client.put('k', fits)).toBeGreaterThan(0n); // exactly the limit is allowed
    await txn.put('t', 'x');
    await txn.commit();
    expect((await client.get('t'))?.toString()).toBe('x');
    expect((await client.get('k'))?.byteLength).toBe(fits.byteLength);
  });

  it('a refused request is not a ConnectionError (the call fails, not the client)', async () => {
    const { socketPath } = await start();
    await using client = await IpcClient.connect(socketPath);
    await expect(client.put('big', Buffer.alloc(17 * 1024 * 1024))).rejects.not.toBeInstanceOf(ConnectionError);
    expect(await client.ping()).toBeGreaterThanOrEqual(0);
  });
});
