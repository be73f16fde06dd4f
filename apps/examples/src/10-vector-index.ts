// Vector search — the native HNSW VectorIndex: insert, batch insert, search
import { VectorIndex } from '@sochdb/sdk';
import { randomVectors } from './lib/embed.js';

// Create an index
const index = new VectorIndex({
  dimension: 768,
  metric: 'cosine', // 'cosine' | 'euclidean' | 'dot_product'
  m: 16,
  efConstruction: 100,
});

// The guide uses 10,000 random vectors; 2,000 keep this example quick. Rows of one Float32Array.
const count = 2_000;
const embeddings = randomVectors(count, 768);
const row = (i: number) => embeddings.subarray(i * 768, (i + 1) * 768);

// Insert vectors one by one…
for (let i = 0; i < count / 2; i++) index.insert(`doc_${i}`, row(i));

// …or as a batch (faster): ids plus one row-major Float32Array
const ids = Array.from({ length: count / 2 }, (_, i) => `doc_${count / 2 + i}`);
index.insertBatch(ids, embeddings.subarray((count / 2) * 768));
console.log(`Index holds ${index.size} vectors`);

// Search
const query = randomVectors(1, 768, 7);
const results = index.search(query, 10, { efSearch: 64 });
for (const { id, distance } of results) console.log(`${id}: ${distance.toFixed(4)}`);
