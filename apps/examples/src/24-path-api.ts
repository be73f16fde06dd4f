// Path API — hierarchical keys like users/alice/email
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('kv_db'));

// Store hierarchical data
await db.putPath('users/alice/email', 'alice@example.com');
await db.putPath('users/alice/age', '30');
await db.putPath('users/alice/settings/theme', 'dark');

// Retrieve by path
const email = await db.getPath('users/alice/email');
console.log(`Alice's email: ${email?.toString()}`);
// Output: Alice's email: alice@example.com
