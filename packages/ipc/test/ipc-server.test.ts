// The IPC server and client over a real Unix socket, against a real LevelDB folder.
import { statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionError, LevelStorage, ProtocolError, TransactionConflictError, type Storage } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';
import { IpcClient } from '../src/client.js';
import { encodeFrame, FrameReader, Op, Status } from '../src/protocol.js';
import { IpcServer } from '../src/server.js';

let dir: ReturnType<typeof makeTempDir>;
let storage: Storage;
let server: IpcServer;
let socketPath: string;

beforeEach(async () => {
  dir = makeTempDir('sochdb-ipc-');
  storage = await LevelStorage.open(join(dir.path, 'db'), { syncMode: 'off' });
  socketPath = join(dir.path, 'db', 'sochdb.sock');
  server = new IpcServer(storage, {
    socketPath,
    maxClients: 3,
    idleTimeoutMs: 2000,
    maxFrameBytes: 64 * 1024,
    handlers: { sql: async (sql) => ({ echoed: sql }) },
  });
  await server.listen();
});
afterEach(async () => {
  await server.close();
  await storage.close();
  dir.cleanup();
});

/** Sends raw bytes and collects what the server answers until it closes or `ms` pass. */
function rawExchange(bytes: Buffer, ms = 300): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = createConnection(socketPath);
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('connect', () => socket.write(bytes));
    const done = () => resolve(Buffer.concat(chunks));
    socket.on('close', done);
    setTimeout(() => {
      socket.destroy();
      done();
    }, ms);
  });
}

