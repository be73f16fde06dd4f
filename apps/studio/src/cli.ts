#!/usr/bin/env node
// sochdb-studio <db>: the studio on a database folder (see run.ts; `sochdb studio <db>` is the same).
import { Command, InvalidArgumentError } from 'commander';
import { SochDBError } from '@sochdb/sdk';
import { runStudio } from './run.js';

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer 0–65535');
  return n;
};

interface CliOptions {
  readonly port: number;
  readonly host: string;
  readonly write: boolean;
  readonly allowRemote: boolean;
  readonly concurrent: boolean;
  readonly grpc?: string;
  readonly apiKey?: string;
  readonly tls: boolean;
  readonly tlsCa?: string;
  readonly queue: readonly string[];
}

const collect = (value: string, previous: readonly string[]): readonly string[] => [...previous, value];

const program = new Command('sochdb-studio')
  .description('Start SochDB Studio (its API) on a database folder or a gRPC server: loopback only, behind a random token, read-only unless --write')
  .argument('[db]', 'database folder (or --grpc)')
  .option('--port <n>', 'port (0: a free one)', port, 0)
  .option('--host <host>', 'host to listen on', '127.0.0.1')
  .option('--write', 'allow changes (KV edits, SQL writes, dead-letter retry and purge)', false)
  .option('--allow-remote', 'allow a host beyond loopback', false)
  .option(
    '--concurrent',
    'open with Database.openConcurrent (share the folder with other processes; a folder another such process holds is opened through its socket without it)',
    false,
  )
  .option('--grpc <host:port>', 'show a running sochdb-grpc-server instead of a folder')
  .option('--api-key <key>', 'API key of the gRPC server (default: $SOCHDB_API_KEY)')
  .option('--tls', 'TLS to the gRPC server, with the system roots', false)
  .option('--tls-ca <file>', 'PEM of the CA that signed the gRPC server certificate (implies --tls)')
  .option('--queue <name>', 'a queue of the gRPC server to show (repeatable: the server cannot list them)', collect, [])
  .action((path: string | undefined, options: CliOptions) => runStudio(path, options));

program.parseAsync().catch((error: unknown) => {
  const message =
    error instanceof SochDBError ? `${error.name} (${error.code}): ${error.message}${error.remediation ? `\n${error.remediation}` : ''}` : String(error);
  process.stderr.write(`sochdb-studio: ${message}\n`);
  process.exit(1);
});
