// Raw hnswlib-node, the library under SochDB's graph: the floor for build time and vector search.
// Its index file is all it keeps; a filter is a callback over labels (bucket = row % 100, which a
// user of the raw library would keep in an array beside it).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { EF_CONSTRUCTION, EF_SEARCH, M, type OpenPeer, type PeerEngine } from './engine.js';
import { bucketOf, DIM, FILTER_BUCKETS, rowVector, type Documents } from './workload.js';

const file = (folder: string): string => join(folder, 'index.hnsw');

export const rawHnswlib: PeerEngine = {
  async build(docs: Documents, folder: string): Promise<void> {
    const index = new hnswlib.HierarchicalNSW('cosine', DIM);
    index.initIndex({ maxElements: docs.n, m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 100 });
    for (let i = 0; i < docs.n; i++) index.addPoint(Array.from(rowVector(docs, i)), i);
    await index.writeIndex(file(folder));
  },

  async open(folder: string): Promise<OpenPeer> {
    statSync(file(folder));
    const index = new hnswlib.HierarchicalNSW('cosine', DIM);
    await index.readIndex(file(folder));
    index.setEf(EF_SEARCH);
    const search = (q: Float32Array, k: number, keep?: (label: number) => boolean): number[] => index.searchKnn(Array.from(q), k, keep).neighbors;
    return {
      vector: async (q, k) => search(q, k),
      filtered: async (q, k) => search(q, k, (label) => bucketOf(label) < FILTER_BUCKETS),
      async close() {
        // hnswlib-node frees the index when it is garbage-collected; nothing to close.
      },
    };
  },
};
