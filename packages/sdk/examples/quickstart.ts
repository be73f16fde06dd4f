import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, PluginRegistry, TriggerAbort, TriggerEvent } from '@sochdb/sdk';

await using db = await Database.open(join(mkdtempSync(join(tmpdir(), 'sochdb-')), 'db'));

// Key-value, paths and one transaction across KV and SQL.
await db.put('user:123', '{"name":"Alice","age":30}');
console.log((await db.get('user:123'))?.toString());
await db.transaction(async (txn) => {
  await txn.execute('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, age INTEGER)');
  await txn.execute("INSERT INTO users VALUES (1, 'Alice', 30), (2, 'Bob', 25)");
  await txn.put('user:1:metadata', '{"verified":true}');
});
const { rows } = await db.execute('SELECT name, age FROM users WHERE age > ? ORDER BY age', [20]);
console.log(Database.toToon('users', rows, ['name', 'age']));

// A tenant namespace with a vector collection, searched by vector, keyword and both.
const ns = await db.createNamespace({ name: 'tenant_123', displayName: 'Acme Corp' });
const docs = await ns.createCollection({ name: 'documents', dimension: 3, metric: 'cosine' });
await docs.insertBatch({
  ids: ['doc_1', 'doc_2', 'doc_3'],
  vectors: [[1, 0, 0], [0.9, 0.1, 0], [0, 0, 1]],
  contents: ['neural networks learn', 'deep learning with neural nets', 'cooking pasta'],
  metadatas: [{ source: 'web' }, { source: 'paper' }, { source: 'web' }],
});
console.log((await docs.hybridSearch([1, 0, 0], 'neural networks', 2)).map((r) => r.id));
console.log((await docs.search({ vector: [1, 0, 0], k: 5, filter: { source: 'web' } })).map((r) => r.id));

// Triggers: a plugin validates SQL inserts; an abort writes nothing.
const plugins = new PluginRegistry();
plugins.register({
  name: 'age_check',
  triggers: { users: [TriggerEvent.BEFORE_INSERT] },
  onBeforeInsert(row) {
    if (typeof row.age === 'number' && row.age < 0) throw new TriggerAbort('Age cannot be negative', 'INVALID_AGE');
    return row;
  },
});
db.usePlugins(plugins);
await db.execute("INSERT INTO users VALUES (3, 'Eve', -1)").catch((e: TriggerAbort) => console.log(e.abortCode));

// Queue and graph on the same database.
const queue = db.queue('tasks');
await queue.enqueue({ priority: 1, payload: Buffer.from('send welcome email') });
const task = await queue.dequeue({ workerId: 'worker-1' });
console.log(task?.payload.toString(), await queue.ack(task!.taskId));
for (const nodeId of ['alice', 'bob']) await db.graphAddNode({ namespace: 'tenant_123', nodeId, nodeType: 'person' });
await db.graphAddEdge({ namespace: 'tenant_123', fromId: 'alice', edgeType: 'KNOWS', toId: 'bob' });
console.log((await db.graphTraverse({ namespace: 'tenant_123', startNode: 'alice', maxDepth: 2 })).map((n) => n.id));
