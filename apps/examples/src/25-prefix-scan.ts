// Prefix scanning — iterate one tenant's keys, in key order
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('kv_db'));

// Insert multi-tenant data
await db.put('tenants/acme/users/1', '{"name":"Alice"}');
await db.put('tenants/acme/users/2', '{"name":"Bob"}');
await db.put('tenants/acme/orders/1', '{"total":100}');
await db.put('tenants/globex/users/1', '{"name":"Charlie"}');

// Scan only ACME Corp's data: keys in [start, end) — ';' is the byte after '/'
const results = await db.scan('tenants/acme/', 'tenants/acme;').toArray();
console.log(`ACME Corp has ${results.length} items:`);
for (const [key, value] of results) {
  console.log(`  ${key.toString()}: ${value.toString()}`);
}

// The same with scanPrefix, which computes the end for you
let count = 0;
for await (const _ of db.scanPrefix('tenants/acme/')) count++;
console.log(`scanPrefix agrees: ${count} items`);
