// The rollback journal against real child processes killed with -9: work cut short is undone at
// the next open, whatever piece the kill lands in; work whose journal ended stays.
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import { LevelStorage } from '@sochdb/core';
import { makeTempDir, spawnTs } from '@sochdb/core/testing';

const fixture = join(import.meta.dirname, 'fixtures', 'journal-loop.ts');
const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

async function seeded(): Promise<string> {
  const dir = makeTempDir();
  dirs.push(dir);
  const path = join(dir.path, 'db');
  const storage = await LevelStorage.open(path);
  await storage.batch(Array.from({ length: 20 }, (_, i) => ({ type: 'put' as const, key: `seed/${i}`, value: `seed ${i}` })));
  await storage.close();
  return path;
}

async function contents(path: string): Promise<{ readonly entries: Record<string, string>; readonly keysCount: number | undefined }> {
  const storage = await LevelStorage.open(path);
  try {
    const entries: Record<string, string> = {};
    for await (const [k, v] of storage.iterator()) entries[k.toString()] = v.toString();
    return { entries, keysCount: (await storage.currentStats()).keysCount };
  } finally {
    await storage.close();
  }
}

/** Runs the child for `pieces` pieces and kills it -9 after `killAfter` of them (never, when undefined). */
async function run(path: string, pieces: number, killAfter?: number): Promise<{ readonly done: boolean; readonly seen: number }> {
  const child = spawnTs(fixture, [path, String(pieces)]);
  const exited = once(child, 'exit');
  let seen = 0;
  let done = false;
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line === 'DONE') done = true;
    if (!line.startsWith('PIECE ')) continue;
    seen++;
    if (seen === killAfter) {
      child.kill('SIGKILL');
      break;
    }
  }
  await exited;
  return { done, seen };
}

const seedState = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`seed/${i}`, `seed ${i}`]));

it('a process killed -9 in the middle of journaled work leaves none of it once the database opens again', async () => {
  for (const killAfter of [2, 23]) {
    const path = await seeded();
    const { seen } = await run(path, 1_000, killAfter);
    expect(seen).toBe(killAfter);
    expect(existsSync(join(path, 'sochdb-rollback-journal'))).toBe(true); // the work to undo is on disk
    expect(await contents(path)).toEqual({ entries: seedState, keysCount: 20 });
    expect(existsSync(join(path, 'sochdb-rollback-journal'))).toBe(false);
    // And the folder works on: a second journaled run completes and stays.
    expect((await run(path, 3)).done).toBe(true);
    const after = await contents(path);
    expect(after.keysCount).toBe(20 + 3 * 200 - 3);
    expect(after.entries['seed/2']).toBe('piece 2');
  }
});
