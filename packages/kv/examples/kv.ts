import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelStorage } from '@sochdb/core';
import { KvStore } from '@sochdb/kv';

const dir = mkdtempSync(join(tmpdir(), 'kv-example-'));
const storage = await LevelStorage.open(join(dir, 'db'));
const kv = new KvStore(storage);

// Put, get, delete. get() gives a Buffer, or null when the key is missing.
await kv.put('user:123', '{"name":"Alice","age":30}');
console.log((await kv.get('user:123'))?.toString());
await kv.delete('user:123');
console.log(await kv.get('user:123'));

// Paths are keys: 'users/alice/email' is stored under exactly that key.
await kv.putPath('users/alice/email', 'alice@example.com');
await kv.putPath('users/alice/settings/theme', 'dark');
console.log(`Alice's email: ${(await kv.getPath('users/alice/email'))?.toString()}`);

// Prefix scans: only ACME's keys, in byte order. Breaking out of a loop closes the cursor.
await kv.put('tenants/acme/users/1', '{"name":"Alice"}');
await kv.put('tenants/acme/orders/1', '{"total":100}');
await kv.put('tenants/globex/users/1', '{"name":"Charlie"}');
for await (const [key, value] of kv.scanPrefix('tenants/acme/')) console.log(`${key.toString()}: ${value.toString()}`);

// Transactions: commit when the function returns, abort when it throws.
await kv.transaction(async (txn) => {
  await txn.put('account:1:balance', '1000');
  await txn.put('account:2:balance', '500');
  for await (const [key, value] of txn.scan('account:', 'account;')) console.log(`${key.toString()}: ${value.toString()}`);
});

// Batched scans fetch 1000 entries per storage call.
await storage.batch(Array.from({ length: 10_000 }, (_, i) => ({ type: 'put' as const, key: `item:${String(i).padStart(5, '0')}`, value: `value:${i}` })));
let count = 0;
for await (const _ of kv.scanBatched('item:', 'item;', { batchSize: 1000 })) count++;
console.log(`Batched scan: ${count} items`);

// Queries over JSON values, as [key, TOON row] pairs or one TOON table.
await kv.put('products/laptop', '{"name":"Laptop","price":999,"stock":5}');
await kv.put('products/mouse', '{"name":"Mouse","price":25,"stock":20}');
const results = await kv.query('products/').select(['name', 'price']).limit(10).toList();
for (const [key, value] of results) console.log(`${key.toString()}: ${value.toString()}`);
console.log(await kv.query('products/').where({ price: { $lt: 100 } }).select(['name', 'price']).toToon('products'));

await storage.close();
rmSync(dir, { recursive: true, force: true });
