#!/usr/bin/env node
// sochdb-grpc-server: serves a SochDB database over gRPC (see README for the services).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DatabaseLockedError, SochDBError } from '@sochdb/core';
import { DEFAULT_MAX_MESSAGE_BYTES, SochDBClient } from '@sochdb/grpc-client';
import { checkAccess, type AccessVocabulary } from './auth.js';
import { createLogger, LOG_LEVELS, type LogLevel } from './logger.js';
import { startServer } from './server.js';

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer 0–65535');
  return n;
};

const positiveInteger = (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly db: string;
  readonly apiKey?: string;
  readonly insecure?: boolean;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly logLevel: LogLevel;
  readonly maxMessageBytes: number;
  readonly metricsPort?: number;
  readonly metricsHost: string;
  readonly metricsAllowRemote?: boolean;
  readonly mcpPort?: number;
  readonly mcpHost: string;
  readonly mcpAllowRemote?: boolean;
  readonly mcpNamespace: string;
  readonly mcpWrite?: boolean;
}

// The version of the installed package, read at run time: from dist/cli.js (or src/cli.ts) the
// package's own package.json is one folder up.
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const program = new Command('sochdb-grpc-server')
  .version(version, '-V, --version', 'print the version and exit')
  .description('Serve a SochDB database over gRPC (package sochdb.v1)')
  .enablePositionalOptions()
  .option('--host <host>', 'interface to listen on; anything but loopback exposes the database to the network', '127.0.0.1')
  .option('--port <port>', 'port to listen on (0 = any free port)', port, 50051)
  .option('--db <path>', "database folder (':memory:' for a throwaway one)", './sochdb_data')
  .addOption(new Option('--api-key <key>', 'require this key (authorization: Bearer <key>) on every call; wins over SOCHDB_API_KEY').env('SOCHDB_API_KEY'))
  .option('--insecure', 'allow --host beyond loopback without an API key (anyone who can reach the port can read and write the database)')
  .option('--tls-cert <path>', 'PEM certificate chain: serve TLS (needs --tls-key)')
  .option('--tls-key <path>', 'PEM private key for --tls-cert')
  .addOption(new Option('--log-level <level>', 'log verbosity (stderr)').choices(LOG_LEVELS).default('info'))
  .option('--max-message-bytes <n>', 'largest request or reply message', positiveInteger, DEFAULT_MAX_MESSAGE_BYTES)
  .option('--metrics-port <port>', 'serve Prometheus metrics on http://<metrics-host>:<port>/metrics (0 = any free port; off by default)', port)
  .option('--metrics-host <host>', 'interface of the metrics port; anything but loopback needs --metrics-allow-remote', '127.0.0.1')
  .option('--metrics-allow-remote', 'allow --metrics-host beyond loopback (the metrics have no authentication)')
  .option('--mcp-port <port>', 'serve the database to AI agents over MCP on http://<mcp-host>:<port>/mcp (0 = any free port; off by default)', port)
  .option('--mcp-host <host>', 'interface of the MCP port; anything but loopback needs --mcp-allow-remote', '127.0.0.1')
  .option('--mcp-allow-remote', 'allow --mcp-host beyond loopback (the MCP endpoint has no authentication; the API key does not cover it)')
  .option('--mcp-namespace <name>', 'the one namespace the MCP tools reach', 'default')
  .option('--mcp-write', 'register the MCP write tools (sql_execute, kv_put, collection_insert, queue_*, …); read-only otherwise')
  .action(async (opts: ServeOptions, command: Command) => {
    if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) fail('--tls-cert and --tls-key go together');
    const log = createLogger(opts.logLevel);
    const keySource = command.getOptionValueSource('apiKey'); // 'cli', 'env', or undefined when neither
    let running;
    try {
      // startServer checks this too, but in option names; here a refusal names the flag or variable.
      checkAccess({ host: opts.host, apiKey: opts.apiKey, insecure: opts.insecure }, cliVocabulary(keySource === 'env'));
      // Commander lets the flag win; say so when the two disagree, since clients configured from
      // the environment would be refused. Never the keys themselves: this goes to logs.
      const envKey = process.env.SOCHDB_API_KEY;
      if (keySource === 'cli' && envKey !== undefined && envKey !== opts.apiKey) log.warn('--api-key and SOCHDB_API_KEY differ; using --api-key');
      running = await startServer({
        host: opts.host,
        port: opts.port,
        db: opts.db,
        logger: log,
        maxMessageBytes: opts.maxMessageBytes,
        ...(opts.metricsPort === undefined
          ? {}
          : { metrics: { port: opts.metricsPort, host: opts.metricsHost, ...(opts.metricsAllowRemote === true ? { allowRemote: true } : {}) } }),
        ...(opts.mcpPort === undefined
          ? {}
          : {
              mcp: {
                port: opts.mcpPort,
                host: opts.mcpHost,
                namespace: opts.mcpNamespace,
                ...(opts.mcpAllowRemote === true ? { allowRemote: true } : {}),
                ...(opts.mcpWrite === true ? { allowWrites: true } : {}),
              },
            }),
        // `!== undefined`, not truthiness: an empty key must reach the check, not mean "no auth".
        ...(opts.apiKey !== undefined ? { apiKey: opts.apiKey } : {}),
        ...(opts.insecure === true ? { insecure: true } : {}),
        ...(opts.tlsCert && opts.tlsKey ? { tls: { cert: opts.tlsCert, key: opts.tlsKey } } : {}),
      });
    } catch (error) {
      if (error instanceof DatabaseLockedError) fail(`${opts.db} is held by another process; stop it first or connect to its server`);
      if (error instanceof SochDBError) fail(`${error.message}${error.remediation ? `\n${error.remediation}` : ''}`);
      fail(error instanceof Error ? error.message : String(error));
    }
    process.stdout.write(`listening on ${running.address}\n`);
    // Scripts (and tests) read the metrics address here, as they read the address above.
    if (running.metricsUrl) process.stdout.write(`metrics on ${running.metricsUrl}\n`);
    if (running.mcpUrl) process.stdout.write(`mcp on ${running.mcpUrl}\n`);
    const stop = (signal: string) => {
      log.info(`received ${signal}, finishing in-flight calls`);
      running.close().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error(`shutdown failed: ${String(error)}`);
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });

