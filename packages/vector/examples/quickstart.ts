import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelStorage } from '@sochdb/core';
import { Collection, VectorIndex, bulkBuildIndex, bulkInfo, bulkQueryIndex } from '@sochdb/vector';

const dir = mkdtempSync(join(tmpdir(), 'sochdb-vector-example-'));
const storage = await LevelStorage.open(join(dir, 'db'));

// A collection in namespace 'tenant_123'; no dimension given, so the first vector fixes it.
const docs = await Collection.create(storage, { namespace: 'tenant_123', name: 'documents', metric: 'cosine' });
await docs.insertBatch({
  ids: ['intro', 'nets', 'graphs'],
  vectors: [[1, 0, 0, 0.1], [0.9, 0.2, 0, 0], [0, 0, 1, 0.3]],
  metadatas: [{ source: 'web', year: 2023 }, { source: 'pdf', year: 2024 }, { source: 'web', year: 2024 }],
  contents: ['An introduction to machine learning', 'Neural networks and deep learning', 'Graph databases in practice'],
});

const show = (rs: readonly { id: string; score: number }[]) => rs.map((r) => `${r.id} ${r.score.toFixed(3)}`).join(', ');
console.log('vector:', show(await docs.vectorSearch([1, 0.1, 0, 0], 2)));
console.log('filtered:', show(await docs.search({ vector: [1, 0.1, 0, 0], k: 2, filter: { year: { $gte: 2024 }, source: { $in: ['web', 'pdf'] } } })));
console.log('keyword:', show(await docs.keywordSearch('deep learning', 2)));
console.log('hybrid:', show(await docs.hybridSearch([0.9, 0.2, 0, 0], 'machine learning', 3, { alpha: 0.7 })));
// Maintenance: change part of a document, read documents back in pages, delete by a filter.
await docs.update('graphs', { metadata: { reviewed: true } }); // merged: source and year stay
const page = await docs.get({ filter: { year: 2024 }, limit: 10 }); // id order; next page: { afterId }
console.log('page:', page.map((d) => `${d.id} ${JSON.stringify(d.metadata)}`).join(', '));
console.log('deleted:', await docs.delete({ filter: { source: 'pdf' } }), 'left:', await docs.count());
await docs.close(); // saves the HNSW graph, so the next open loads it instead of rebuilding

// A standalone HNSW index with string ids, saved to one file.
const index = new VectorIndex({ dimension: 4, metric: 'euclidean' });
index.insertBatch(['a', 'b'], [[0, 0, 0, 0], [1, 1, 1, 1]]);
await index.save(join(dir, 'small.hnsw'));
const [nearest] = (await VectorIndex.load(join(dir, 'small.hnsw'))).search([1, 1, 1, 0.9], 1);
console.log(`loaded: ${nearest!.id} at ${nearest!.distance.toFixed(3)}`);

// The bulk API: build from a matrix (or a .npy / raw f32 file), query, inspect.
const stats = await bulkBuildIndex([[0, 1], [1, 0], [1, 1]], { output: join(dir, 'bulk.hnsw'), metric: 'euclidean' });
const [hit] = await bulkQueryIndex({ index: join(dir, 'bulk.hnsw'), query: [0.9, 0.1], k: 1 });
const info = await bulkInfo(join(dir, 'bulk.hnsw'));
console.log(`bulk: built ${stats.vectors} vectors; nearest row ${hit!.id}; dimension ${info.dimension}, m ${info.m}`);

await storage.close();
rmSync(dir, { recursive: true, force: true });
