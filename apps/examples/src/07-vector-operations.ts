// Collections — insert vectors with metadata, one at a time or in a batch
import { Database } from '@sochdb/sdk';
import { embed } from './lib/embed.js';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('multi_tenant'));
const ns = await db.createNamespace('tenant_123');
const collection = await ns.createCollection({ name: 'documents', dimension: 384 });

// Insert a vector with metadata
await collection.insert({
  vector: embed('SochDB stores vectors next to your data'), // 384-dim
  metadata: { source: 'web', url: 'https://sochdb.dev' },
  id: 'doc_001', // optional: a UUID is generated when omitted
});

// Batch insert
const ids = await collection.insertBatch({
  vectors: [embed('first document'), embed('second document'), embed('third document')],
  metadatas: [{ type: 'a' }, { type: 'b' }, { type: 'c' }],
  ids: ['doc_1', 'doc_2', 'doc_3'],
});
console.log(`Inserted doc_001 and ${ids.join(', ')}`);
console.log(`Count: ${await collection.count()}`);
console.log(`doc_001 metadata: ${JSON.stringify((await collection.get('doc_001'))?.metadata)}`);
