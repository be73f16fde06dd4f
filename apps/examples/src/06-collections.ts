// Collections — create vector collections in a namespace
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('multi_tenant'));
const ns = await db.createNamespace({ name: 'tenant_123', displayName: 'Acme Corp' });

// Create a vector collection
const collection = await ns.createCollection({
  name: 'documents',
  dimension: 384, // undefined = taken from the first vector inserted
  metric: 'cosine', // 'euclidean' | 'dot_product'
  m: 16,
  efConstruction: 100,
});
console.log(`Created ${collection.name}: dimension ${collection.dimension}, metric ${collection.info.metric}`);

// Or simpler
const embeddings = await ns.createCollection('embeddings', { dimension: 768 });
console.log(`Created ${embeddings.name}: dimension ${embeddings.dimension}, metric ${embeddings.info.metric}`);
console.log(`Collections: ${(await ns.listCollections()).map((c) => c.name).join(', ')}`);