program
  .command('status')
  .description('Ask a server whether it is serving (grpc.health.v1); exit 0 if it is, 1 if not')
  .option('--host <host>', 'server host', '127.0.0.1')
  .option('--port <port>', 'server port', port, 50051)
  .option('--tls', 'connect with TLS (system roots)')
  .option('--tls-ca <path>', 'connect with TLS, trusting this PEM CA certificate (e.g. a self-signed server certificate)')
  .option('--timeout-ms <ms>', 'give up after this long', (v) => Number(v), 3000)
  .action(async (opts: { host: string; port: number; tls?: boolean; tlsCa?: string; timeoutMs: number }) => {
    const address = `${opts.host}:${opts.port}`;
    const tls = opts.tlsCa ? { tls: { ca: readFileSync(opts.tlsCa) } } : opts.tls ? { tls: true } : {};
    const client = new SochDBClient(address, { timeoutMs: opts.timeoutMs, ...tls });
    try {
      const ms = await client.ping();
      process.stdout.write(`serving at ${address} (${ms.toFixed(1)} ms)\n`);
    } catch (error) {
      process.stdout.write(`not serving at ${address}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    } finally {
      client.close();
    }
  });

/** The CLI's words for checkAccess's refusals; `fromEnv` when the key came from SOCHDB_API_KEY. */
function cliVocabulary(fromEnv: boolean): AccessVocabulary {
  return {
    apiKey: fromEnv ? 'SOCHDB_API_KEY' : '--api-key',
    dropKey: fromEnv ? 'unset it (unset SOCHDB_API_KEY)' : 'leave --api-key out',
    giveKey: '--api-key <key> or SOCHDB_API_KEY',
    loopbackHost: '--host 127.0.0.1',
    insecure: '--insecure',
  };
}

function fail(message: string): never {
  process.stderr.write(`sochdb-grpc-server: ${message}\n`);
  process.exit(1);
}

await program.parseAsync();
