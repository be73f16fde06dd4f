// Advanced — runtime statistics
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('my_db'));

// Perform operations
for (let i = 0; i < 1000; i++) await db.put(`key:${i}`, `value:${i}`);
await db.get('key:1');
await db.executeSql('CREATE TABLE t (id INTEGER PRIMARY KEY)');
for (let i = 0; i < 3; i++) await db.executeSql('SELECT * FROM t');

// Runtime statistics
const stats = await db.stats();
console.log(`Keys: ${stats.keysCount.toLocaleString('en-US')}`);
console.log(`Bytes written: ${stats.bytesWritten.toLocaleString('en-US')}`);
console.log(`Bytes read: ${stats.bytesRead.toLocaleString('en-US')}`);
console.log(`Transactions: ${stats.transactionsCommitted}`);

// Cache metrics (the SQL engine's parsed-statement cache)
const { cacheHits: hits, cacheMisses: misses } = stats;
const hitRate = hits + misses > 0 ? (hits / (hits + misses)) * 100 : 0;
console.log(`Cache hit rate: ${hitRate.toFixed(1)}%`);
