// Server mode — the gRPC client: key-value, vector search and graph on a remote server
import { SochDBClient } from '@sochdb/sdk';
import { startCli } from './lib/cli.js';
import { embed } from './lib/embed.js';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
// `sochdb-grpc-server --db <folder> --port 50051`; port 0 here picks a free one.
await using server = await startCli('sochdb-grpc-server', ['--db', dir.join('grpc_db'), '--port', '0', '--log-level', 'error'], /listening on (\S+)/);

// Connect to the gRPC server
const client = new SochDBClient(server.ready[1]);

// Key-value operations
await client.putKv('my_namespace', 'user:123', '{"name": "Alice"}');
const value = await client.getKv('my_namespace', 'user:123');
console.log(value?.toString());

// Vector search (the collection is created and filled over gRPC too)
await client.createNamespace('my_namespace');
await client.createCollection('my_namespace', { name: 'documents', dimension: 384 });
await client.insertBatch({
  namespace: 'my_namespace',
  collection: 'documents',
  ids: ['doc_a', 'doc_b'],
  vectors: [embed('vector databases'), embed('cooking pasta')],
});
const results = await client.vectorSearch({
  namespace: 'my_namespace',
  collection: 'documents',
  query: embed('a database for vectors'),
  k: 10,
});
console.log(`Nearest document: ${results[0]?.id}`);

// Graph operations
const node = await client.addGraphNode({
  namespace: 'agent',
  nodeId: 'user_1',
  nodeType: 'User',
  properties: { name: 'Alice' },
});
console.log(`Graph node: ${node.id} (${node.type})`);

client.close();
