// Key-value — put, get, delete
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('kv_db'));

// Put
await db.put('key', 'value');

// Get (a Buffer, or null when the key is missing)
const show = async () => {
  const value = await db.get('key');
  console.log(value ? value.toString() : 'Key not found');
};
await show();

// Delete
await db.delete('key');
await show();
// Output:
// value
// Key not found
