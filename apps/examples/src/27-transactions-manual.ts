// Transactions — manual control with beginTransaction, commit and abort
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('txn_db'));

const txn = db.beginTransaction();
try {
  await txn.put('key1', 'value1');
  await txn.put('key2', 'value2');

  // Scan within the transaction: it sees its own writes
  for await (const [key, value] of txn.scan('key', 'key~')) {
    console.log(`${key.toString()}: ${value.toString()}`);
  }

  await txn.commit();
  console.log('✅ Transaction committed');
} catch (error) {
  await txn.abort();
  throw error;
}
