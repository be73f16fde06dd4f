// Vector search — query an HNSW index file
import { bulkBuildIndex, bulkQueryIndex } from '@sochdb/sdk';
import { randomVectors } from './lib/embed.js';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
const index = dir.join('my_index.hnsw');
await bulkBuildIndex(randomVectors(2_000, 768), { output: index, dimension: 768, metric: 'cosine' });

// A single query vector
const query = randomVectors(1, 768, 7);

const results = await bulkQueryIndex({ index, query, k: 10, efSearch: 64 });

console.log(`Top ${results.length} nearest neighbors:`);
results.forEach((neighbor, i) => {
  console.log(`${i + 1}. ID: ${neighbor.id}, Distance: ${neighbor.distance.toFixed(4)}`);
});
