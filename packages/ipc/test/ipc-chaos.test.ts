// 50 clients of a real IPC server on a real Unix socket die at random moments of their
// transactions: SDK clients in child processes killed with SIGKILL, and raw sockets destroyed in
// chosen states (BEGIN queued behind writes, mid-writes, before commit, commit in flight). After
// the storm the server holds no transaction, and every transaction it began can be collected.
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { LevelStorage, type Transaction } from '@sochdb/core';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';
import { IpcClient } from '../src/client.js';
import { encodeFrame, FrameReader, Op, PayloadReader, PayloadWriter, type Frame } from '../src/protocol.js';
import { IpcServer } from '../src/server.js';

const CHILD_PROCESSES = 4;
const CLIENTS_PER_CHILD = 5;
const RAW_CLIENTS = 30;

// Each child runs SDK clients that loop over: pipelined puts with a BEGIN queued behind them,
// transactional writes, a pause, a commit — until it is killed, mid-whatever.
const CHILD_SOURCE = `
const [socketPath, clientModule, count] = process.argv.slice(2);
const { IpcClient } = await import(clientModule);
const clients = await Promise.all(Array.from({ length: Number(count) }, () => IpcClient.connect(socketPath)));
const value = 'v'.repeat(200);
async function work(client, c) {
  for (let round = 0; ; round++) {
    const key = (i) => 'child/' + process.pid + '/' + c + '/' + round + '/' + i;
    const replies = await Promise.all([...Array.from({ length: 20 }, (_, i) => client.put(key(i), value)), client.beginTransaction()]);
    const txn = replies[replies.length - 1];
    await Promise.all(Array.from({ length: 10 }, (_, i) => txn.put('txn/' + key(i), value)));
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
    await txn.commit();
  }
}
process.stdout.write('READY\\n');
await Promise.all(clients.map(work));
`;

/** Frames to the server by id; `destroy()` hangs up without a goodbye, like a killed process. */
class RawClient {
  readonly #socket: Socket;
  readonly #reader = new FrameReader();
  readonly #waiting = new Map<number, (frame: Frame) => void>();
  #nextId = 1;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.#reader.push(chunk)) this.#waiting.get(frame.requestId)?.(frame);
    });
    socket.on('error', () => undefined);
  }

  static async connect(path: string): Promise<RawClient> {
    const socket = createConnection(path);
    await once(socket, 'connect');
    return new RawClient(socket);
  }

  /** Sends requests in one write; resolves with their replies (never, if the client hangs up first). */
  send(...requests: [op: number, payload?: Buffer][]): Promise<Frame>[] {
    const frames: Buffer[] = [];
    const replies = requests.map(([op, payload]) => {
      const id = this.#nextId++;
      frames.push(encodeFrame(id, op, payload));
      return new Promise<Frame>((resolve) => this.#waiting.set(id, resolve));
    });
    this.#socket.write(Buffer.concat(frames));
    return replies;
  }

  /** Resolves once everything sent so far has reached the kernel, so the server will read it. */
  flushed(): Promise<void> {
    return new Promise((resolve) => this.#socket.write(Buffer.alloc(0), () => resolve()));
  }

  destroy(): void {
    this.#socket.destroy();
  }
}

const put = (key: string) => [Op.PUT, new PayloadWriter().bytes(Buffer.from(key)).bytes(Buffer.alloc(200, 7)).finish()] as [number, Buffer];
const txnPut = (txn: number, key: string) =>
  [Op.TXN_PUT, new PayloadWriter().u32(txn).bytes(Buffer.from(key)).bytes(Buffer.alloc(200, 8)).finish()] as [number, Buffer];
const txnIdOf = (frame: Frame) => new PayloadReader(frame.payload).u32();

/** One raw client that dies in the state its number picks, after a random short delay. */
async function rawVictim(socketPath: string, n: number): Promise<void> {
  const client = await RawClient.connect(socketPath);
  const jitter = () => sleep(Math.random() * 15);
  const keys = (tag: string, count: number) => Array.from({ length: count }, (_, i) => `raw/${n}/${tag}/${i}`);
  switch (n % 5) {
    case 0: // BEGIN queued behind its writes
      // Replies not awaited (here and below): the victim hangs up with them in flight; they never reject.
      void client.send(...keys('w', 50).map(put), [Op.BEGIN]);
      await client.flushed();
      break;
    case 1: {
      // mid-writes of a transaction
      const [begin] = client.send([Op.BEGIN]);
      const txn = txnIdOf(await begin!);
      void client.send(...keys('t', 30).map((k) => txnPut(txn, k)));
      await jitter();
      break;
    }
    case 2: {
      // writes done, before COMMIT
      const [begin] = client.send([Op.BEGIN]);
      const txn = txnIdOf(await begin!);
      await Promise.all(client.send(...keys('t', 10).map((k) => txnPut(txn, k))));
      await jitter();
      break;
    }
    case 3: {
      // COMMIT in flight
      const [begin] = client.send([Op.BEGIN]);
      const txn = txnIdOf(await begin!);
      await Promise.all(client.send(...keys('t', 10).map((k) => txnPut(txn, k))));
      void client.send([Op.COMMIT, new PayloadWriter().u32(txn).finish()]);
      await client.flushed();
      break;
    }
    default: {
      // several open, one more queued behind a batch
      await Promise.all(client.send([Op.BEGIN], [Op.BEGIN], [Op.BEGIN]));
      const batch = new PayloadWriter().u32(50);
      for (const k of keys('b', 50)) batch.u8(1).bytes(Buffer.from(k)).bytes(Buffer.alloc(100));
      void client.send([Op.BATCH, batch.finish()], [Op.BEGIN]);
      await jitter();
    }
  }
  client.destroy();
}

/**
 * A full garbage collection. Without `--expose-gc` the flag is turned on now and `gc` taken from
 * a fresh context, as Jest's leak detector does; that is reliable in Node 20.
 */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc ?? (setFlagsFromString('--expose-gc'), runInNewContext('gc') as () => void);
  gc();
}

