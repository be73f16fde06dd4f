import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LevelStorage, MemoryStorage, type Storage } from '@sochdb/core';
import { makeTempDir } from '@sochdb/core/testing';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
const folder = () => {
  const dir = makeTempDir();
  dirs.push(dir);
  return join(dir.path, 'db');
};
const keysIn = async (s: Storage) => {
  let n = 0;
  for await (const _ of s.iterator()) n++;
  return n;
};

describe.each([
  ['LevelDB', (config?: { trackKeyCount?: boolean }) => LevelStorage.open(folder(), { syncMode: 'off', ...config })],
  ['in-memory', (config?: { trackKeyCount?: boolean }) => MemoryStorage.open({ ...config })],
] as const)('keysCount on %s', (_name, open) => {
  it('uncounted by default: currentStats() counts on demand, stats() says at which LSN its figure was exact', async () => {
    const s = await open();
    try {
      await s.batch(Array.from({ length: 50 }, (_, i) => ({ type: 'put' as const, key: `k${i}`, value: 'v' })));
      await s.put('k1', 'overwritten'); // an overwrite is not a new key
      await s.del('k2');
      const counted = await s.currentStats();
      expect(counted).toMatchObject({ keysCount: 49, keysCountLsn: s.lsn });
      expect(s.stats()).toMatchObject({ keysCount: 49, keysCountLsn: s.lsn });
      await s.put('k-new', 'v');
      // The synchronous figure is the last count, and says so; the next currentStats() recounts.
      expect(s.stats()).toMatchObject({ keysCount: 49, keysCountLsn: counted.lsn });
      expect(s.stats().keysCountLsn).toBeLessThan(s.lsn);
      expect(await s.currentStats()).toMatchObject({ keysCount: 50, keysCountLsn: s.lsn });
    } finally {
      await s.close();
    }
  });

  it('counted (trackKeyCount: true): stats() is exact after every commit, without a scan', async () => {
    const s = await open({ trackKeyCount: true });
    try {
      await s.batch(Array.from({ length: 30 }, (_, i) => ({ type: 'put' as const, key: `k${i}`, value: 'v' })));
      await s.transaction(async (t) => {
        await t.del('k0');
        await t.put('k0', 'again');
        await t.del('k1');
      });
      expect(s.stats()).toMatchObject({ keysCount: 29, keysCountLsn: s.lsn });
      expect(s.stats().keysCount).toBe(await keysIn(s));
    } finally {
      await s.close();
    }
  });
});

describe('keysCount across reopens (LevelDB)', () => {
  it('a folder written uncounted after a counted life is recounted when opened counted, never stale', async () => {
    const path = folder();
    let s = await LevelStorage.open(path, { trackKeyCount: true });
    await s.batch(Array.from({ length: 10 }, (_, i) => ({ type: 'put' as const, key: `a${i}`, value: 'v' })));
    expect(s.stats().keysCount).toBe(10);
    await s.close();

    s = await LevelStorage.open(path); // uncounted: its writes leave the stored count unknown
    await s.batch(Array.from({ length: 7 }, (_, i) => ({ type: 'put' as const, key: `b${i}`, value: 'v' })));
    await s.del('a0');
    await s.close();

    s = await LevelStorage.open(path, { trackKeyCount: true });
    try {
      expect(s.stats()).toMatchObject({ keysCount: 16, keysCountLsn: s.lsn });
      await s.put('c', 'v');
      expect(s.stats().keysCount).toBe(17);
    } finally {
      await s.close();
    }
  });

  it('an uncounted reopen of a counted folder reports the stored count with its LSN until it counts again', async () => {
    const path = folder();
    let s = await LevelStorage.open(path, { trackKeyCount: true });
    await s.batch(Array.from({ length: 12 }, (_, i) => ({ type: 'put' as const, key: `a${i}`, value: 'v' })));
    const lsn = s.lsn;
    await s.close();
    s = await LevelStorage.open(path);
    try {
      expect(s.stats()).toMatchObject({ keysCount: 12, keysCountLsn: lsn });
      await s.del('a3');
      expect(s.stats()).toMatchObject({ keysCount: 12, keysCountLsn: lsn });
      expect(await s.currentStats()).toMatchObject({ keysCount: 11, keysCountLsn: s.lsn });
    } finally {
      await s.close();
    }
  });
});
