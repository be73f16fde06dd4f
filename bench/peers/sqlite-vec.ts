// SQLite through better-sqlite3 with sqlite-vec (a `vec0` table: exact, brute-force KNN with the
// bucket as a metadata column it filters on) and FTS5 (BM25) for the text. Hybrid is both
// rankings fused in JS by RRF, as SochDB fuses them.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { HYBRID_DEPTH, importPeer, rrf, type OpenPeer, type PeerEngine } from './engine.js';
import { bucketOf, DIM, FILTER_BUCKETS, rowVector, type Documents } from './workload.js';

// better-sqlite3 (the repo's own dev dependency, untyped here) and sqlite-vec, as far as used.
interface Statement {
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  pluck(): Statement;
}
interface SqliteDatabase {
  prepare(sql: string): Statement;
  exec(sql: string): void;
  pragma(sql: string): unknown;
  transaction(fn: () => void): () => void;
  close(): void;
}
interface SqliteVec {
  load(db: SqliteDatabase): void;
}
const BetterSqlite = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => SqliteDatabase;

const file = (folder: string): string => join(folder, 'docs.sqlite');
const bytes = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
/** FTS5 query syntax: each word quoted, any of them matching (SochDB's keyword search is OR too). */
const anyWord = (text: string): string =>
  text
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `"${w.replaceAll('"', '""')}"`)
    .join(' OR ');

async function openDb(path: string): Promise<SqliteDatabase> {
  const db = new BetterSqlite(path);
  (await importPeer<SqliteVec>('sqlite-vec')).load(db);
  return db;
}

export const sqliteVec: PeerEngine = {
  async build(docs: Documents, folder: string): Promise<void> {
    const db = await openDb(file(folder));
    db.pragma('journal_mode = WAL');
    db.exec(`CREATE VIRTUAL TABLE vecs USING vec0(embedding float[${DIM}] distance_metric=cosine, bucket integer);
             CREATE VIRTUAL TABLE texts USING fts5(body);
             CREATE TABLE meta (id INTEGER PRIMARY KEY, bucket INTEGER, year INTEGER);`);
    const vec = db.prepare('INSERT INTO vecs (rowid, embedding, bucket) VALUES (?, ?, ?)');
    const text = db.prepare('INSERT INTO texts (rowid, body) VALUES (?, ?)');
    const meta = db.prepare('INSERT INTO meta (id, bucket, year) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < docs.n; i++) {
        vec.run(BigInt(i), bytes(rowVector(docs, i)), BigInt(bucketOf(i)));
        text.run(BigInt(i), docs.texts[i]!);
        meta.run(i, bucketOf(i), docs.years[i]!);
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
  },

  async open(folder: string): Promise<OpenPeer> {
    const db = await openDb(file(folder));
    const knn = db.prepare('SELECT rowid FROM vecs WHERE embedding MATCH ? AND k = ?').pluck();
    const knnFiltered = db.prepare('SELECT rowid FROM vecs WHERE embedding MATCH ? AND k = ? AND bucket < ?').pluck();
    const bm25 = db.prepare('SELECT rowid FROM texts WHERE texts MATCH ? ORDER BY rank LIMIT ?').pluck();
    const vector = (q: Float32Array, k: number): number[] => (knn.all(bytes(q), k) as number[]).map(Number);
    const keyword = (text: string, k: number): number[] => (bm25.all(anyWord(text), k) as number[]).map(Number);
    return {
      vector: async (q, k) => vector(q, k),
      filtered: async (q, k) => (knnFiltered.all(bytes(q), k, FILTER_BUCKETS) as number[]).map(Number),
      keyword: async (text, k) => keyword(text, k),
      hybrid: async (q, text, k) => rrf(vector(q, HYBRID_DEPTH), keyword(text, HYBRID_DEPTH), k),
      async close() {
        db.close();
      },
    };
  },
};