it('50 clients killed mid-transaction leave no transaction, and nothing of theirs, on the server', async () => {
  const dir = makeTempDir('sochdb-ipc-chaos-');
  const storage = await LevelStorage.open(join(dir.path, 'db'), { syncMode: 'off' });
  // Every transaction the server begins is watched: once the storm is over, each must be garbage.
  const begun: WeakRef<Transaction>[] = [];
  const begin = storage.beginTransaction.bind(storage);
  storage.beginTransaction = (options) => {
    const txn = begin(options);
    begun.push(new WeakRef(txn));
    return txn;
  };
  const socketPath = join(dir.path, 'sochdb.sock');
  const server = new IpcServer(storage, { socketPath });
  await server.listen();
  const childFile = join(dir.path, 'client.mts');
  writeFileSync(childFile, CHILD_SOURCE);
  const clientModule = join(import.meta.dirname, '..', 'src', 'client.ts');
  const children = Array.from({ length: CHILD_PROCESSES }, () => spawnTs(childFile, [socketPath, clientModule, String(CLIENTS_PER_CHILD)]));
  try {
    const killed = children.map(async (child) => {
      const exited = waitForExit(child);
      for await (const line of createInterface({ input: child.stdout! })) if (line === 'READY') break;
      await sleep(100 + Math.random() * 400); // work under way: puts, BEGINs, txn writes, commits
      child.kill('SIGKILL');
      return exited;
    });
    // The raw clients die while the children work (and after: the children start slowly).
    const raw = (async () => {
      for (let wave = 0; wave < RAW_CLIENTS; wave += 10) {
        await Promise.all(Array.from({ length: 10 }, (_, i) => rawVictim(socketPath, wave + i)));
        await sleep(100);
      }
    })();
    const exits = await Promise.all(killed);
    await raw;
    expect(exits.map((e) => e.signal)).toEqual(children.map(() => 'SIGKILL')); // killed, not crashed
    expect(server.metrics().connectionsTotal).toBe(CHILD_PROCESSES * CLIENTS_PER_CHILD + RAW_CLIENTS);

    // Quiet: every connection gone and no request completing for a while (a leaked transaction
    // would be registered by a request running after its connection closed).
    let handled = -1;
    for (;;) {
      const now = server.metrics().requestsSuccess + server.metrics().requestsError;
      if (server.connectionCount === 0 && now === handled) break;
      handled = now;
      await sleep(300);
    }
    expect(storage.stats().activeTransactions).toBe(0);
    expect(begun.length).toBeGreaterThan(CHILD_PROCESSES * CLIENTS_PER_CHILD);

    // Memory: the transactions are not merely ended but unreachable (no registry, timer or
    // closure keeps them, nor their snapshots). This is exact and independent of heap noise on a
    // loaded machine, unlike comparing RSS or heap sizes.
    const alive = () => begun.filter((ref) => ref.deref() !== undefined).length;
    for (let i = 0; i < 3 && alive() > 0; i++) {
      await sleep(0); // deref() keeps its target alive until the current job ends: gc in the next
      collectGarbage();
    }
    await sleep(0);
    expect(alive()).toBe(0);

    // The server still serves, transactions included.
    await using client = await IpcClient.connect(socketPath);
    const txn = await client.beginTransaction();
    await txn.put('after', 'storm');
    await txn.commit();
    expect((await client.get('after'))?.toString()).toBe('storm');
  } finally {
    for (const child of children) child.kill('SIGKILL');
    await server.close();
    await storage.close();
    dir.cleanup();
  }
});
