// SochDB main demo: a small retrieval-augmented generation (RAG) flow on the embedded default —
// a real LevelDB folder. Documents go into a vector collection with BM25 text, authors into SQL,
// a question is answered by hybrid search, the context is joined with SQL and rendered as TOON for
// the prompt, and a follow-up task goes through the durable queue. All in one process, one folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@sochdb/sdk';
import { embed, DIMENSION } from './embed.js';

const folder = mkdtempSync(join(tmpdir(), 'sochdb-demo-'));
const db = await Database.open(join(folder, 'db'));
console.log(`SochDB demo — database folder: ${join(folder, 'db')}\n`);

// 1. Key-value and a transaction.
await db.put('app:version', '1.0');
await db.transaction(async (txn) => {
  await txn.putPath('users/alice/email', 'alice@example.com');
  await txn.putPath('users/alice/role', 'researcher');
});
console.log('1. KV:', (await db.getPath('users/alice/email'))?.toString());

// 2. Authors in SQL.
await db.execute('CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, team TEXT)');
await db.execute("INSERT INTO authors VALUES (1, 'Ada', 'search'), (2, 'Grace', 'infra'), (3, 'Alan', 'ml')");
await db.execute('CREATE TABLE docs (id TEXT PRIMARY KEY, author_id INTEGER REFERENCES authors(id), year INTEGER)');

// 3. Documents in a vector collection (vector + BM25 text + metadata), inside a tenant namespace.
const tenant = await db.createNamespace({ name: 'acme', displayName: 'Acme Corp' });
const docs = await tenant.createCollection({ name: 'knowledge', dimension: DIMENSION, metric: 'cosine' });
const corpus = [
  { id: 'hnsw', author: 1, year: 2024, text: 'HNSW graphs give fast approximate nearest neighbor vector search' },
  { id: 'bm25', author: 1, year: 2023, text: 'BM25 ranks documents by keyword relevance with term frequency saturation' },
  { id: 'rrf', author: 3, year: 2024, text: 'Reciprocal rank fusion merges vector search and keyword search rankings' },
  { id: 'wal', author: 2, year: 2022, text: 'A write ahead log and group commit make durable transactions fast' },
  { id: 'lsm', author: 2, year: 2023, text: 'LevelDB is an LSM tree storage engine with snapshots and atomic batches' },
  { id: 'toon', author: 3, year: 2025, text: 'TOON puts tables into LLM prompts with far fewer tokens than JSON' },
];
for (const d of corpus) {
  await db.transaction(async (txn) => {
    await docs.insert({ id: d.id, vector: embed(d.text), content: d.text, metadata: { year: d.year } }, { txn: txn.core });
    await txn.execute('INSERT INTO docs VALUES (?, ?, ?)', [d.id, d.author, d.year]);
  });
}
console.log(`2. Indexed ${await docs.count()} documents (vectors + BM25) and their rows in SQL`);

// 4. Hybrid search (vector + keyword, reciprocal-rank fusion) with a metadata filter.
const question = 'how does hybrid keyword and vector search ranking work';
const hits = await docs.search({ vector: embed(question), textQuery: question, k: 3, alpha: 0.5, filter: { year: { $gte: 2023 } } });
console.log(`3. Question: "${question}"`);
for (const h of hits) console.log(`   ${h.id.padEnd(5)} score ${h.score.toFixed(4)}`);

// 5. Join the hits with SQL and render the context as TOON for the prompt.
const ids = hits.map((h) => h.id);
const { rows } = await db.execute(
  `SELECT d.id, a.name AS author, a.team, d.year FROM docs d JOIN authors a ON a.id = d.author_id WHERE d.id IN (${ids.map(() => '?').join(', ')}) ORDER BY d.year DESC`,
  ids,
);
const context = rows.map((r) => ({ ...r, text: corpus.find((c) => c.id === r.id)!.text }));
const toon = Database.toToon('context', context, ['id', 'author', 'team', 'year', 'text']);
const json = JSON.stringify(context, null, 2);
console.log(`4. Prompt context as TOON (${toon.length} chars vs ${json.length} as pretty JSON):\n   ${toon}`);

// 6. A follow-up task through the durable priority queue.
const queue = db.queue('followups', { visibilityTimeoutMs: 30_000, maxAttempts: 3 });
await queue.enqueue({ priority: 1, payload: Buffer.from(JSON.stringify({ notify: 'alice', about: ids })) });
const task = await queue.dequeue({ workerId: 'worker-1' });
console.log(`5. Queue: claimed task ${task?.taskId.slice(0, 8)}… payload ${task?.payload.toString()}`);
if (task) await queue.ack(task.taskId);

// 7. Who wrote what, as a graph.
for (const id of [1, 2, 3]) await db.graphAddNode({ namespace: 'acme', nodeId: `author:${id}`, nodeType: 'author' });
for (const d of corpus) {
  await db.graphAddNode({ namespace: 'acme', nodeId: d.id, nodeType: 'document', properties: { year: d.year } });
  await db.graphAddEdge({ namespace: 'acme', fromId: `author:${d.author}`, edgeType: 'WROTE', toId: d.id });
}
const written = await db.graphNeighbors({ namespace: 'acme', nodeId: 'author:3', direction: 'out', edgeType: 'WROTE' });
console.log(`6. Graph: author 3 wrote ${written.map((n) => n.node.id).join(', ')}`);

const lsn = await db.checkpoint();
const stats = await db.stats();
console.log(`7. Checkpoint at LSN ${lsn}; ${stats.keysCount} keys, ${stats.transactionsCommitted} transactions committed`);
await db.close();
rmSync(folder, { recursive: true, force: true });
console.log('\nDone.');
