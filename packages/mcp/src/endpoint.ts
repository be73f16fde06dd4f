// Where an HTTP endpoint may listen: checked by serveHttp, and by a server before it opens
// anything (its --mcp-* flags), so a refused host leaves no database or socket behind.
import { isLoopback, ValidationError } from '@sochdb/sdk';
import { resolveOptions } from './options.js';

/** Where `serveHttp` listens, and what a server's `--mcp-*` flags ask for. */
export interface McpEndpointOptions {
  /** Port (0: any free port). */
  readonly port?: number;
  /** Interface (default '127.0.0.1': only this machine can connect). */
  readonly host?: string;
  /**
   * Listen beyond loopback (anything but 127.0.0.0/8, ::1 or localhost), on purpose: the endpoint
   * has no authentication, so whoever reaches it gets the namespace. Default false.
   */
  readonly allowRemote?: boolean;
  /** The namespace served (default 'default'). */
  readonly namespace?: string;
  /** Register the write tools (default false). */
  readonly allowWrites?: boolean;
}

/** An endpoint's settings once checked. */
export interface CheckedMcpEndpoint {
  /** The port to listen on (0: any free port). */
  readonly port: number;
  /** The interface, unbracketed (`::1`), `localhost` lower-cased. */
  readonly host: string;
  /** The namespace served. */
  readonly namespace: string;
  /** Whether the write tools are registered. */
  readonly allowWrites: boolean;
  /** True when it listens beyond loopback (allowed with `allowRemote`): say so in the log. */
  readonly remote: boolean;
}

/**
 * A port 0–65535, a non-empty host, a valid namespace, and loopback unless `allowRemote` is
 * exactly true. Throws a ValidationError naming the field (InvalidNamespaceNameError for the
 * namespace).
 */
export function checkMcpEndpoint(options: McpEndpointOptions): CheckedMcpEndpoint {
  const host: unknown = options?.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.trim() === '') throw new ValidationError('the MCP host must name an interface, such as 127.0.0.1', { field: 'mcpHost' });
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ValidationError(`the MCP port must be an integer 0–65535, got ${String(port)}`, { field: 'mcpPort' });
  const { namespace, allowWrites } = resolveOptions({ namespace: options.namespace ?? 'default', allowWrites: options.allowWrites === true });
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const remote = !isLoopback(bare);
  if (remote && options.allowRemote !== true) {
    throw new ValidationError(`refusing to serve MCP on ${host}: the endpoint has no authentication and hands the namespace to whoever reaches it`, {
      field: 'mcpHost',
      remediation:
        'Serve it on 127.0.0.1 (the default) for agents on this machine, or allow another host on purpose (allowRemote, --mcp-allow-remote) behind a proxy that authenticates.',
    });
  }
  return { port, host: bare.toLowerCase() === 'localhost' ? 'localhost' : bare, namespace, allowWrites, remote };
}

/** How a server's log names an endpoint: its URL, namespace and mode. */
export function describeMcpEndpoint(url: string, endpoint: CheckedMcpEndpoint): string {
  return `mcp on ${url} (namespace '${endpoint.namespace}', ${endpoint.allowWrites ? 'writes enabled' : 'read-only'})`;
}
