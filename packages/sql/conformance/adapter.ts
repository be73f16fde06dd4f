// Engine adapter for run-slt.mjs: runs the corpus against @sochdb/sql. Run through tsx with
// `--conditions=sochdb-source` so that @sochdb/core and @sochdb/sql resolve to their TypeScript
// sources (run.mjs does this). Each .test file gets a fresh, empty database.
//
//   SOCHDB_SLT_STORAGE=memory (default)  MemoryStorage
//   SOCHDB_SLT_STORAGE=level             LevelStorage in a temporary folder, removed on close()
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelStorage, MemoryStorage } from '@sochdb/core';
import { SqlEngine } from '@sochdb/sql';

// `safeIntegers` asks for INTEGER values as bigint and REAL values as number. An engine that does
// not know the option ignores it (and returns safe integers as numbers).
const OPTIONS = { rowMode: 'array', safeIntegers: true } as never;

export interface SltEngine {
  execute(sql: string): Promise<unknown[][]>;
  close(): Promise<void>;
  /** true: integers come back as bigint and every JS number is a REAL (see run-slt.mjs). */
  readonly realNumbers: boolean;
}

export async function createEngine(): Promise<SltEngine> {
  const kind = (process.env.SOCHDB_SLT_STORAGE ?? 'memory').toLowerCase();
  let dir: string | undefined;
  let storage: MemoryStorage | LevelStorage;
  if (kind === 'level') {
    dir = mkdtempSync(join(tmpdir(), 'sochdb-slt-'));
    storage = await LevelStorage.open(dir);
  } else if (kind === 'memory') {
    storage = await MemoryStorage.open();
  } else {
    throw new Error(`SOCHDB_SLT_STORAGE must be 'memory' or 'level', got '${kind}'`);
  }
  const engine = new SqlEngine(storage);
  const execute = async (sql: string): Promise<unknown[][]> => (await engine.execute(sql, [], OPTIONS)).rows as unknown[][];

  // realNumbers is only right once the engine honours safeIntegers: with it set, a JS number is
  // printed as a REAL ("1.0") in T columns, which would turn every integer into a false failure.
  // So ask once: INTEGER 1 must come back as 1n.
  // (A failing probe leaves it false: the records themselves will show what is wrong.)
  const realNumbers = await execute('SELECT 1').then(
    (rows) => typeof rows[0]?.[0] === 'bigint',
    () => false,
  );

  return {
    execute,
    realNumbers,
    async close() {
      try {
        await storage.close();
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
