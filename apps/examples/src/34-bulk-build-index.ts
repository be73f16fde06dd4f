// Vector search — bulk HNSW index building
import { bulkBuildIndex } from '@sochdb/sdk';
import { randomVectors } from './lib/embed.js';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();

// Embeddings: 2,000 × 768 float32 (the guide builds 10,000; the rate is what matters)
const embeddings = randomVectors(2_000, 768);

const stats = await bulkBuildIndex(embeddings, {
  output: dir.join('my_index.hnsw'),
  dimension: 768,
  m: 16,
  efConstruction: 100,
  metric: 'cosine',
});
console.log(`Built ${stats.vectors} vectors at ${stats.rate.toFixed(0)} vec/s`);
console.log(`Index size: ${(stats.bytes / 1024 / 1024).toFixed(1)} MB`);
