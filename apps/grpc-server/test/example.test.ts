import { join } from 'node:path';
import { readmeIncludesExample, spawnTs, waitForExit } from '@sochdb/core/testing';
import { describe, expect, it } from 'vitest';
import { startCli } from './helpers.js';

const example = join(import.meta.dirname, '../examples/client.ts');

describe('examples/client.ts', () => {
  it('runs against a real server and prints what the README says', async () => {
    const server = await startCli(['--port', '0', '--db', ':memory:', '--log-level', 'error']);
    try {
      const run = await waitForExit(spawnTs(example, [server.address]));
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('kv: {"name": "Alice"} true');
      expect(run.stdout).toContain("nearest: doc_1 { source: 'web' }");
      expect(run.stdout).toContain("reachable: [ 'user_1', 'doc_1' ]");
      expect(run.stdout).toContain("sql: [ { body: 'hello over gRPC' } ]");
      expect(run.stdout).toMatch(/task: send email \{[^}]*completed: 1/);
    } finally {
      server.child.kill('SIGTERM');
      await server.exit;
    }
  });

  it('appears verbatim in the README', () => {
    expect(readmeIncludesExample(join(import.meta.dirname, '../README.md'), example)).toBe(true);
  });
});
