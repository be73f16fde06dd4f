#!/usr/bin/env node
// sochdb-studio <db>: opens a database folder, starts the studio's API on it and prints the URL
// with its token; stops cleanly (server, then database) on SIGINT or SIGTERM.
import { Command, InvalidArgumentError } from 'commander';
import { Database, SochDBError } from '@sochdb/sdk';
import { startStudio } from './studio.js';

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
}

const program = new Command('sochdb-studio')
  .description('Start SochDB Studio (its API) on a database folder: loopback only, behind a random token, read-only unless --write')
  .argument('<db>', 'database folder')
  .option('--port <n>', 'port (0: a free one)', port, 0)
  .option('--host <host>', 'host to listen on', '127.0.0.1')
  .option('--write', 'allow changes (KV edits, SQL writes, dead-letter retry and purge)', false)
  .option('--allow-remote', 'allow a host beyond loopback', false)
  .option('--concurrent', 'open with Database.openConcurrent (share the folder with other processes)', false)
  .action(async (path: string, options: CliOptions) => {
    const db = options.concurrent ? await Database.openConcurrent(path) : await Database.open(path, { createIfMissing: false });
    const running = await startStudio({ db, host: options.host, port: options.port, write: options.write, allowRemote: options.allowRemote }).catch(
      async (error: unknown) => {
        await db.close();
        throw error;
      },
    );
    process.stdout.write(`SochDB Studio on ${db.path}${options.write ? ' (write mode)' : ' (read-only)'}\n${running.url}/?token=${running.token}\n`);
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      void (async () => {
        await running.close();
        await db.close();
        process.stderr.write(`stopped (${signal})\n`);
        process.exit(0);
      })();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program.parseAsync().catch((error: unknown) => {
  const message =
    error instanceof SochDBError ? `${error.name} (${error.code}): ${error.message}${error.remediation ? `\n${error.remediation}` : ''}` : String(error);
  process.stderr.write(`sochdb-studio: ${message}\n`);
  process.exit(1);
});
