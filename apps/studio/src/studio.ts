// startStudio: the API on @hono/node-server, on loopback unless asked otherwise, behind a token.
import type { AddressInfo, Server as NetServer } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { ConnectionError, isLoopback, ValidationError, type Database } from '@sochdb/sdk';
import type { StudioSource } from './source.js';
import { createStudioApp, studioSource } from './app.js';
import { newToken } from './auth.js';

/** What `startStudio` takes. */
export interface StudioOptions {
  /** The open database to show; the studio does not close it. Or give `source`. */
  readonly db?: Database;
  /** Where the data comes from instead of `db` (e.g. `grpcSource(client)`); the caller closes it. */
  readonly source?: StudioSource;
  /** Default 127.0.0.1. Anything beyond loopback needs `allowRemote`. */
  readonly host?: string;
  /** Default 0: a free port chosen by the system. */
  readonly port?: number;
  /** The access token; default a new random one (24 bytes, base64url). */
  readonly token?: string;
  /** Allow changes (KV put/delete, SQL writes, dead-letter retry and purge); default false. */
  readonly write?: boolean;
  /** Listen on a host beyond loopback (the token is then all that keeps others out); default false. */
  readonly allowRemote?: boolean;
}

/** A running studio. */
export interface RunningStudio {
  /** Where it listens, e.g. `http://127.0.0.1:53811` (no token). */
  readonly url: string;
  /** The token requests must carry (`authorization: Bearer …` or `?token=…`). */
  readonly token: string;
  /** Stops listening and ends open connections; the database stays open. */
  close(): Promise<void>;
}

/**
 * Starts the studio's API server on `db`.
 *
 * @example
 * ```ts
 * const db = await Database.open('./data/app');
 * const studio = await startStudio({ db });
 * console.log(`${studio.url}/?token=${studio.token}`);
 * await studio.close();
 * ```
 */
export async function startStudio(options: StudioOptions): Promise<RunningStudio> {
  const { host = '127.0.0.1', port = 0, write = false, allowRemote = false } = options;
  if (!allowRemote && !isLoopback(host)) {
    throw new ValidationError(`host '${host}' is beyond loopback: the studio would be reachable from other machines`, {
      field: 'host',
      remediation: 'Use 127.0.0.1 (the default), or pass allowRemote: true (--allow-remote) if you mean it.',
    });
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ValidationError(`port must be an integer 0–65535, got ${String(port)}`, { field: 'port' });
  const token = options.token ?? newToken();
  if (token.length < 16) throw new ValidationError('token must be at least 16 characters', { field: 'token' });
  const app = createStudioApp({ source: studioSource(options), token, write });
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
    // Every server type @hono/node-server makes is a net.Server: listen errors arrive there.
    const net: NetServer = s;
    net.once('error', (error: Error) => reject(new ConnectionError(`the studio cannot listen on ${host}:${port}: ${error.message}`, { cause: error })));
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    token,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would hold close() open until they time out.
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
