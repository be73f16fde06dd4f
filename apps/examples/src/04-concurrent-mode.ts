// Architecture — concurrent mode: several processes open the same database folder
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();

// Multiple processes can open the folder at once: the first serves it, the others go through it.
await using db = await Database.openConcurrent(dir.join('shared_db'));
console.log(`Concurrent mode: ${db.isConcurrent}`); // true

// A second handle (as another process would get) sees the first one's writes.
await using other = await Database.openConcurrent(dir.join('shared_db'));
await db.put('greeting', 'hello from the first handle');
console.log(`Second handle reads: ${(await other.get('greeting'))?.toString()}`);
