// Server mode — sochdb-server: start, status, stop
import { runCli, startCli, type CliResult } from './lib/cli.js';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
const db = dir.join('my_database');
// `status` exits 1 when no server runs; anything on stderr without an answer is a real failure.
const answered = (result: CliResult) => {
  if (result.stdout === '') throw new Error(`sochdb-server exited with ${result.code}: ${result.stderr}`);
  return result.stdout;
};

// Start the server (with the guide's production settings):
//   sochdb-server --db ./my_database --max-clients 500 --timeout-ms 60000 --log-level info
await using server = await startCli(
  'sochdb-server',
  ['--db', db, '--max-clients', '500', '--timeout-ms', '60000', '--log-level', 'error'],
  /listening on (\S+) \(pid (\d+)\)/,
);
console.log(`[Server] Listening on ${server.ready[1]} (PID: ${server.ready[2]})`);

// Check whether it is running:  sochdb-server status --db ./my_database
const status = await runCli('sochdb-server', ['status', '--db', db]);
process.stdout.write(answered(status));

// Stop it gracefully:  sochdb-server stop --db ./my_database
const stopped = await runCli('sochdb-server', ['stop', '--db', db]);
process.stdout.write(answered(stopped));
await server.stop();

const after = await runCli('sochdb-server', ['status', '--db', db]);
process.stdout.write(answered(after));
