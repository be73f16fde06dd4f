// serveHttp: the server over MCP's streamable HTTP transport, on loopback by default. Each client
// session gets its own McpServer and transport (an McpServer serves one connection); sessions are
// found again by the `mcp-session-id` header the transport hands out at initialization.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ConnectionError, isLoopback, type Database } from '@sochdb/sdk';
import { checkMcpEndpoint, type McpEndpointOptions } from './endpoint.js';
import { resolveOptions, type McpServerOptions } from './options.js';
import { createMcpServer } from './server.js';

/** `serveHttp`'s options: the server's, and where to listen (see McpEndpointOptions). */
export interface HttpServeOptions extends McpServerOptions, Omit<McpEndpointOptions, 'namespace' | 'allowWrites'> {}

/** A listening HTTP server. */
export interface HttpServer {
  /** The endpoint clients connect to, e.g. `http://127.0.0.1:50123/mcp`. */
  readonly url: string;
  /** Ends every session and stops listening (the database stays open: it is the caller's). */
  close(): Promise<void>;
}

interface Session {
  readonly server: McpServer;
  readonly transport: StreamableHTTPServerTransport;
}

/**
 * Serves `db` over streamable HTTP at `<url>` (path `/mcp`). On loopback (the default) requests
 * must name the loopback host, which shields the server from DNS-rebinding pages in a browser.
 *
 * @example
 * ```ts
 * const { url, close } = await serveHttp(db, { namespace: 'tenant_a', port: 8808 });
 * console.error(`MCP server at ${url}`);
 * ```
 */
export async function serveHttp(db: Database, options: HttpServeOptions): Promise<HttpServer> {
  // Checked before listening: bad options must not leave a port open.
  resolveOptions(options);
  const { host, port: requestedPort } = checkMcpEndpoint(options);
  const sessions = new Map<string, Session>();
  let allowedHosts: string[] | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') {
      res.writeHead(404).end('not found: the MCP endpoint is /mcp');
      return;
    }
    const header = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(header) ? header[0] : header;
    const existing = sessionId === undefined ? undefined : sessions.get(sessionId);
    if (existing) return existing.transport.handleRequest(req, res);
    if (sessionId !== undefined) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
      return;
    }
    // No session yet: this must be an initialize request; the transport itself refuses anything else.
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, { server, transport }),
      onsessionclosed: (id) => void sessions.delete(id),
      ...(allowedHosts === undefined ? {} : { enableDnsRebindingProtection: true, allowedHosts }),
    });
    const server = createMcpServer(db, options);
    transport.onclose = () => {
      if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res);
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A failure here is the transport's own (a tool's failure is a tool result): answer, log, keep serving.
      process.stderr.write(`sochdb mcp: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (error) =>
      reject(
        new ConnectionError(`cannot serve MCP on ${host}:${requestedPort}: ${error.message}`, {
          cause: error,
          remediation: 'Pick another port (0 = any free one), or stop the process that uses it.',
        }),
      ),
    );
    http.listen(requestedPort, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  if (isLoopback(host)) allowedHosts = [`${hostPart}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`];
  return {
    url: `http://${hostPart}:${port}/mcp`,
    close: async () => {
      for (const { server } of [...sessions.values()]) await server.close();
      sessions.clear();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
