import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelStorage, TransactionConflictError, encodeKey, decodeKey, keyRange } from '@sochdb/core';

const storage = await LevelStorage.open(join(mkdtempSync(join(tmpdir(), 'sochdb-')), 'db'), { syncMode: 'normal' });

// Every write is an atomic commit with its own LSN.
const lsn = await storage.put('greeting', 'hello');
console.log('put at LSN', lsn, '->', (await storage.get('greeting'))?.toString());

// Order-preserving tuple keys: byte order = logical order, negatives included.
await storage.batch([-5, 3, 42].map((n) => ({ type: 'put' as const, key: encodeKey(['scores', n]), value: String(n) })));
for await (const [key, value] of storage.iterator(keyRange(['scores']))) console.log(decodeKey(key), value.toString());

// Snapshot-isolated transactions: first committer wins.
const t1 = storage.beginTransaction();
const t2 = storage.beginTransaction();
await t1.put('greeting', 'from t1');
await t2.put('greeting', 'from t2');
await t1.commit();
try {
  await t2.commit();
} catch (error) {
  console.log('t2:', error instanceof TransactionConflictError ? 'conflict, nothing written' : error);
}
console.log('greeting =', (await storage.get('greeting'))?.toString());

// transaction(fn) commits on return, aborts on throw, and can retry conflicts.
await storage.transaction(async (txn) => {
  await txn.put('counter', String(Number((await txn.get('counter'))?.toString() ?? 0) + 1));
}, { retries: 3 });
console.log('keys:', (await storage.currentStats()).keysCount, 'durable through LSN', await storage.checkpoint());
await storage.close();
