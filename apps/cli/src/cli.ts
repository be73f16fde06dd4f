#!/usr/bin/env node
// sochdb: one command line for a SochDB database — backup and restore, import and export,
// stats and inspect, and the interactive shell. Every command takes the database folder first,
// prints for people by default and one JSON document with --json, and on failure prints one line
// naming the error's class and code (SochDBError's stable codes) and exits with status 1.
import { createRequire } from 'node:module';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { BackupFlags } from './backup.js';
import type { ExportFlags } from './export-command.js';
import type { ImportFlags } from './import-command.js';
import type { McpFlags } from './mcp-command.js';
import type { StudioCommandOptions } from '@sochdb/studio';

const portNumber = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer 0–65535');
  return n;
};
const positiveInt = (flag: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${flag} must be a positive integer`);
  return n;
};

// The installed package's version, read at run time: from dist/cli.js (or src/cli.ts) the
// package's own package.json is one folder up.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

// Each command's module (and with it the SDK, most of a run's start-up time) is loaded only when
// that command runs: --version, --help and flag errors answer at once.
type JsonFlag = { readonly json?: boolean };

const program = new Command('sochdb')
  .version(version, '-V, --version', 'print the version and exit')
  .description('Command line for a SochDB database: backup, restore, import, export, stats, inspect, shell, mcp, studio')
  .showHelpAfterError();

const json = () => new Option('--json', 'print one JSON document on stdout');
const quiet = () => new Option('--quiet', 'no progress bar');

program
  .command('backup')
  .description('Copy the database, as of one commit, into a new folder (while it stays usable)')
  .argument('<db>', 'database folder')
  .argument('<dest>', 'new folder to write the backup to (must not exist)')
  .addOption(json())
  .addOption(quiet())
  .action(async (db: string, dest: string, flags: BackupFlags) => (await import('./backup.js')).backupCommand(db, dest, flags));

program
  .command('restore')
  .description('Make a new database folder from a backup')
  .argument('<backup>', 'backup folder written by `sochdb backup`')
  .argument('<dest>', 'new database folder (must not exist)')
  .addOption(json())
  .action(async (backup: string, dest: string, flags: JsonFlag) => (await import('./backup.js')).restoreCommand(backup, dest, flags));

program
  .command('stats')
  .description("The database's storage counters (db.stats())")
  .argument('<db>', 'database folder')
  .addOption(json())
  .action(async (db: string, flags: JsonFlag) => (await import('./stats.js')).statsCommand(db, flags));

program
  .command('inspect')
  .description('What the database holds: namespaces and collections, SQL tables, KV key counts')
  .argument('<db>', 'database folder')
  .addOption(json())
  .action(async (db: string, flags: JsonFlag) => (await import('./inspect.js')).inspectCommand(db, flags));

program
  .command('export')
  .description('Stream one SQL table, KV prefix, collection or queue to a file or stdout')
  .argument('<db>', 'database folder')
  .option('--table <name>', 'a SQL table (JSON Lines or CSV)')
  .option('--kv <prefix>', "the KV pairs whose key starts with <prefix> ('' for all), as JSON Lines")
  .option('--collection <ns/name>', "a collection's documents as JSON Lines")
  .option('--queue <name>', "a queue's tasks, in any state, as JSON Lines")
  .option('--vectors <file.npy>', 'with --collection: write the vectors to this .npy file (row i for line i) instead of into the lines')
  .addOption(new Option('--format <format>', 'for --table (default: by --out extension, else jsonl)').choices(['jsonl', 'csv']))
  .option('--namespace <ns>', "with --kv: the namespace's KV instead of the database's")
  .option('--out <file>', 'write to this file instead of stdout')
  .addOption(new Option('--json', 'print the summary (not the data) as one JSON document'))
  .addOption(new Option('--quiet', 'no summary line'))
  .action(async (db: string, flags: ExportFlags) => (await import('./export-command.js')).exportCommand(db, flags));

program
  .command('import')
  .description('Load JSON Lines or CSV into one SQL table, KV keyspace, collection or queue (atomic unless --batch)')
  .argument('<db>', 'database folder (created if missing)')
  .option('--table <name>', 'an existing SQL table (JSON Lines objects, or CSV with a header row)')
  .option('--kv [prefix]', 'KV pairs as `export --kv` writes them; a prefix, if given, every key must start with')
  .option('--collection <ns/name>', 'a collection (created if missing) from `export --collection` lines')
  .option('--queue <name>', 'a queue: `export --queue` lines enqueued as new pending tasks')
  .option('--vectors <file.npy>', 'with --collection: the vectors, row i for line i (lines then have no "vector")')
  .option('--in <file>', 'read this file instead of stdin')
  .addOption(new Option('--format <format>', 'for --table (default: by --in extension, else jsonl)').choices(['jsonl', 'csv']))
  .option('--batch <n>', 'commit every n records instead of all in one transaction', positiveInt('--batch'))
  .option('--namespace <ns>', "with --kv: the namespace's KV (created if missing)")
  .option('--dimension <n>', 'with --collection: dimension of a collection to create', positiveInt('--dimension'))
  .addOption(new Option('--metric <metric>', 'with --collection: metric of a collection to create').choices(['cosine', 'euclidean', 'dot_product']))
  .addOption(json())
  .addOption(quiet())
  .action(async (db: string, flags: ImportFlags) => (await import('./import-command.js')).importCommand(db, flags));

program
  .command('mcp')
  .description('Serve the database to AI agents as a Model Context Protocol server on stdio (read-only unless --write)')
  .argument('<db>', 'database folder')
  .option('--namespace <name>', "the one namespace the server reaches (default 'default')")
  .option('--write', 'also register the write tools (SQL writes, KV put/delete, inserts, queue claims)')
  .action(async (db: string, flags: McpFlags) => (await import('./mcp-command.js')).mcpCommand(db, flags));

program
  .command('studio')
  .description('Start SochDB Studio on the database (or a gRPC server): loopback only, behind a random token printed in its URL, read-only unless --write')
  .argument('[db]', 'database folder (or --grpc)')
  .option('--port <n>', 'port (0: a free one)', portNumber, 0)
  .option('--host <host>', 'host to listen on', '127.0.0.1')
  .option('--write', 'allow changes (KV edits, SQL writes, dead-letter retry and purge)')
  .option('--allow-remote', 'allow a host beyond loopback (anyone who reaches it and has the token gets the database)')
  .option('--concurrent', 'open with Database.openConcurrent (share the folder with other processes)')
  .option('--grpc <host:port>', 'show a running sochdb-grpc-server instead of a folder')
  .option('--api-key <key>', 'API key of the gRPC server (default: $SOCHDB_API_KEY)')
  .option('--tls', 'TLS to the gRPC server, with the system roots')
  .option('--tls-ca <file>', 'PEM of the CA that signed the gRPC server certificate (implies --tls)')
  .option(
    '--queue <name>',
    'a queue of the gRPC server to show (repeatable: the server cannot list them)',
    (value: string, previous: readonly string[] = []) => [...previous, value],
  )
  .action(async (db: string | undefined, flags: StudioCommandOptions) => (await import('@sochdb/studio')).runStudio(db, flags));

program
  .command('shell')
  .description('Interactive shell on the database (SQL and dot-commands)')
  .argument('<db>', 'database folder')
  .action(async (db: string) => (await import('./shell-command.js')).shellCommand(db));

try {
  await program.parseAsync();
} catch (error) {
  const { describeFailure, failureReport } = await import('./failure.js');
  const { toJson } = await import('./json.js');
  // The reader of stdout went away (`sochdb export … | head`): that is how such a pipe ends, not a failure.
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') process.exit(0);
  process.stderr.write(`sochdb: ${describeFailure(error)}\n`);
  // With --json a script reads stdout: it gets the failure as its one JSON document too.
  if (process.argv.includes('--json')) process.stdout.write(`${toJson(failureReport(error))}\n`);
  // exit() rather than exitCode: a failure must never hang on a handle left open (stdin, a
  // socket). stdout and stderr are synchronous for files, TTYs and (on Linux) pipes.
  process.exit(1);
}
