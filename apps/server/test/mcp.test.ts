// sochdb-server with --mcp-port: the database the server holds open, served to an MCP client
// (the official SDK's, over streamable HTTP) while socket clients use it, and closed on stop.
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect, it } from 'vitest';
import { ValidationError } from '@sochdb/core';
import { IpcClient } from '@sochdb/ipc';
import { Database } from '@sochdb/sdk';
import { makeTempDir, spawnTs, waitForExit } from '@sochdb/core/testing';
import { serve } from '../src/serve.js';

const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');

/** Reads the server's stdout until its `mcp on <url>` line. */
async function mcpUrlOf(server: ChildProcess): Promise<string> {
  for await (const line of createInterface({ input: server.stdout! })) {
    const match = /mcp on (\S+)/.exec(line);
    if (match) return match[1]!;
  }
  throw new Error('the server exited without printing its MCP address');
}

async function connectMcp(url: string): Promise<Client> {
  const client = new Client({ name: 'sochdb-server-test', version: '1.0.0' });
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

it('serves the open database read-only over MCP on loopback, beside the socket, and closes it on stop', async () => {
  const dir = makeTempDir('sochdb-server-mcp-');
  const db = join(dir.path, 'db');
  const server = spawnTs(cli, ['--db', db, '--mcp-port', '0']);
  const exited = waitForExit(server);
  try {
    const url = await mcpUrlOf(server);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    await using socket = await IpcClient.connect(join(db, 'sochdb.sock'));
    await socket.executeSql('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    await socket.executeSql("INSERT INTO notes (body) VALUES ('from the socket')");

    const mcp = await connectMcp(url);
    const tools = (await mcp.listTools()).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['sql_query', 'kv_get', 'collection_search', 'context_build']));
    for (const write of ['sql_execute', 'kv_put', 'kv_delete', 'collection_insert', 'queue_enqueue']) expect(tools).not.toContain(write);

    // The tables socket clients made (namespace 'default' is db.executeSql's keyspace), live.
    expect(await callText(mcp, 'sql_query', { sql: 'SELECT id, body FROM notes' })).toEqual({
      text: expect.stringContaining('from the socket'),
      isError: false,
    });
    await socket.executeSql("INSERT INTO notes (body) VALUES ('written later')");
    expect((await callText(mcp, 'sql_query', { sql: 'SELECT body FROM notes ORDER BY id' })).text).toContain('written later');
    const refused = await callText(mcp, 'sql_query', { sql: 'DELETE FROM notes' });
    expect(refused.isError).toBe(true);
    expect(refused.text).toContain('read-only');

    // `stop` with the MCP session still open: the endpoint goes, then the database.
    await socket.close();
    const stop = await waitForExit(spawnTs(cli, ['stop', '--db', db]));
    expect(stop.stdout).toMatch(/stopped \(pid \d+\)/);
    const { code, stderr } = await exited;
    expect(code).toBe(0);
    expect(await probe(url)).toBe('ECONNREFUSED');
    await mcp.close().catch(() => undefined);
    const lines = stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: `mcp on ${url} (namespace 'default', read-only)` }));

    await using reopened = await Database.open(db); // nothing holds the folder
    expect((await reopened.execute('SELECT COUNT(*) AS n FROM notes')).rows).toEqual([{ n: 2 }]);
  } finally {
    server.kill('SIGKILL');
    dir.cleanup();
  }
});

it('registers the write tools with --mcp-write: what an agent writes, socket clients read', async () => {
  const dir = makeTempDir('sochdb-server-mcp-write-');
  const db = join(dir.path, 'db');
  const server = spawnTs(cli, ['--db', db, '--mcp-port', '0', '--mcp-write', '--log-level', 'warn']);
  const exited = waitForExit(server);
  try {
    const mcp = await connectMcp(await mcpUrlOf(server));
    const tools = (await mcp.listTools()).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['sql_query', 'sql_execute', 'kv_put', 'collection_insert', 'queue_enqueue']));
    expect(await callText(mcp, 'sql_execute', { sql: 'CREATE TABLE agent_notes (id INTEGER PRIMARY KEY, body TEXT)' })).toMatchObject({ isError: false });
    expect(await callText(mcp, 'sql_execute', { sql: 'INSERT INTO agent_notes (body) VALUES (?)', params: ['from the agent'] })).toMatchObject({
      isError: false,
    });
    await using socket = await IpcClient.connect(join(db, 'sochdb.sock'));
    expect(await socket.executeSql('SELECT body FROM agent_notes')).toMatchObject({ rows: [{ body: 'from the agent' }] });
    await socket.close();
    await mcp.close();
    server.kill('SIGTERM');
    expect((await exited).code).toBe(0);
  } finally {
    server.kill('SIGKILL');
    dir.cleanup();
  }
});

it('refuses --mcp-host beyond loopback without --mcp-allow-remote, and a bad --mcp-namespace, before opening anything', async () => {
  const dir = makeTempDir('sochdb-server-mcp-refused-');
  const db = join(dir.path, 'db');
  try {
    const [remote, namespace] = await Promise.all([
      waitForExit(spawnTs(cli, ['--db', db, '--mcp-port', '0', '--mcp-host', '0.0.0.0'])),
      waitForExit(spawnTs(cli, ['--db', db, '--mcp-port', '0', '--mcp-namespace', 'a:b'])),
    ]);
    expect(remote.code).toBe(1);
    expect(remote.stderr).toContain('refusing to serve MCP on 0.0.0.0');
    expect(remote.stderr).toContain('--mcp-allow-remote');
    expect(namespace.code).toBe(1);
    expect(namespace.stderr).toContain('InvalidNamespaceNameError');
    expect(existsSync(join(db, 'sochdb.sock'))).toBe(false);
    expect(existsSync(join(db, 'sochdb-server.pid'))).toBe(false);
    // The same from code; the folder is left free.
    const refused = await serve({ db, mcpPort: 0, mcpHost: '0.0.0.0', logLevel: 'silent' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).remediation).toContain('--mcp-allow-remote');
    await using reopened = await Database.open(db);
    expect(reopened.path).toBeTruthy();
  } finally {
    dir.cleanup();
  }
});
