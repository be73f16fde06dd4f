// Start a server first:  sochdb-grpc-server --db ./my_db --port 50051
// then run this with its address:  npx tsx examples/client.ts localhost:50051
import { PriorityQueue, SochDBClient } from '@sochdb/sdk';

const client = new SochDBClient(process.argv[2] ?? 'localhost:50051', { apiKey: process.env.SOCHDB_API_KEY });

// Key-value, per namespace ('' is the database's root KV). A missing key is null.
await client.putKv('my_namespace', 'user:123', '{"name": "Alice"}');
console.log('kv:', (await client.getKv('my_namespace', 'user:123'))?.toString(), (await client.getKv('my_namespace', 'nope')) === null);

// Collections and vector search.
await client.createNamespace({ name: 'my_namespace', displayName: 'Demo' });
await client.createCollection('my_namespace', { name: 'documents', dimension: 3, metric: 'cosine' });
await client.insert({ namespace: 'my_namespace', collection: 'documents', id: 'doc_1', vector: [0.1, 0.2, 0.3], metadata: { source: 'web' } });
await client.insert({ namespace: 'my_namespace', collection: 'documents', id: 'doc_2', vector: [0.3, 0.2, 0.1], metadata: { source: 'book' } });
const hits = await client.vectorSearch({ namespace: 'my_namespace', collection: 'documents', query: [0.1, 0.2, 0.25], k: 1 });
console.log('nearest:', hits[0]?.id, hits[0]?.metadata);

// Graph.
await client.addGraphNode({ namespace: 'agent', nodeId: 'user_1', nodeType: 'User', properties: { name: 'Alice' } });
await client.addGraphNode({ namespace: 'agent', nodeId: 'doc_1', nodeType: 'Document' });
await client.addGraphEdge({ namespace: 'agent', fromId: 'user_1', edgeType: 'WROTE', toId: 'doc_1' });
console.log('reachable:', (await client.traverse({ namespace: 'agent', startNode: 'user_1', maxDepth: 2 })).map((n) => n.id));

// SQL.
await client.executeSql('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)');
await client.executeSql('INSERT INTO notes (body) VALUES (?)', ['hello over gRPC']);
console.log('sql:', (await client.executeSql('SELECT body FROM notes')).rows);

// The server's durable queue, with the whole PriorityQueue API.
const queue = PriorityQueue.fromClient(client, 'tasks');
await queue.enqueue({ priority: 1, payload: 'send email', metadata: { source: 'api' } });
const task = await queue.dequeue({ workerId: 'worker-1' });
if (task) await queue.ack(task);
console.log('task:', task?.payload.toString(), await queue.stats());

client.close();
