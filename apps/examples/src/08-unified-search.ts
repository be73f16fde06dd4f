// Collections — one search API for vector, keyword (BM25) and hybrid (RRF) search
import { Database, type SearchRequest } from '@sochdb/sdk';
import { embed } from './lib/embed.js';
import { loadDocuments } from './lib/corpus.js';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('search_db'));
const ns = await db.createNamespace('tenant_123');
const collection = await ns.createCollection({ name: 'documents', dimension: 384 });
await loadDocuments(collection);
const queryEmbedding = embed('deep neural networks');

// Vector search, filtered on metadata
const vectorRequest: SearchRequest = { vector: queryEmbedding, k: 10, filter: { source: 'web' } };
console.log('Vector search (source = web):');
for (const result of await collection.search(vectorRequest)) {
  console.log(`ID: ${result.id}, Score: ${result.score.toFixed(4)}`);
}

// Keyword search (BM25 over each document's `content`)
console.log('Keyword search:');
for (const result of await collection.search({ textQuery: 'machine learning', k: 10 })) {
  console.log(`ID: ${result.id}, Score: ${result.score.toFixed(4)}`);
}

// Hybrid search (reciprocal-rank fusion)
console.log('Hybrid search:');
const hybrid = await collection.search({
  vector: queryEmbedding,
  textQuery: 'ML algorithms',
  k: 10,
  alpha: 0.7, // 0.7 vector + 0.3 keyword
});
for (const result of hybrid) console.log(`ID: ${result.id}, Score: ${result.score.toFixed(4)}`);
