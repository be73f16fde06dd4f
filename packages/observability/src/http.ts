import { createServer, type Server } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { ConnectionError, ValidationError, isLoopback } from '@sochdb/core';
import type { Registry } from 'prom-client';

/** Options of `serveMetrics`. */
export interface ServeMetricsOptions {
  /** What GET /metrics renders. */
  readonly registry: Registry;
  /** Port to listen on; 0 picks a free one (reported as `port`). */
  readonly port: number;
  /** Interface to listen on (default 127.0.0.1: this machine only). */
  readonly host?: string;
  /**
   * Listen beyond loopback (anything but 127.0.0.0/8, ::1 or localhost), on purpose: the metrics
   * name queues and collections and have no authentication. Default false: such a host is refused.
   */
  readonly allowRemote?: boolean;
}

/** A running metrics endpoint, from `serveMetrics`. */
export interface MetricsServer extends AsyncDisposable {
  /** The interface it listens on (without brackets for IPv6). */
  readonly host: string;
  /** The bound port (the chosen one when started with port 0). */
  readonly port: number;
  /** `http://host:port/metrics`. */
  readonly url: string;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * The checks `serveMetrics` makes before binding, for a server to make before it opens anything:
 * a non-empty host, a port 0–65535, and loopback unless `allowRemote` is exactly true. Throws a
 * ValidationError naming what is wrong.
 */
export function checkMetricsAccess(options: Pick<ServeMetricsOptions, 'port' | 'host' | 'allowRemote'>): void {
  const requested: unknown = options.host ?? '127.0.0.1';
  if (typeof requested !== 'string' || requested.trim() === '') {
    throw new ValidationError('metrics host must name an interface, such as 127.0.0.1', { field: 'host' });
  }
  const port = options.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ValidationError(`metrics port must be an integer 0–65535, got ${String(port)}`, { field: 'port' });
  }
  if (!isLoopback(requested) && options.allowRemote !== true) {
    throw new ValidationError(`refusing to serve metrics on ${requested}: they have no authentication and name your queues and collections`, {
      field: 'host',
      remediation:
        'Serve them on loopback (127.0.0.1) and let a local agent scrape them, or allow a remote host on purpose (allowRemote: true, --metrics-allow-remote).',
    });
  }
}

/**
 * An HTTP server for Prometheus: `GET /metrics` answers the registry's text exposition (with its
 * Content-Type); anything else is a 404. Loopback only unless `allowRemote` is true; the
 * settings are checked (ValidationError) before anything is bound.
 *
 * @example
 * ```ts
 * const http = await serveMetrics({ registry: metrics.registry, port: 9464 });
 * console.log(`metrics on ${http.url}`);
 * await http.close();
 * ```
 */
export async function serveMetrics(options: ServeMetricsOptions): Promise<MetricsServer> {
  checkMetricsAccess(options);
  const { port } = options;
  const requested = options.host ?? '127.0.0.1';
  const host = requested.startsWith('[') && requested.endsWith(']') ? requested.slice(1, -1) : requested;
  const { registry } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found: GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error: unknown) => {
        res
          .writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
          .end(`cannot collect metrics: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw new ConnectionError(`cannot serve metrics on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
      remediation: 'Pick another --metrics-port (0 = any free one), or stop the process that uses it.',
    });
  }
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${isIP(host) === 6 ? `[${host}]` : host}:${bound}/metrics`;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  return { host, port: bound, url, close, [Symbol.asyncDispose]: close };
}
