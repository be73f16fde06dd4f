// Collections — the convenience methods vectorSearch, keywordSearch and hybridSearch
import { Database } from '@sochdb/sdk';
import { embed } from './lib/embed.js';
import { loadDocuments } from './lib/corpus.js';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('search_db'));
const ns = await db.createNamespace('tenant_123');
const collection = await ns.createCollection({ name: 'documents', dimension: 384 });
await loadDocuments(collection);
const queryEmbedding = embed('deep learning with neural networks');

// Quick vector search
const byVector = await collection.vectorSearch(queryEmbedding, 10);
// Quick keyword search
const byKeyword = await collection.keywordSearch('neural networks', 10);
// Quick hybrid search
const hybrid = await collection.hybridSearch(queryEmbedding, 'deep learning', 10);

console.log(`vector:  ${byVector.map((r) => r.id).join(', ')}`);
console.log(`keyword: ${byKeyword.map((r) => r.id).join(', ')}`);
console.log(`hybrid:  ${hybrid.map((r) => r.id).join(', ')}`);