describe('IPC server', () => {
  it('creates the socket private (0600)', () => {
    expect(statSync(socketPath).mode & 0o777).toBe(0o600);
  });

  it('puts, gets, deletes and scans; a missing key is null, an empty value is empty', async () => {
    await using client = await IpcClient.connect(socketPath);
    expect(await client.ping()).toBeGreaterThanOrEqual(0);
    const lsn = await client.put('user:1', 'alice');
    expect(lsn).toBeGreaterThan(0n);
    await client.put('user:2', '');
    expect((await client.get('user:1'))?.toString()).toBe('alice');
    expect(await client.get('user:2')).toEqual(Buffer.alloc(0));
    expect(await client.get('user:3')).toBeNull();
    await client.delete('user:1');
    expect(await client.get('user:1')).toBeNull();
    await client.batch(Array.from({ length: 2500 }, (_, i) => ({ type: 'put' as const, key: `s/${String(i).padStart(5, '0')}`, value: String(i) })));
    const keys: string[] = [];
    for await (const [k] of client.scan('s/')) keys.push(k.toString());
    expect(keys).toHaveLength(2500); // paged over several replies
    expect(keys[2499]).toBe('s/02499');
    const limited: string[] = [];
    for await (const [k] of client.scan({ gte: 's/', lt: 's0', reverse: true, limit: 3 })) limited.push(k.toString());
    expect(limited).toEqual(['s/02499', 's/02498', 's/02497']);
    expect(await client.executeSql('SELECT 1')).toEqual({ echoed: 'SELECT 1' });
    expect(await client.checkpoint()).toBe(await client.lsn());
    const stats = await client.stats();
    expect(stats.keysCount).toBe(2501);
    expect(stats).toMatchObject({ connectionsActive: 1, connectionsTotal: 1, requestsError: 0, uptimeSecs: expect.any(Number) });
    expect(stats.requestsSuccess).toBeGreaterThan(5);
    expect(stats.bytesReceived).toBeGreaterThan(2500 * 10);
    expect(stats.bytesSent).toBeGreaterThan(2500 * 10);
  });

  it('pipelines requests and answers each by id', async () => {
    await using client = await IpcClient.connect(socketPath);
    const lsns = await Promise.all(Array.from({ length: 200 }, (_, i) => client.put(`p${i}`, String(i))));
    expect(new Set(lsns).size).toBe(200);
    const values = await Promise.all(Array.from({ length: 200 }, (_, i) => client.get(`p${i}`)));
    expect(values.map((v) => v?.toString())).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
  });

  it('transactions are atomic and isolated; conflicts surface as TransactionConflictError', async () => {
    await using a = await IpcClient.connect(socketPath);
    await using b = await IpcClient.connect(socketPath);
    await a.put('balance', '10');
    const t1 = await a.beginTransaction();
    const t2 = await b.beginTransaction();
    expect((await t1.get('balance'))?.toString()).toBe('10');
    await t1.put('balance', '5');
    await t1.put('log', 'spent 5');
    expect(await b.get('log')).toBeNull(); // not visible before commit
    await t2.put('balance', '20');
    await t1.commit();
    await expect(t2.commit()).rejects.toBeInstanceOf(TransactionConflictError);
    expect((await b.get('balance'))?.toString()).toBe('5');
    const t3 = await b.beginTransaction();
    await t3.put('ghost', 'x');
    await t3.abort();
    expect(await a.get('ghost')).toBeNull();
  });

  it('a transaction writes a batch and reads many keys in one request each; the batch lands at commit, all or nothing', async () => {
    await using a = await IpcClient.connect(socketPath);
    await a.put('kept', 'old');
    await a.put('gone', 'x');
    const t = await a.beginTransaction();
    await t.batch([
      { type: 'put', key: 'kept', value: 'new' },
      { type: 'del', key: 'gone' },
      { type: 'put', key: Buffer.from([0, 255]), value: Buffer.alloc(0) },
    ]);
    // The transaction sees its own writes; nobody else does yet.
    expect((await t.getMany(['kept', 'gone', Buffer.from([0, 255]), 'absent'])).map((v) => v?.toString('hex') ?? null)).toEqual([
      Buffer.from('new').toString('hex'),
      null,
      '',
      null,
    ]);
    expect((await a.get('kept'))?.toString()).toBe('old');
    expect(await t.getMany([])).toEqual([]);
    await t.commit();
    expect((await a.get('kept'))?.toString()).toBe('new');
    expect(await a.get('gone')).toBeNull();
    const aborted = await a.beginTransaction();
    await aborted.batch([{ type: 'put', key: 'ghost', value: 'x' }]);
    await aborted.abort();
    expect(await a.get('ghost')).toBeNull();
    // A bad operation is refused before anything is sent.
    const t2 = await a.beginTransaction();
    await expect(t2.batch([{ type: 'merge', key: 'k' } as never])).rejects.toMatchObject({ code: 6000 });
    await expect(t2.getMany('k' as never)).rejects.toMatchObject({ code: 6000 });
    await t2.abort();
    // A TXN_BATCH frame with an unknown operation type is a protocol error, and the connection serves on.
    const t3 = await a.beginTransaction();
    const bad = Buffer.concat([Buffer.alloc(4), Buffer.from([0, 0, 0, 1, 3, 0, 0, 0, 1, 0x6b])]);
    bad.writeUInt32BE(t3.id, 0);
    await expect(a.request(Op.TXN_BATCH, bad)).rejects.toThrow('unknown batch operation type 3');
    await t3.put('after', 'ok');
    await t3.commit();
    expect((await a.get('after'))?.toString()).toBe('ok');
  });

  it("a closed connection's open transactions are aborted", async () => {
    const client = await IpcClient.connect(socketPath);
    const txn = await client.beginTransaction();
    await txn.put('never', 'x');
    await client.close();
    await expect(txn.get('never')).rejects.toBeInstanceOf(ConnectionError);
    await new Promise((r) => setTimeout(r, 50));
    expect(storage.stats().activeTransactions).toBe(0);
    expect(await storage.get('never')).toBeUndefined();
  });

  it('answers unknown opcodes and truncated payloads with an error reply and keeps serving', async () => {
    const reply = await rawExchange(Buffer.concat([encodeFrame(7, 0xee), encodeFrame(8, Op.GET, Buffer.from([0, 0, 0, 9, 1])), encodeFrame(9, Op.PING)]));
    const frames = new FrameReader().push(reply);
    expect(frames.map((f) => [f.requestId, f.tag])).toEqual([
      [7, Status.ERROR],
      [8, Status.ERROR],
      [9, Status.OK],
    ]);
    expect(JSON.parse(frames[0]!.payload.toString())).toMatchObject({ code: 1004, name: 'ProtocolError' });
    expect(JSON.parse(frames[1]!.payload.toString()).message).toMatch(/truncated/);
  });

  it('closes a connection that sends an oversized or impossible frame, and serves others', async () => {
    const huge = Buffer.alloc(8);
    huge.writeUInt32BE(10 * 1024 * 1024, 0);
    const reply = new FrameReader().push(await rawExchange(huge));
    expect(reply[0]?.tag).toBe(Status.ERROR);
    expect(JSON.parse(reply[0]!.payload.toString()).message).toMatch(/exceeds the limit/);
    const bad = Buffer.from([0, 0, 0, 1, 0]);
    expect(new FrameReader().push(await rawExchange(bad))[0]?.tag).toBe(Status.ERROR);
    await using client = await IpcClient.connect(socketPath);
    expect(await client.ping()).toBeGreaterThanOrEqual(0);
  });

  it('survives random garbage (fuzz) and keeps serving well-formed clients', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 200 }), async (bytes) => {
        await rawExchange(Buffer.from(bytes), 30);
      }),
      { numRuns: 60 },
    );
    await using client = await IpcClient.connect(socketPath);
    await client.put('still', 'alive');
    expect((await client.get('still'))?.toString()).toBe('alive');
  });

  it('refuses clients beyond maxClients with ConnectionError', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => IpcClient.connect(socketPath)));
    const extra = await IpcClient.connect(socketPath);
    await expect(extra.ping()).rejects.toBeInstanceOf(ConnectionError);
    await Promise.all([...clients, extra].map((c) => c.close()));
  });

  it('closes idle connections after the timeout', async () => {
    const client = await IpcClient.connect(socketPath);
    await new Promise((r) => setTimeout(r, 2300));
    await expect(client.ping()).rejects.toBeInstanceOf(ConnectionError);
  });

  it('a second server on a live socket is refused; a stale socket file is replaced', async () => {
    const second = new IpcServer(storage, { socketPath });
    await expect(second.listen()).rejects.toBeInstanceOf(ConnectionError);
    expect(ProtocolError).toBeDefined();
  });

  it('connecting to a missing socket is a ConnectionError with a remediation', async () => {
    await expect(IpcClient.connect(join(dir.path, 'nope.sock'))).rejects.toMatchObject({ code: 1001, remediation: expect.stringMatching(/sochdb-server/) });
  });
});

