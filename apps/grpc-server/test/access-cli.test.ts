import { AuthenticationError, SochDBClient } from '@sochdb/sdk';
import { describe, it } from 'vitest';
import { cliOutcome, logLines, rejection, startCli } from './helpers.js';

// The child inherits this process's environment; a key set in the shell that runs the tests must
// not decide what these cases see. (spawn leaves out variables whose value is undefined.)
const NO_KEY = { SOCHDB_API_KEY: undefined };
const MEMORY = ['--port', '0', '--db', ':memory:'];

// Each case is its own process (about a second of start-up each, mostly loading the sources), so
// they run side by side. Whitespace-only and other malformed keys go through the same check as
// an empty one; access.test.ts covers them in-process.
describe.concurrent('sochdb-grpc-server never serves without auth by accident (real process)', () => {
  it('refuses an empty SOCHDB_API_KEY (an unset secret in a deploy script) and says to set or unset it', async ({ expect }) => {
    const run = await cliOutcome(MEMORY, { SOCHDB_API_KEY: '' });
    expect(run.listening).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('SOCHDB_API_KEY is empty');
    expect(run.stderr).toContain('Set SOCHDB_API_KEY to the key clients must send, or unset it');
  });

  it('refuses an empty --api-key, even with a key in SOCHDB_API_KEY: the flag wins, and never falls back', async ({ expect }) => {
    const run = await cliOutcome([...MEMORY, '--api-key='], { SOCHDB_API_KEY: 'from-env' });
    expect(run.listening).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--api-key is empty or only whitespace');
    expect(run.stderr).toContain('leave --api-key out');
  });

  it('refuses --host beyond loopback without a key, naming the ways out', async ({ expect }) => {
    const run = await cliOutcome([...MEMORY, '--host', '0.0.0.0'], NO_KEY);
    expect(run.listening).toBe(false);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('refusing to listen on 0.0.0.0 without an API key');
    expect(run.stderr).toContain('--insecure');
    expect(run.stderr).toContain('SOCHDB_API_KEY');
  });

  it('serves beyond loopback without a key with --insecure, and warns on stderr', async ({ expect }) => {
    const server = await startCli([...MEMORY, '--host', '0.0.0.0', '--insecure'], NO_KEY);
    const client = new SochDBClient(`127.0.0.1:${server.port}`);
    try {
      expect(await client.getKv('', 'k')).toBeNull();
    } finally {
      client.close();
      server.child.kill('SIGTERM');
    }
    const { code, stderr } = await server.exit;
    expect(code).toBe(0);
    expect(logLines(stderr)).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/^serving 0\.0\.0\.0:\d+ without an API key \(insecure\)/) }),
    );
  });

  it('serves on loopback without a key, with no warning (local development)', async ({ expect }) => {
    const server = await startCli(MEMORY, NO_KEY);
    const client = new SochDBClient(server.address);
    try {
      expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(await client.getKv('', 'k')).toBeNull();
    } finally {
      client.close();
      server.child.kill('SIGTERM');
    }
    const { code, stderr } = await server.exit;
    expect(code).toBe(0);
    // The log is on, so a warning would show.
    expect(logLines(stderr)).toContainEqual(expect.objectContaining({ level: 'info', msg: expect.stringMatching(/^serving :memory:/) }));
    expect(logLines(stderr).filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('--api-key wins over a different SOCHDB_API_KEY, with a warning', async ({ expect }) => {
    const server = await startCli([...MEMORY, '--api-key', 'from-flag'], { SOCHDB_API_KEY: 'from-env' });
    const flagKey = new SochDBClient(server.address, { apiKey: 'from-flag' });
    const envKey = new SochDBClient(server.address, { apiKey: 'from-env' });
    try {
      expect(await flagKey.getKv('', 'k')).toBeNull();
      expect(await rejection(envKey.getKv('', 'k'))).toBeInstanceOf(AuthenticationError);
    } finally {
      flagKey.close();
      envKey.close();
      server.child.kill('SIGTERM');
    }
    const { stderr } = await server.exit;
    expect(logLines(stderr)).toContainEqual(expect.objectContaining({ level: 'warn', msg: '--api-key and SOCHDB_API_KEY differ; using --api-key' }));
    expect(stderr).not.toContain('from-'); // never the keys themselves
  });
});
