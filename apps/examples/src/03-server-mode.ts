// Architecture — server mode: a thin gRPC client of sochdb-grpc-server
import { SochDBClient } from '@sochdb/sdk';
import { startCli } from './lib/cli.js';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
// In production: `sochdb-grpc-server --db ./data --port 50051`. Here port 0 picks a free port.
await using server = await startCli('sochdb-grpc-server', ['--db', dir.join('data'), '--port', '0', '--log-level', 'error'], /listening on (\S+)/);
const address = server.ready[1]!; // e.g. 127.0.0.1:50051

// Connect to the server
const client = new SochDBClient(address);
await client.putKv('namespace', 'key', 'value');
const value = await client.getKv('namespace', 'key');
console.log(`value: ${value?.toString()}`);
client.close();
