// Vector search — bulk operations: build an HNSW index file, then query it
import { bulkBuildIndex, bulkQueryIndex } from '@sochdb/sdk';
import { randomVectors } from './lib/embed.js';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
const embeddings = randomVectors(2_000, 768); // 2,000 × 768 (the guide: 10,000)
const query = randomVectors(1, 768, 7);

// Build an HNSW index file
const stats = await bulkBuildIndex(embeddings, {
  output: dir.join('my_index.hnsw'),
  dimension: 768,
  m: 16,
  efConstruction: 100,
  metric: 'cosine',
});
console.log(`Built ${stats.vectors} vectors at ${stats.rate.toFixed(0)} vec/s`);

// Query it
const results = await bulkQueryIndex({ index: dir.join('my_index.hnsw'), query, k: 10, efSearch: 64 });
console.log(`Nearest: ${results[0]?.id} (${results.length} results)`);
