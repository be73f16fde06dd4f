import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStorage } from '@sochdb/core';
import { ConcurrentStorage, IpcClient, IpcServer } from '@sochdb/ipc';

const dir = mkdtempSync(join(tmpdir(), 'sochdb-ipc-'));

// Serve a Storage on a Unix socket; SQL, queries and stats are handlers you plug in.
const storage = await MemoryStorage.open();
const server = new IpcServer(storage, {
  socketPath: join(dir, 'sochdb.sock'),
  handlers: { stats: async () => ({ served: 'from memory' }) },
});
await server.listen();

// A client: key-value calls, prefix scans, and transactions with conflict detection.
const client = await IpcClient.connect(join(dir, 'sochdb.sock'));
await client.put('user:1', 'Alice');
await client.put('user:2', 'Bob');
console.log((await client.get('user:1'))?.toString(), await client.get('user:3'));
for await (const [key, value] of client.scan('user:')) console.log(key.toString(), value.toString());
const txn = await client.beginTransaction();
await txn.put('user:3', 'Carol');
await txn.commit();
console.log((await client.get('user:3'))?.toString(), (await client.stats()).served);
await client.close();
await server.close();
await storage.close();

// Concurrent mode: the first open of a folder owns it and serves its socket; later opens
// (normally other processes) are clients of the owner, sharing its transactions.
const owner = await ConcurrentStorage.open(join(dir, 'shared'));
const other = await ConcurrentStorage.open(join(dir, 'shared'));
await owner.put('greeting', 'hello');
console.log(owner.isOwner, other.isOwner, (await other.get('greeting'))?.toString());
await other.close();
await owner.close();
