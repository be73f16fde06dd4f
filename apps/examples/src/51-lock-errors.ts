// Error handling — a database folder held by another handle, and concurrent mode as the fallback
import { Database, DatabaseLockedError, LockTimeoutError } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
const path = dir.join('shared_db');

// Another process (here: another handle) already has the folder open in concurrent mode.
await using holder = await Database.openConcurrent(path);

let db: Database;
try {
  db = await Database.open(path);
} catch (error) {
  if (error instanceof DatabaseLockedError) {
    console.log(`Database locked by another process: ${error.constructor.name} (${error.code})`);
    // Retry in concurrent mode
    db = await Database.openConcurrent(path);
  } else if (error instanceof LockTimeoutError) {
    console.log(`Timed out waiting for lock: ${error.message}`);
    throw error;
  } else {
    throw error;
  }
}
await db.put('hello', 'world');
console.log(`Concurrent mode: ${db.isConcurrent}, holder reads: ${(await holder.get('hello'))?.toString()}`);
await db.close();
