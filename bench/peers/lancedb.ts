// LanceDB (@lancedb/lancedb, embedded): one table with the vector, text and metadata columns; an
// HNSW index (IVF_HNSW_SQ with one partition, the settings SochDB uses), a full-text index
// (tantivy-style BM25, analysed as SochDB's default: lowercase, no stemming or stop words, no
// positions) and a btree on `bucket` for the filter, as LanceDB's docs advise.
import { EF_CONSTRUCTION, EF_SEARCH, HYBRID_DEPTH, importPeer, M, RRF_K, type OpenPeer, type PeerEngine } from './engine.js';
import { bucketOf, FILTER_BUCKETS, rowVector, type Documents } from './workload.js';

// The part of LanceDB's API the bench uses (see engine.ts's importPeer for why not its own types).
interface Query {
  where(predicate: string): Query;
  limit(n: number): Query;
  select(columns: string[]): Query;
  ef(ef: number): Query;
  nearestTo(vector: Float32Array | number[]): Query;
  fullTextSearch(text: string): Query;
  rerank(reranker: unknown): Query;
  toArray(): Promise<{ id: number }[]>;
}
interface Table {
  add(rows: Record<string, unknown>[]): Promise<unknown>;
  createIndex(column: string, options: { config: unknown }): Promise<void>;
  query(): Query;
  close(): void;
}
interface Connection {
  createTable(name: string, rows: Record<string, unknown>[]): Promise<Table>;
  openTable(name: string): Promise<Table>;
  close(): void;
}
interface LanceDb {
  connect(this: void, uri: string): Promise<Connection>;
  Index: {
    hnswSq(options: Record<string, unknown>): unknown;
    fts(options: Record<string, unknown>): unknown;
    btree(): unknown;
  };
  rerankers: { RRFReranker: { create(k?: number): Promise<unknown> } };
}

const BATCH = 10_000;
const lancedb = (): Promise<LanceDb> => importPeer<LanceDb>('@lancedb/lancedb');
const rows = (hits: readonly { readonly id: number }[]): number[] => hits.map((h) => Number(h.id));

export const lanceDb: PeerEngine = {
  async build(docs: Documents, folder: string): Promise<void> {
    const { connect, Index } = await lancedb();
    const db = await connect(folder);
    let table: Table | undefined;
    for (let from = 0; from < docs.n; from += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, docs.n - from) }, (_, j) => {
        const i = from + j;
        return { id: i, vector: Array.from(rowVector(docs, i)), text: docs.texts[i]!, bucket: bucketOf(i), year: docs.years[i]! };
      });
      if (table === undefined) table = await db.createTable('docs', batch);
      else await table.add(batch);
    }
    await table!.createIndex('vector', { config: Index.hnswSq({ distanceType: 'cosine', numPartitions: 1, m: M, efConstruction: EF_CONSTRUCTION }) });
    await table!.createIndex('text', { config: Index.fts({ withPosition: false, stem: false, removeStopWords: false, lowercase: true, asciiFolding: false }) });
    await table!.createIndex('bucket', { config: Index.btree() });
    table!.close();
    db.close();
  },

  async open(folder: string): Promise<OpenPeer> {
    const { connect, rerankers } = await lancedb();
    const db = await connect(folder);
    const table = await db.openTable('docs');
    const reranker = await rerankers.RRFReranker.create(RRF_K);
    // `_distance`/`_score` selected too: LanceDB warns on every query whose selection leaves them out.
    const near = (q: Float32Array, k: number): Query => table.query().nearestTo(q).ef(EF_SEARCH).limit(k).select(['id', '_distance']);
    return {
      vector: async (q, k) => rows(await near(q, k).toArray()),
      filtered: async (q, k) => rows(await near(q, k).where(`bucket < ${FILTER_BUCKETS}`).toArray()),
      keyword: async (text, k) => rows(await table.query().fullTextSearch(text).limit(k).select(['id', '_score']).toArray()),
      // LanceDB fuses `limit` candidates a side; SochDB and the sqlite bench fuse HYBRID_DEPTH, then keep k.
      hybrid: async (q, text, k) =>
        rows((await table.query().nearestTo(q).ef(EF_SEARCH).fullTextSearch(text).rerank(reranker).limit(HYBRID_DEPTH).select(['id']).toArray()).slice(0, k)),
      async close() {
        table.close();
        db.close();
      },
    };
  },
};
