// Storage factories for tests: each opens a real backend (a LevelDB folder in a temp dir, or memory).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseConfigInput } from '../config.js';
import { LevelStorage } from '../storage/level-storage.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import type { Storage } from '../storage/types.js';

/** A fresh private temp folder; `cleanup()` removes it. */
export function makeTempDir(prefix = 'sochdb-test-'): { readonly path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * A Storage backend for the conformance suites: `open` gives a Storage under test, and once that
 * is closed, another `open` reopens the same data when `persistent`. `cleanup` removes it all.
 */
export interface StorageFactory {
  /** Names the backend in test titles. */
  readonly name: string;
  open(config?: DatabaseConfigInput): Promise<Storage>;
  readonly persistent: boolean;
  cleanup(): void | Promise<void>;
  /**
   * Where a backend legitimately differs from LevelDB's:
   * - `exactSnapshots`: every snapshot holds exactly the commits through its LSN (the LSN is read
   *   inside the snapshot itself), so none is ever inexact.
   * - `feedRetention: 'commits'`: the commit feed is kept on the server by number of commits
   *   (`changeLogBytes` maps to a rough count) and survives a reopen.
   * - `fairness: false`: no admission wait for transactions retried more often (the commit order
   *   is the server's).
   */
  readonly traits?: { readonly exactSnapshots?: boolean; readonly feedRetention?: 'bytes' | 'commits'; readonly fairness?: boolean };
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

let persistentOverride: (() => StorageFactory) | undefined;

/**
 * The persistent backend a package's own tests run on: LevelDB, unless a test setup file chose
 * another with `usePersistentFactory` (so a package's whole suite also runs on, say, PostgreSQL).
 */
export function persistentFactory(): StorageFactory {
  return (persistentOverride ?? levelFactory)();
}

/** Makes `persistentFactory()` give `make()`'s backends in this test process (a setup file's call). */
export function usePersistentFactory(make: () => StorageFactory): void {
  persistentOverride = make;
}
