import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh private folder under the OS temp dir, removed (with everything in it) on dispose. */
export interface ScratchDir extends AsyncDisposable {
  readonly path: string;
  /** A path inside the folder, e.g. `dir.join('my_database')`. */
  join(...parts: string[]): string;
}

/**
 * Where each example keeps its database, so running an example leaves nothing behind:
 * `await using dir = await scratchDir();` then `Database.open(dir.join('my_database'))`.
 * Declared before the database, it is disposed after it (`await using` unwinds in reverse).
 */
export async function scratchDir(): Promise<ScratchDir> {
  const path = await mkdtemp(join(tmpdir(), 'sochdb-example-'));
  return {
    path,
    join: (...parts) => join(path, ...parts),
    [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }),
  };
}
