// `sochdb mcp`: the command line around @sochdb/mcp's stdio server. The protocol itself (every
// tool, with the SDK's own client) is tested in packages/mcp/test/stdio.test.ts, which spawns
// this same CLI; here: the JSON-RPC lines a client sees on stdout, stderr-only logging, the exit
// when the client hangs up, and the failures before serving.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTs, waitForExit } from '@sochdb/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, withDb } from './helpers.js';

let dir: string;
let folder: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sochdb-cli-mcp-'));
  folder = join(dir, 'db');
  await withDb(folder, async (db) => {
    await (await db.createNamespace('default')).put('greeting', 'hello');
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Collects stdout lines until `count` JSON-RPC responses have arrived. */
function responses(stdout: NodeJS.ReadableStream, count: number): Promise<Record<string, unknown>[]> {
  return new Promise((resolve) => {
    let buffered = '';
    const seen: Record<string, unknown>[] = [];
    stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        // Every stdout line must be one JSON-RPC message: JSON.parse throws on anything else.
        seen.push(JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>);
        buffered = buffered.slice(newline + 1);
      }
      if (seen.length >= count) resolve(seen);
    });
  });
}

describe('sochdb mcp', () => {
  it('speaks JSON-RPC on stdout only, logs on stderr, and exits 0 when the client closes stdin', async () => {
    const child = spawnTs(cli, ['mcp', folder], { stdio: ['pipe', 'pipe', 'pipe'] });
    const replies = responses(child.stdout!, 3);
    const exit = waitForExit(child);
    const send = (message: object) => child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/list' });
    send({ id: 3, method: 'tools/call', params: { name: 'kv_get', arguments: { key: 'greeting' } } });
    const [init, list, get] = await replies;
    child.stdin!.end();
    const { code, stderr } = await exit;
    expect(code, stderr).toBe(0);
    expect(init).toMatchObject({ id: 1, result: { serverInfo: { name: 'sochdb' } } });
    const names = (list as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name);
    expect(names).toContain('sql_query');
    expect(names).not.toContain('sql_execute');
    expect(get).toMatchObject({ id: 3, result: { content: [{ type: 'text', text: 'hello' }] } });
    expect(stderr).toContain('sochdb mcp: serving');
    expect(stderr).toContain('client disconnected, database closed');
  });

  it('fails before serving: a missing folder (never created), a bad namespace', async () => {
    const missing = join(dir, 'nope');
    // Both at once: each start-up is most of the time.
    const [r1, r2] = await Promise.all([waitForExit(spawnTs(cli, ['mcp', missing])), waitForExit(spawnTs(cli, ['mcp', folder, '--namespace', 'bad/name']))]);
    expect(r1.code).toBe(1);
    expect(r1.stdout).toBe('');
    expect(r1.stderr).toMatch(/^sochdb: DatabaseError \(9003\): no database at/);
    expect(r2.code).toBe(1);
    expect(r2.stdout).toBe('');
    expect(r2.stderr).toMatch(/^sochdb: InvalidNamespaceNameError \(\d+\): invalid namespace name "bad\/name"/);
  });

  it('is listed in --help', async () => {
    const { stdout } = await waitForExit(spawnTs(cli, ['mcp', '--help']));
    expect(stdout).toMatch(/Usage: sochdb mcp \[options\] <db>/);
    expect(stdout).toContain('--namespace <name>');
    expect(stdout).toContain('--write');
  });
});
