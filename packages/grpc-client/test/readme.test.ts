// The README example, run against a real sochdb-grpc-server (the app in this repository).
import { join } from 'node:path';
import { readmeIncludesExample, spawnTs, waitForExit } from '@sochdb/core/testing';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const example = join(root, 'examples', 'client.ts');
const serverCli = join(root, '..', '..', 'apps', 'grpc-server', 'src', 'cli.ts');
const OUTPUT = `kv: hello null
nearest: a { topic: 'db' }
sql: [ { body: 'hello over gRPC' } ]
task: welcome true
unreachable: true
`;

it('the README example is the example file, and against a real server it prints what the README shows', async () => {
  expect(readmeIncludesExample(join(root, 'README.md'), example)).toBe(true);
  const server = spawnTs(serverCli, ['--port', '0', '--db', ':memory:', '--log-level', 'error']);
  const exit = waitForExit(server);
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /listening on (\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      void exit.then((r) => reject(new Error(`server exited (${r.code}) before listening: ${r.stderr}`)));
    });
    const { code, stdout, stderr } = await waitForExit(spawnTs(example, [address]));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(OUTPUT);
  } finally {
    server.kill('SIGTERM');
    await exit;
  }
});
