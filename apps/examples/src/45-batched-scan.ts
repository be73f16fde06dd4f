// Advanced — batched scanning: read a large range in batches of 1,000
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('my_db'));

// Insert 10K test records in one transaction
await db.transaction(async (txn) => {
  for (let i = 0; i < 10_000; i++) {
    await txn.put(`item:${String(i).padStart(5, '0')}`, `value:${i}`);
  }
});

// Regular scan
let txn = db.beginTransaction();
let count = 0;
for await (const _ of txn.scan('item:', 'item;')) count++;
await txn.abort();
console.log(`Regular scan: ${count} items`);

// Batched scan: storage is read 1,000 entries at a time
txn = db.beginTransaction();
count = 0;
for await (const _ of txn.scanBatched('item:', 'item;', { batchSize: 1000 })) count++;
await txn.abort();
console.log(`Batched scan: ${count} items`);
