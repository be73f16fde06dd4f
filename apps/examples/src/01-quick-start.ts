// Quick Start — embedded mode: open a database, put and get a value
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();

// Open the database (`await using` closes it at the end of the block, like Python's `with`).
await using db = await Database.open(dir.join('my_database'));

// Put and Get: keys and values are bytes; strings are stored as UTF-8.
await db.put('user:123', '{"name":"Alice","age":30}');
const value = await db.get('user:123');
console.log(value?.toString());
// Output: {"name":"Alice","age":30}
