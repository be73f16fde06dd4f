// sochdb-grpc-server with --mcp-port: the database the server holds open, served to an MCP client
// (the official SDK's, over streamable HTTP) while gRPC clients use it, and closed on SIGTERM.
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';
import { SochDBClient, ValidationError } from '@sochdb/sdk';
import { afterAll, expect, it } from 'vitest';
import { startServer } from '../src/index.js';
import { CLI, cliOutcome, logLines, rejection } from './helpers.js';

const dir = makeTempDir('sochdb-grpc-mcp-');
afterAll(() => dir.cleanup());

/** Starts the CLI; resolves with its gRPC address and MCP URL once it printed both. */
async function startWithMcp(args: readonly string[]): Promise<{ child: ChildProcess; exit: ReturnType<typeof waitForExit>; address: string; url: string }> {
  const child = spawnTs(CLI, args);
  const exit = waitForExit(child);
  const { address, url } = await new Promise<{ address: string; url: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const listening = /listening on (\S+)/.exec(out);
      const mcp = /mcp on (\S+)/.exec(out);
      if (listening && mcp) resolve({ address: listening[1]!, url: mcp[1]! });
    });
    void exit.then((r) => reject(new Error(`server exited (${r.code}): ${r.stderr}`)));
  });
  return { child, exit, address, url };
}

async function connectMcp(url: string): Promise<Client> {
  const client = new Client({ name: 'sochdb-grpc-server-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

async function callText(client: Client, name: string, args: Record<string, unknown>): Promise<{ text: string; isError: boolean }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const first = result.content[0];
  return { text: first?.type === 'text' ? first.text : '', isError: result.isError === true };
}

/** Resolves with the connect error's code (ECONNREFUSED once nothing listens), or 'open'. */
function probe(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? String(error)));
  });
}

it('serves one namespace of the open database read-only over MCP on loopback, and closes it on SIGTERM', async () => {
  const { child, exit, address, url } = await startWithMcp(['--port', '0', '--db', join(dir.path, 'db'), '--mcp-port', '0', '--mcp-namespace', 'tenant']);
  try {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = new SochDBClient(address);
    const mcp = await connectMcp(url);
    try {
      await client.createNamespace('tenant');
      await client.putKv('tenant', 'policy/refunds', 'within 30 days');
      await client.putKv('', 'root-only', 'not in the namespace');

      const tools = (await mcp.listTools()).tools.map((t) => t.name);
      expect(tools).toEqual(expect.arrayContaining(['kv_get', 'kv_scan', 'sql_query', 'context_build']));
      for (const write of ['kv_put', 'kv_delete', 'sql_execute', 'collection_insert', 'queue_enqueue']) expect(tools).not.toContain(write);
      // What the gRPC client wrote a moment ago, in the namespace the endpoint was started for only.
      expect(await callText(mcp, 'kv_get', { key: 'policy/refunds' })).toEqual({ text: 'within 30 days', isError: false });
      expect((await callText(mcp, 'kv_get', { key: 'root-only' })).text).not.toContain('not in the namespace');
    } finally {
      client.close();
      child.kill('SIGTERM');
    }
    // SIGTERM with the MCP session still open: the endpoint goes, then the database.
    const { code, stderr } = await exit;
    expect(code).toBe(0);
    expect(await probe(url)).toBe('ECONNREFUSED');
    await mcp.close().catch(() => undefined);
    expect(logLines(stderr)).toContainEqual(expect.objectContaining({ level: 'info', msg: `mcp on ${url} (namespace 'tenant', read-only)` }));
  } finally {
    child.kill('SIGKILL');
  }
});

it('registers the write tools with --mcp-write: what an agent writes, gRPC clients read', async () => {
  const { child, exit, address, url } = await startWithMcp(['--port', '0', '--db', join(dir.path, 'write'), '--mcp-port', '0', '--mcp-write']);
  try {
    const client = new SochDBClient(address);
    const mcp = await connectMcp(url);
    try {
      const tools = (await mcp.listTools()).tools.map((t) => t.name);
      expect(tools).toEqual(expect.arrayContaining(['kv_get', 'kv_put', 'sql_execute', 'collection_insert', 'queue_enqueue']));
      expect(await callText(mcp, 'kv_put', { key: 'note', value: 'from the agent' })).toMatchObject({ isError: false });
      expect((await client.getKv('default', 'note'))?.toString()).toBe('from the agent');
      await mcp.close();
    } finally {
      client.close();
      child.kill('SIGTERM');
    }
    expect((await exit).code).toBe(0);
  } finally {
    child.kill('SIGKILL');
  }
});

it('refuses --mcp-host beyond loopback without --mcp-allow-remote, with a clear message', async () => {
  const { code, stderr, listening } = await cliOutcome(['--port', '0', '--db', join(dir.path, 'refused'), '--mcp-port', '0', '--mcp-host', '0.0.0.0']);
  expect(listening).toBe(false);
  expect(code).toBe(1);
  expect(stderr).toContain('refusing to serve MCP on 0.0.0.0');
  expect(stderr).toContain('--mcp-allow-remote');
  // The same from code, before anything is opened: another server can open the folder.
  const db = join(dir.path, 'refused-in-process');
  const refused = await rejection(startServer({ port: 0, db, logLevel: 'silent', mcp: { port: 0, host: '0.0.0.0' } }));
  expect(refused).toBeInstanceOf(ValidationError);
  expect(refused.message).toContain('refusing to serve MCP on 0.0.0.0');
  const server = await startServer({ port: 0, db, logLevel: 'silent' });
  await server.close();
});
