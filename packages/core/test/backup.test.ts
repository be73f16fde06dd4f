// Online backup (AbstractStorage.backup): a consistent copy while writes go on, that opens as a
// normal database at the LSN it reports; never overwrites; a backup killed -9 leaves the source
// whole and nothing that opens as a database.
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseError, LevelStorage, MemoryStorage, ValidationError, type Storage } from '@sochdb/core';
import { makeTempDir, spawnTs } from '@sochdb/core/testing';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
const dirs: { cleanup(): void }[] = [];
const open: Storage[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  dirs.splice(0).forEach((d) => d.cleanup());
});
function tempDir(): string {
  const dir = makeTempDir('sochdb-backup-');
  dirs.push(dir);
  return dir.path;
}
async function levelAt(path: string): Promise<LevelStorage> {
  const storage = await LevelStorage.open(path);
  open.push(storage);
  return storage;
}
async function entries(storage: Storage): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const [k, v] of storage.iterator()) out.set(k.toString('latin1'), v.toString('latin1'));
  return out;
}

describe('storage.backup', () => {
  it('copies exactly the commits up to the LSN it reports while writes go on', async () => {
    const dir = tempDir();
    const source = await levelAt(join(dir, 'source'));
    for (let i = 0; i < 3000; i++) await source.batch([{ type: 'put', key: `seed/${String(i).padStart(5, '0')}`, value: 'x'.repeat(100) }]);
    const lsnOf: bigint[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        lsnOf[i] = await source.batch([
          { type: 'put', key: `w/${i}`, value: String(i) },
          { type: 'put', key: 'counter', value: String(i) },
        ]);
      }
    })();
    const progress: number[] = [];
    const result = await source.backup(join(dir, 'copy'), { onProgress: ({ keys }) => progress.push(keys) });
    writing = false;
    await writer;
    expect(progress.length).toBeGreaterThan(1);
    expect(lsnOf.some((lsn) => lsn > result.lsn)).toBe(true); // writes landed during and after the copy

    const copy = await levelAt(join(dir, 'copy'));
    expect(copy.lsn).toBe(result.lsn);
    const got = await entries(copy);
    let lastIn = -1;
    lsnOf.forEach((lsn, i) => {
      if (lsn <= result.lsn) lastIn = i;
    });
    for (let i = 0; i < lsnOf.length; i++) expect(got.get(`w/${i}`), `w/${i}`).toBe(lsnOf[i]! <= result.lsn ? String(i) : undefined);
    expect(got.get('counter')).toBe(lastIn >= 0 ? String(lastIn) : undefined);
    expect(got.size).toBe(result.keys);
    expect((await copy.currentStats()).keysCount).toBe(result.keys);
    // The copy is a normal database: it takes writes and continues the LSN sequence.
    expect(await copy.put('after', '1')).toBe(result.lsn + 1n);
  });

  it('backs up a memory storage into a folder that opens with LevelStorage', async () => {
    const dir = tempDir();
    const memory = await MemoryStorage.open();
    open.push(memory);
    await memory.put('a', '1');
    await memory.batch([
      { type: 'put', key: 'b', value: '2' },
      { type: 'put', key: 'c', value: '3' },
    ]);
    const result = await memory.backup(join(dir, 'mem-copy'));
    expect(result).toMatchObject({ lsn: 2n, keys: 3 });
    const copy = await levelAt(join(dir, 'mem-copy'));
    expect([...(await entries(copy))]).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
  });

  it('never overwrites, and refuses bad paths with a typed error', async () => {
    const dir = tempDir();
    const source = await levelAt(join(dir, 'source'));
    await source.put('k', 'v');
    await source.backup(join(dir, 'once'));
    await expect(source.backup(join(dir, 'once'))).rejects.toThrow(DatabaseError);
    await expect(source.backup(join(dir, 'source'))).rejects.toThrow(/already exists/);
    await expect(source.backup('')).rejects.toThrow(ValidationError);
    await expect(source.backup(':memory:')).rejects.toThrow(ValidationError);
    await expect(source.backup(join(dir, 'a\0b'))).rejects.toThrow(ValidationError);
    expect(await source.get('k')).toEqual(Buffer.from('v'));
  });

  it('killed -9 mid-copy: the source is whole, nothing is at the destination, the partial copy refuses to open', async () => {
    const dir = tempDir();
    const sourcePath = join(dir, 'source');
    const source = await LevelStorage.open(sourcePath);
    for (let b = 0; b < 20; b++)
      await source.batch(Array.from({ length: 1000 }, (_, i) => ({ type: 'put' as const, key: `k/${b}/${i}`, value: 'v'.repeat(50) })));
    const before = await entries(source);
    await source.close();

    const child = spawnTs(fixture('backup-and-hold.ts'), [sourcePath, join(dir, 'copy')]);
    const exited = once(child, 'exit');
    for await (const line of createInterface({ input: child.stdout! })) {
      if (line.startsWith('PROGRESS') && Number(line.split(' ')[1]) >= 3000) {
        child.kill('SIGKILL');
        break;
      }
      if (line === 'DONE') throw new Error('the backup finished before it could be killed');
    }
    await exited;

    const names = readdirSync(dir);
    expect(names).not.toContain('copy');
    const partial = names.find((n) => n.startsWith('.copy.partial-'));
    expect(partial).toBeDefined();
    await expect(LevelStorage.open(join(dir, partial!))).rejects.toThrow(DatabaseError);
    const reopened = await levelAt(sourcePath);
    expect(await entries(reopened)).toEqual(before);
    // A new backup to the same destination works.
    const result = await reopened.backup(join(dir, 'copy'));
    expect(result.keys).toBe(before.size);
  });
});
