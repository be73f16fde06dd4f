// Server mode — sochdb-server's runtime metrics through IpcClient.stats()
import { IpcClient } from '@sochdb/sdk';
import { startCli } from './lib/cli.js';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
// Stopped when the script ends (`await using`); nothing else refers to it.
await using _server = await startCli('sochdb-server', ['--db', dir.join('my_database'), '--log-level', 'error'], /listening on (\S+)/);

await using client = await IpcClient.connect(dir.join('my_database', 'sochdb.sock'));
await client.put('key', 'value');
const stats = await client.stats();
const metrics = [
  'connectionsActive',
  'connectionsTotal',
  'requestsSuccess',
  'requestsError',
  'bytesReceived',
  'bytesSent',
  'uptimeSecs',
  'activeTransactions',
] as const;
// stats() returns the server's JSON untyped: every metric printed below is checked to be a number.
const reportsAll = (s: Record<string, unknown>): s is Record<(typeof metrics)[number], number> => metrics.every((m) => typeof s[m] === 'number');
if (!reportsAll(stats)) throw new Error(`this sochdb-server does not report ${metrics.filter((m) => typeof stats[m] !== 'number').join(', ')}`);

console.log(`Connections: ${stats.connectionsActive}/${stats.connectionsTotal}`);
console.log(`Requests: ${stats.requestsSuccess} success, ${stats.requestsError} errors`);
console.log(`Throughput: ${stats.bytesReceived} bytes in, ${stats.bytesSent} bytes out`);
console.log(`Uptime: ${stats.uptimeSecs} seconds`);
console.log(`Active transactions: ${stats.activeTransactions}`);