describe('the commit feed over IPC', () => {
  it('serves every commit after an LSN, and under a keyspace only that keyspace, without its prefix', async () => {
    const client = await IpcClient.connect(socketPath);
    const start = await client.lsn();
    await storage.put('user/a', '1');
    await storage.put('other/b', '2');
    await client.put('user/c', '3');
    const all = await client.changesAfter(start);
    expect(all.commits.map((c) => c.keys.map(String))).toEqual([['user/a'], ['other/b'], ['user/c']]);
    const some = await client.changesAfter(start, { gte: 'other/', lt: 'other0' });
    expect(some.commits.map((c) => c.keys.map(String))).toEqual([['other/b']]);
    expect(some.lsn).toBe(all.lsn);
    await client.close();

    const confined = new IpcServer(storage, { socketPath: `${socketPath}.ks`, keyspace: Buffer.from('user/') });
    await confined.listen();
    const tenant = await IpcClient.connect(`${socketPath}.ks`);
    const seen = await tenant.changesAfter(start);
    expect(seen.commits.map((c) => c.keys.map(String))).toEqual([['a'], ['c']]);
    // Asking for a range outside the keyspace still reports nothing of other keys.
    expect((await tenant.changesAfter(start, { gte: '\u0000', lt: '\uffff' })).commits.flatMap((c) => c.keys.map(String))).toEqual(['a', 'c']);
    await expect(tenant.changesAfter(-1n)).rejects.toMatchObject({ code: 6000 });
    await expect(tenant.changesAfter(all.lsn + 10n)).rejects.toMatchObject({ code: 9005, name: 'ChangeFeedGapError' });
    await tenant.close();
    await confined.close();
  });

  it("runs the owner's named services (CALL), never on a keyspace-confined server, where a service would see every key", async () => {
    const handlers = { call: async (name: string, request: Buffer) => Buffer.concat([Buffer.from(`${name}:`), request]) };
    const open = new IpcServer(storage, { socketPath: `${socketPath}.svc`, handlers });
    await open.listen();
    const client = await IpcClient.connect(`${socketPath}.svc`);
    expect((await client.call('echo', Buffer.from([0, 1, 2]))).equals(Buffer.from([...Buffer.from('echo:'), 0, 1, 2]))).toBe(true);
    await client.close();
    await open.close();
    // The default server of this file has no call handler.
    const plain = await IpcClient.connect(socketPath);
    await expect(plain.call('echo', Buffer.alloc(0))).rejects.toMatchObject({ name: 'ProtocolError' });
    await plain.close();
    const confined = new IpcServer(storage, { socketPath: `${socketPath}.ks2`, keyspace: Buffer.from('user/'), handlers });
    await confined.listen();
    const tenant = await IpcClient.connect(`${socketPath}.ks2`);
    await expect(tenant.call('echo', Buffer.alloc(0))).rejects.toThrow('services are not available on a keyspace-confined server');
    await tenant.close();
    await confined.close();
  });
});

describe('onRequest', () => {
  it('reports each answered request with its opcode name, its time and, for a failure, the error; a throwing observer changes nothing', async () => {
    const events: { method: string; seconds: number; error?: unknown }[] = [];
    const observed = new IpcServer(storage, {
      socketPath: join(dir.path, 'observed.sock'),
      onRequest: (event) => {
        events.push(event);
        throw new Error('observer bug');
      },
    });
    await observed.listen();
    try {
      await using client = await IpcClient.connect(join(dir.path, 'observed.sock'));
      await client.put('k', 'v');
      expect(await client.get('missing')).toBeNull(); // NOT_FOUND is an answer, not a failure
      await expect(client.executeSql('SELECT 1')).rejects.toThrow(ProtocolError); // no SQL handler here
      expect(events.map((e) => [e.method, e.error === undefined])).toEqual([
        ['PUT', true],
        ['GET', true],
        ['SQL', false],
      ]);
      expect(events[2]!.error).toBeInstanceOf(ProtocolError);
      for (const e of events) expect(e.seconds).toBeGreaterThanOrEqual(0);
    } finally {
      await observed.close();
    }
  });
});
