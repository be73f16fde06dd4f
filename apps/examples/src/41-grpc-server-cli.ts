// CLI tools — sochdb-grpc-server: start, status, and a vector index over gRPC
import { SochDBClient } from '@sochdb/sdk';
import { randomVectors } from './lib/embed.js';
import { runCli, startCli } from './lib/cli.js';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();

// Start the gRPC server:  sochdb-grpc-server --host 127.0.0.1 --port 50051 --db ./grpc_db
await using server = await startCli(
  'sochdb-grpc-server',
  ['--host', '127.0.0.1', '--port', '0', '--db', dir.join('grpc_db'), '--log-level', 'error'],
  /listening on 127\.0\.0\.1:(\d+)/,
);
const port = server.ready[1]!;

// Check status:  sochdb-grpc-server status --port 50051
const status = await runCli('sochdb-grpc-server', ['status', '--port', port]);
process.stdout.write(status.stdout.replace(/\(\d+(\.\d+)? ms\)/, '(… ms)'));

const client = new SochDBClient(`127.0.0.1:${port}`);

// Create an index: a collection (in a namespace) with HNSW settings
await client.createNamespace('default');
const info = await client.createCollection('default', { name: 'my_index', dimension: 768, metric: 'cosine', m: 16, efConstruction: 200, efSearch: 50 });
console.log(`Created: ${info.name}`);
const vectors = randomVectors(100, 768);
await client.insertBatch({
  namespace: 'default',
  collection: 'my_index',
  ids: Array.from({ length: 100 }, (_, i) => `vec_${i}`),
  vectors: Array.from({ length: 100 }, (_, i) => vectors.subarray(i * 768, (i + 1) * 768)),
});

// Search (VectorIndexService.Search)
const query = randomVectors(1, 768, 7);
for (const result of await client.vectorSearch({ namespace: 'default', collection: 'my_index', query, k: 10 })) {
  console.log(`ID: ${result.id}, Distance: ${result.distance?.toFixed(4)}`);
}
client.close();
