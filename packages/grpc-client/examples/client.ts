// Start a server first:  sochdb-grpc-server --db ./my_db --port 50051
// then run this with its address:  npx tsx examples/client.ts localhost:50051
import { ConnectionError } from '@sochdb/core';
import { SochDBClient } from '@sochdb/grpc-client';

// Creating a client loads grpc-js and the protos; it connects on the first call.
await using client = new SochDBClient(process.argv[2] ?? 'localhost:50051', { apiKey: process.env.SOCHDB_API_KEY });

// Key-value by namespace ('' is the database's root KV); a missing key is null.
await client.putKv('', 'greeting', 'hello');
console.log('kv:', (await client.getKv('', 'greeting'))?.toString(), await client.getKv('', 'missing'));

// A namespace, a collection and a vector search.
await client.createNamespace({ name: 'docs' });
await client.createCollection('docs', { name: 'articles', dimension: 2 });
await client.insert({ namespace: 'docs', collection: 'articles', id: 'a', vector: [1, 0], metadata: { topic: 'db' } });
await client.insert({ namespace: 'docs', collection: 'articles', id: 'b', vector: [0, 1], metadata: { topic: 'ml' } });
const [hit] = await client.vectorSearch({ namespace: 'docs', collection: 'articles', query: [0.9, 0.1], k: 1 });
console.log('nearest:', hit?.id, hit?.metadata);

// SQL, and the server's durable queue with the whole PriorityQueue API.
await client.executeSql('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)');
await client.executeSql('INSERT INTO notes (body) VALUES (?)', ['hello over gRPC']);
console.log('sql:', (await client.executeSql('SELECT body FROM notes')).rows);
const queue = client.queue('emails');
await queue.enqueue({ priority: 1, payload: 'welcome' });
const task = await queue.dequeue({ workerId: 'w1' });
console.log('task:', task?.payload.toString(), await queue.ack(task!));

// Failures are the server's SochDBError classes; an unreachable server is a ConnectionError.
await using nowhere = new SochDBClient('127.0.0.1:1', { timeoutMs: 2000 });
console.log('unreachable:', await nowhere.getKv('', 'k').catch((e: unknown) => e instanceof ConnectionError));
