// SochDB: a Collection on LevelDB (the embedded default), written in 1,000-document batches.
import { LevelStorage } from '@sochdb/core';
import { Collection } from '@sochdb/vector';
import { EF_CONSTRUCTION, EF_SEARCH, M, type OpenPeer, type PeerEngine } from './engine.js';
import { bucketOf, DIM, FILTER_BUCKETS, rowVector, type Documents } from './workload.js';

const REF = { namespace: 'bench', name: 'docs' } as const;
const BATCH = 1_000;
const rows = (hits: readonly { readonly id: string }[]): number[] => hits.map((h) => Number(h.id));

export const sochdb: PeerEngine = {
  async build(docs: Documents, folder: string): Promise<void> {
    const storage = await LevelStorage.open(folder);
    const coll = await Collection.create(storage, { ...REF, dimension: DIM, metric: 'cosine', m: M, efConstruction: EF_CONSTRUCTION, efSearch: EF_SEARCH });
    for (let from = 0; from < docs.n; from += BATCH) {
      const ids = Array.from({ length: Math.min(BATCH, docs.n - from) }, (_, j) => from + j);
      await coll.insertBatch({
        ids: ids.map(String),
        vectors: ids.map((i) => rowVector(docs, i)),
        metadatas: ids.map((i) => ({ bucket: bucketOf(i), year: docs.years[i]! })),
        contents: ids.map((i) => docs.texts[i]!),
      });
    }
    await coll.close(); // inserts what is still queued for the graph and saves it
    await storage.close();
  },

  async open(folder: string): Promise<OpenPeer> {
    const storage = await LevelStorage.open(folder);
    const coll = await Collection.open(storage, REF);
    const filter = { bucket: { $lt: FILTER_BUCKETS } };
    return {
      vector: async (q, k) => rows(await coll.vectorSearch(q, k)),
      filtered: async (q, k) => rows(await coll.vectorSearch(q, k, { filter })),
      keyword: async (text, k) => rows(await coll.keywordSearch(text, k)),
      hybrid: async (q, text, k) => rows(await coll.hybridSearch(q, text, k)),
      async close() {
        await coll.close();
        await storage.close();
      },
    };
  },
};
