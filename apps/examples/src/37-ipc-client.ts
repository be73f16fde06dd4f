// Server mode — the IPC client over sochdb-server's Unix socket
import { IpcClient } from '@sochdb/sdk';
import { startCli } from './lib/cli.js';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
// Start the IPC server:  sochdb-server --db ./my_database
// Stopped when the script ends (`await using`); nothing else refers to it.
await using _server = await startCli('sochdb-server', ['--db', dir.join('my_database'), '--log-level', 'error'], /listening on (\S+)/);

const client = await IpcClient.connect(dir.join('my_database', 'sochdb.sock'));

await client.put('key', 'value');
const value = await client.get('key');
console.log(value?.toString());
// Output: value

await client.close();
