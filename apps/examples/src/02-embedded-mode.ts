// Architecture — embedded mode: the database runs inside your process, no server needed
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();

// In-process LevelDB storage — no server needed.
await using db = await Database.open(dir.join('mydb'));
await db.put('key', 'value');
const value = await db.get('key');
console.log(`value: ${value?.toString()}`);
