// Best practices — the guide's eight recommendations, each as runnable code
import { bulkBuildIndex, Database, VectorIndex } from '@sochdb/sdk';
import { randomVectors } from './lib/embed.js';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();

// 8. Always dispose: `await using` closes the database however the block ends.
await using db = await Database.open(dir.join('db'));

// 1. SQL for structured data
await db.executeSql('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, age INTEGER)');
await db.executeSql("INSERT INTO users VALUES (1, 'Alice', 'alice@example.com', 30), (2, 'Bob', 'bob@example.com', 22)");
const adults = await db.executeSql('SELECT * FROM users WHERE age > 25');
console.log(`1. SQL: ${adults.rows.length} user(s) over 25`);

// 2. Key-value for unstructured data: documents, blobs, cache
const user = { name: 'Alice' };
await db.put('cache:user:123', JSON.stringify(user));
await db.put('blob:image:456', new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
console.log(`2. KV: blob of ${(await db.get('blob:image:456'))?.length} bytes`);

// 3. scan() for multi-tenancy
await db.put('tenants/acme/users/1', '{"name":"Alice"}');
await db.put('tenants/acmex/users/1', '{"name":"Mallory"}');
const tenantId = 'acme';
const data = await db.scan(`tenants/${tenantId}/`, `tenants/${tenantId};`).toArray();
console.log(`3. Scan: tenant ${tenantId} has ${data.length} key(s)`);

// 4. Transactions for atomic operations
await db.transaction(async (txn) => {
  await txn.put('key1', 'value1');
  await txn.put('key2', 'value2');
});
console.log(`4. Transaction: key1 and key2 written together`);

// 5. The bulk API for many vectors
const embeddings = randomVectors(500, 128);
const stats = await bulkBuildIndex(embeddings, { output: dir.join('index.hnsw'), dimension: 128 });
console.log(`5. Bulk: built ${stats.vectors} vectors`);
// …rather than a loop of single inserts (still correct, just slower)
const index = new VectorIndex({ dimension: 128 });
for (let i = 0; i < 10; i++) index.insert(`v${i}`, embeddings.subarray(i * 128, (i + 1) * 128));

// 6. Batched scanning for large ranges
const txn = db.beginTransaction();
let seen = 0;
for await (const _ of txn.scanBatched('tenants/', 'tenants;', { batchSize: 1000 })) seen++;
await txn.abort();
console.log(`6. Batched scan: ${seen} key(s)`);

// 7. TOON for LLM context, rather than JSON
const rows = (await db.executeSql('SELECT name, email FROM users LIMIT 100')).rows;
const records = rows.map((row) => ({ name: String(row.name), email: String(row.email) }));
const toonContext = Database.toToon('users', records, ['name', 'email']);
console.log(`7. TOON: ${toonContext} (${toonContext.length} chars; JSON: ${JSON.stringify(records).length})`);
