import { DatabaseError, ValidationError } from '@sochdb/core';
import { persistentFactory } from '@sochdb/core/testing';
import { describe, expect, it } from 'vitest';
import { KvStore } from '../src/index.js';
import { eachBackend } from './helpers.js';

describe.each(
  eachBackend(({ storage }) => {
    it('puts, gets and deletes (seed: Basic Operations)', async () => {
      const kv = new KvStore(storage());
      await kv.put('key', 'value');
      const value = await kv.get('key');
      expect(value?.toString()).toBe('value');
      await kv.delete('key');
      expect(await kv.get('key')).toBeNull();
      await kv.delete('never-there'); // deleting a missing key is not an error
    });

    it('stores and reads JSON (seed: JSON Data)', async () => {
      const kv = new KvStore(storage());
      const user = { name: 'Alice', email: 'alice@example.com', age: 30 };
      await kv.put('users/alice', JSON.stringify(user));
      const back = JSON.parse((await kv.get('users/alice'))!.toString()) as typeof user;
      expect(`Name: ${back.name}, Age: ${back.age}`).toBe('Name: Alice, Age: 30');
      await kv.putJson('users/bob', { name: 'Bob', tags: ['x'] });
      expect(await kv.getJson('users/bob')).toEqual({ name: 'Bob', tags: ['x'] });
      expect(await kv.getJson('missing')).toBeNull();
      await kv.put('raw', 'not json');
      await expect(kv.getJson('raw')).rejects.toBeInstanceOf(ValidationError);
    });

    it('keeps a stored empty value distinct from a missing key', async () => {
      const kv = new KvStore(storage());
      await kv.put('empty', new Uint8Array(0));
      const value = await kv.get('empty');
      expect(value).toBeInstanceOf(Buffer);
      expect(value!.byteLength).toBe(0);
      expect(await kv.get('missing')).toBeNull();
      expect(await kv.getMany(['empty', 'missing'])).toEqual([Buffer.alloc(0), null]);
    });

    it('takes binary keys and values byte for byte', async () => {
      const kv = new KvStore(storage());
      const key = Uint8Array.from([0x00, 0xff, 0x00, 0x80]);
      const value = Uint8Array.from([0xde, 0xad, 0x00, 0xbe, 0xef]);
      await kv.put(key, value);
      expect(await kv.get(key)).toEqual(Buffer.from(value));
      expect(await kv.get(Uint8Array.from([0x00, 0xff, 0x00]))).toBeNull();
    });

    it('stores a huge value intact', async () => {
      const kv = new KvStore(storage());
      const big = Buffer.alloc(8 * 1024 * 1024);
      for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
      await kv.put('big', big);
      const back = await kv.get('big');
      expect(back!.equals(big)).toBe(true);
    });

    it('rejects an empty key and non-bytes keys and values with ValidationError', async () => {
      const kv = new KvStore(storage());
      await expect(kv.put('', 'v')).rejects.toMatchObject({ code: 6000, field: 'key' });
      await expect(kv.get(new Uint8Array(0))).rejects.toBeInstanceOf(ValidationError);
      await expect(kv.delete('')).rejects.toBeInstanceOf(ValidationError);
      await expect(kv.put(42 as unknown as string, 'v')).rejects.toBeInstanceOf(ValidationError);
      await expect(kv.put('k', { a: 1 } as unknown as string)).rejects.toBeInstanceOf(ValidationError);
      await expect(kv.getMany('k' as unknown as string[])).rejects.toMatchObject({ field: 'keys' });
      expect(await kv.get('k')).toBeNull();
    });

    it('keeps namespaces apart on one Storage', async () => {
      const a = KvStore.namespaced(storage(), 'a');
      const b = KvStore.namespaced(storage(), 'b');
      await a.put('k', 'from a');
      await b.put('k', 'from b');
      expect((await a.get('k'))!.toString()).toBe('from a');
      expect((await b.get('k'))!.toString()).toBe('from b');
      expect((await a.scanPrefix('').toArray()).map(([k]) => k.toString())).toEqual(['k']);
      expect(() => KvStore.namespaced(storage(), '')).toThrow(ValidationError);
    });

    it('clears its own keyspace, or one prefix of it, atomically', async () => {
      const a = KvStore.namespaced(storage(), 'a');
      const b = KvStore.namespaced(storage(), 'b');
      for (const k of ['x/1', 'x/2', 'y/1']) {
        await a.put(k, 'v');
        await b.put(k, 'v');
      }
      expect(await a.clear({ prefix: 'x/' })).toBe(2);
      expect((await a.scanPrefix('').toArray()).map(([k]) => k.toString())).toEqual(['y/1']);
      expect(await a.clear()).toBe(1);
      expect(await a.scanPrefix('').toArray()).toEqual([]);
      expect(await b.scanPrefix('').toArray()).toHaveLength(3);
      // Inside a transaction the deletes land only on commit; an abort keeps everything.
      const txn = storage().beginTransaction();
      expect(await b.clear({ txn })).toBe(3);
      expect(await b.scanPrefix('', { txn }).toArray()).toEqual([]);
      await txn.abort();
      expect(await b.scanPrefix('').toArray()).toHaveLength(3);
      const other = storage().beginTransaction();
      expect(await KvStore.namespaced(other, 'b').clear()).toBe(3);
      await other.commit();
      expect(await b.scanPrefix('').toArray()).toEqual([]);
    });
  }),
)('KvStore on %s storage', (_name, suite) => suite());

describe('KvStore on LevelDB', () => {
  it('keeps its data across a reopen', async () => {
    const factory = persistentFactory();
    try {
      let storage = await factory.open();
      await new KvStore(storage).putPath('users/alice/email', 'alice@example.com');
      await storage.close();
      storage = await factory.open();
      expect((await new KvStore(storage).getPath('users/alice/email'))!.toString()).toBe('alice@example.com');
      await storage.close();
      await expect(new KvStore(storage).get('x')).rejects.toBeInstanceOf(DatabaseError);
    } finally {
      await factory.cleanup();
    }
  });

  it('refuses something that is not a store', () => {
    expect(() => new KvStore({} as never)).toThrow(ValidationError);
  });
});
