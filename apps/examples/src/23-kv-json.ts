// Key-value — store and read JSON documents
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('kv_db'));

// Store JSON
const user = { name: 'Alice', email: 'alice@example.com', age: 30 };
await db.put('users/alice', JSON.stringify(user));

// Retrieve JSON
const value = await db.get('users/alice');
if (value) {
  const stored = JSON.parse(value.toString()) as typeof user;
  console.log(`Name: ${stored.name}, Age: ${stored.age}`);
}
// Output: Name: Alice, Age: 30
