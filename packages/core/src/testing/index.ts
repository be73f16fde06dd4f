// Test helpers shared by every SochDB package's tests (imported as `@sochdb/core/testing`).
// They run the real thing: real LevelDB folders in temp dirs and real child processes.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export { makeTempDir, levelFactory, memoryFactory, persistentFactory, storageFactories, usePersistentFactory, type StorageFactory } from './factories.js';
export { describeStorageConformance } from './storage-suite.js';
export { describeTransactionConformance } from './transaction-suite.js';
export { describeCommitFeedConformance } from './commit-feed-suite.js';

const require = createRequire(import.meta.url);

/**
 * Starts `node` on a TypeScript file of this repo (via tsx, resolving @sochdb/* packages to their
 * source) as a real child process — for crash, lock and multi-process tests.
 */
export function spawnTs(file: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
  const tsx = require.resolve('tsx');
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

/** The example's code as it must appear, verbatim, inside a fenced block of the README. */
export function readmeIncludesExample(readmePath: string, examplePath: string): boolean {
  const normalize = (text: string) => text.replace(/\r\n/g, '\n').trim();
  return normalize(readFileSync(readmePath, 'utf8')).includes(normalize(readFileSync(examplePath, 'utf8')));
}
