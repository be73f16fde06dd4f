// Transactions — db.transaction(fn) commits when fn returns and aborts when it throws
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('bank_db'));

await db.transaction(async (txn) => {
  await txn.put('account:1:balance', '1000');
  await txn.put('account:2:balance', '500');
}); // commits on success, aborts on exception
console.log('✅ Transaction committed');

// A throw aborts: nothing of it is written.
await db
  .transaction(async (txn) => {
    await txn.put('account:1:balance', '0');
    throw new Error('insufficient funds');
  })
  .catch((error: Error) => console.log(`❌ Transaction aborted: ${error.message}`));
console.log(`account:1 balance: ${(await db.get('account:1:balance'))?.toString()}`);
