// Advanced — manual checkpoint: make everything written so far durable on disk
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('my_db'));

// Bulk import
console.log('Importing 10K records...');
await db.transaction(async (txn) => {
  for (let i = 0; i < 10_000; i++) await txn.put(`bulk:${i}`, `data:${i}`);
});

// Force a checkpoint
const lsn = await db.checkpoint();
console.log(`Checkpoint complete at LSN ${lsn}`);
console.log('All data is durable on disk!');
