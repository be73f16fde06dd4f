#!/usr/bin/env node
// sochdb-server: serves a SochDB database folder on a Unix socket (see README for the protocol).
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DatabaseLockedError, SochDBError } from '@sochdb/core';
import { LOG_LEVELS } from '@sochdb/observability';
import { isRunning, readPidFile, removePidFile } from './pidfile.js';
import { serve, type ServeOptions } from './serve.js';

const int = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
};

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer 0–65535');
  return n;
};

// The version of the installed package, read at run time: from dist/cli.js (or src/cli.ts) the
// package's own package.json is one folder up.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const program = new Command('sochdb-server')
  .version(version, '-V, --version', 'print the version and exit')
  .description('Serve a SochDB database over a Unix domain socket');

// `serve` is the default command, so `sochdb-server --db ./my_database` starts the server while
// `status` and `stop` keep their own `--db`.
program
  .command('serve', { isDefault: true })
  .description('Serve the database (the default command)')
  .requiredOption('--db <path>', 'database folder')
  .option('--socket <path>', 'socket path (default <db>/sochdb.sock)')
  .option('--max-clients <n>', 'maximum concurrent connections', int('--max-clients'), 100)
  .option('--timeout-ms <ms>', 'close connections idle this long (0 = never)', int('--timeout-ms'), 30000)
  .option(
    '--frame-timeout-ms <ms>',
    'close a connection whose request frame is not whole this long after its first byte (0 = never)',
    int('--frame-timeout-ms'),
    10000,
  )
  .option('--max-frame-bytes <n>', 'largest request frame accepted', int('--max-frame-bytes'), 16 * 1024 * 1024)
  .option('--max-txns-per-connection <n>', 'open transactions one connection may hold (0 = no limit)', int('--max-txns-per-connection'), 64)
  .option('--txn-idle-timeout-ms <ms>', 'abort a transaction with no request this long (0 = never)', int('--txn-idle-timeout-ms'), 60000)
  .addOption(new Option('--log-level <level>', 'verbosity of the JSON log lines on stderr').choices(LOG_LEVELS).default('info'))
  .option('--metrics-port <port>', 'serve Prometheus metrics on http://<metrics-host>:<port>/metrics (0 = any free port; off by default)', port)
  .option('--metrics-host <host>', 'interface of the metrics port; anything but loopback needs --metrics-allow-remote', '127.0.0.1')
  .option('--metrics-allow-remote', 'allow --metrics-host beyond loopback (the metrics have no authentication)')
  .option('--mcp-port <port>', 'serve the database to AI agents over MCP on http://<mcp-host>:<port>/mcp (0 = any free port; off by default)', port)
  .option('--mcp-host <host>', 'interface of the MCP port; anything but loopback needs --mcp-allow-remote', '127.0.0.1')
  .option('--mcp-allow-remote', 'allow --mcp-host beyond loopback (the MCP endpoint has no authentication)')
  .option('--mcp-namespace <name>', 'the one namespace the MCP tools reach', 'default')
  .option(
    '--studio-port <port>',
    'serve SochDB Studio (the web UI) on http://127.0.0.1:<port>/ behind a printed token (0 = any free port; off by default)',
    port,
  )
  .option('--studio-write', 'let the studio change data (KV edits, SQL writes, dead-letter retry and purge); read-only otherwise')
  .option('--mcp-write', 'register the MCP write tools (sql_execute, kv_put, collection_insert, queue_*, …); read-only otherwise')
  .action(async (opts: ServeOptions) => {
    let running;
    try {
      running = await serve({ ...opts });
    } catch (error) {
      if (error instanceof DatabaseLockedError) {
        const info = readPidFile(opts.db);
        fail(`${opts.db} is held by another process${info && isRunning(info.pid) ? ` (sochdb-server pid ${info.pid})` : ''}; stop it first or use that server`);
      }
      throw error;
    }
    process.stdout.write(`sochdb-server listening on ${running.socketPath} (pid ${process.pid})\n`);
    // Scripts (and tests) read the metrics address here, as they read the socket above.
    if (running.metricsUrl) process.stdout.write(`sochdb-server metrics on ${running.metricsUrl}\n`);
    if (running.mcpUrl) process.stdout.write(`sochdb-server mcp on ${running.mcpUrl}\n`);
    if (running.studioUrl) process.stdout.write(`sochdb-server studio on ${running.studioUrl}\n`);
    const shutdown = async (signal: string) => {
      running.logger.info(`received ${signal}, stopping`);
      await running.stop();
      process.exit(0);
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));
  });

program
  .command('status')
  .description('Print whether a server is running for a database')
  .requiredOption('--db <path>', 'database folder')
  .action((opts: { db: string }) => {
    const info = readPidFile(opts.db);
    if (!info || !isRunning(info.pid)) {
      process.stdout.write(`not running (${opts.db})\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`running\npid: ${info.pid}\nsocket: ${info.socket}\ndb: ${info.db}\nstarted: ${info.startedAt}\n`);
  });

program
  .command('stop')
  .description('Stop the server of a database gracefully')
  .requiredOption('--db <path>', 'database folder')
  .option('--wait-ms <ms>', 'how long to wait for it to exit', int('--wait-ms'), 10000)
  .action(async (opts: { db: string; waitMs: number }) => {
    const info = readPidFile(opts.db);
    if (!info || !isRunning(info.pid)) {
      removePidFile(opts.db);
      process.stdout.write('not running\n');
      return;
    }
    process.kill(info.pid, 'SIGTERM');
    const deadline = Date.now() + opts.waitMs;
    // A graceful stop removes the pid file as its last step: that, or the process being gone
    // (or a zombie), means it has stopped.
    while (isRunning(info.pid) && readPidFile(opts.db)?.pid === info.pid) {
      if (Date.now() > deadline) fail(`server pid ${info.pid} did not stop within ${opts.waitMs} ms`);
      await sleep(25);
    }
    process.stdout.write(`stopped (pid ${info.pid})\n`);
  });

function fail(message: string): never {
  process.stderr.write(`sochdb-server: ${message}\n`);
  process.exit(1);
}

try {
  await program.parseAsync();
} catch (error) {
  fail(error instanceof SochDBError ? `${error.name} (${error.code}): ${error.message}${error.remediation ? `\n${error.remediation}` : ''}` : String(error));
}
