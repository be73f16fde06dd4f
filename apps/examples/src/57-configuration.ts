// Configuration — open options (validated: a bad value is a ValidationError naming the field)
import { Database, ValidationError } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();

await using db = await Database.open(dir.join('my_db'), {
  createIfMissing: true,
  walEnabled: true,
  syncMode: 'normal', // 'full' | 'normal' | 'off'
  memtableSizeBytes: 64 * 1024 * 1024,
});
await db.put('configured', 'yes');
console.log(`Opened with syncMode normal: ${(await db.get('configured'))?.toString()}`);

try {
  await Database.open(dir.join('other_db'), { syncMode: 'sometimes' as 'normal' });
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  console.log(`Rejected config: field ${error.field} (code ${error.code})`);
}

// ':memory:' is an in-memory database: nothing touches the disk.
await using mem = await Database.open(':memory:');
await mem.put('k', 'v');
console.log(`In memory: ${(await mem.get('k'))?.toString()}`);
