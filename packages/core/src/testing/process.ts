import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * Starts `node` on a TypeScript file (via tsx, resolving @sochdb/* packages of this repository to
 * their source) as a real child process — for crash, lock and multi-process tests. tsx is an
 * optional peer dependency of @sochdb/core: install it beside your tests to use this.
 */
export function spawnTs(file: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
  let tsx: string;
  try {
    tsx = require.resolve('tsx');
  } catch (error) {
    throw new Error('spawnTs runs TypeScript files with tsx, which is not installed: npm install --save-dev tsx', { cause: error });
  }
  return spawn(process.execPath, ['--conditions=sochdb-source', '--import', tsx, file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
}

/** Resolves with the exit code (or signal) and the collected output of a child process. */
export function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
