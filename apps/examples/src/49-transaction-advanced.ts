// Advanced — transaction ids, commit LSNs, and SQL + KV in one transaction
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('my_db'));
await db.executeSql('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)');

// Transaction id
const txn = db.beginTransaction();
console.log(`Transaction ID: ${txn.id}`);

// Perform operations
await txn.put('key', 'value');

// Commit returns the LSN (log sequence number)
const lsn = await txn.commit();
console.log(`Committed at LSN: ${lsn}`);

// SQL inside a transaction: SQL and KV commit together
const txn2 = db.beginTransaction();
await txn2.execute("INSERT INTO users VALUES (1, 'Alice')");
await txn2.put('user:1:metadata', '{"verified": true}');
await txn2.commit(); // atomic SQL + KV
const [alice] = (await db.executeSql('SELECT name FROM users WHERE id = 1')).rows;
console.log(`${String(alice?.name)} ${(await db.get('user:1:metadata'))?.toString()}`);
