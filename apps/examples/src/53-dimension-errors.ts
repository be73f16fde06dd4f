// Error handling — a vector of the wrong dimension
import { Database, DimensionMismatchError } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('vectors_db'));
const ns = await db.createNamespace('tenant_123');
const collection = await ns.createCollection('documents', { dimension: 384 });

try {
  await collection.insert({ vector: [1.0, 2.0, 3.0] }); // 3-dim
} catch (error) {
  if (!(error instanceof DimensionMismatchError)) throw error;
  console.log(`Expected ${error.expected} dimensions, got ${error.actual}`);
}
