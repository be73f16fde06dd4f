// Test helpers shared by every SochDB package's tests (imported as `@sochdb/core/testing`).
// They run the real thing: real LevelDB folders in temp dirs and real child processes.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { DatabaseConfigInput } from '../config.js';
import { LevelStorage } from '../storage/level-storage.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { Storage } from '../storage/types.js';

/** A fresh private temp folder; `cleanup()` removes it. */
export function makeTempDir(prefix = 'sochdb-test-'): { readonly path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** The two Storage backends, so a suite can run once per backend. */
export interface StorageFactory {
  readonly name: 'level' | 'memory';
  open(config?: DatabaseConfigInput): Promise<Storage>;
  /** Reopens the same data (LevelDB) — undefined for memory, which does not persist. */
  readonly persistent: boolean;
  cleanup(): void;
}

export function levelFactory(): StorageFactory {
  // The folder is made on first open, so building a factory just to read its name leaves nothing.
  let dir: ReturnType<typeof makeTempDir> | undefined;
  return {
    name: 'level',
    persistent: true,
    open: (config) => LevelStorage.open(join((dir ??= makeTempDir('sochdb-level-')).path, 'db'), config),
    cleanup: () => dir?.cleanup(),
  };
}

export function memoryFactory(): StorageFactory {
  return { name: 'memory', persistent: false, open: (config) => MemoryStorage.open(config), cleanup: () => undefined };
}

export const storageFactories: readonly (() => StorageFactory)[] = [levelFactory, memoryFactory];

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
