import { ValidationError } from '@sochdb/core';
import { describe, expect, it } from 'vitest';
import { KvStore } from '../src/index.js';
import { countingCursors, eachBackend, text } from './helpers.js';

const bytes = (...b: number[]) => Buffer.from(b);

describe.each(
  eachBackend(({ storage }) => {
    it('isolates tenants by range (seed: Prefix Scanning)', async () => {
      const kv = new KvStore(storage());
      await kv.put('tenants/acme/users/1', '{"name":"Alice"}');
      await kv.put('tenants/acme/users/2', '{"name":"Bob"}');
      await kv.put('tenants/acme/orders/1', '{"total":100}');
      await kv.put('tenants/globex/users/1', '{"name":"Charlie"}');
      const results = await kv.scan('tenants/acme/', 'tenants/acme;').toArray();
      const lines = [`ACME Corp has ${results.length} items:`, ...text(results).map((l) => ` ${l}`)];
      expect(lines).toEqual([
        'ACME Corp has 3 items:',
        ' tenants/acme/orders/1: {"total":100}',
        ' tenants/acme/users/1: {"name":"Alice"}',
        ' tenants/acme/users/2: {"name":"Bob"}',
      ]);
      expect(text(await kv.scanPrefix('tenants/acme/').toArray())).toEqual(text(results));
      // A store confined to one tenant cannot reach another's keys at all.
      const acme = new KvStore(storage(), { prefix: 'tenants/acme/' });
      expect((await acme.scanPrefix('').toArray()).map(([k]) => k.toString())).toEqual(['orders/1', 'users/1', 'users/2']);
      expect(await acme.get('../globex/users/1')).toBeNull();
    });

    it('scans [start, end) in byte order', async () => {
      const kv = new KvStore(storage());
      for (const k of ['a', 'b', 'ba', 'c', 'd']) await kv.put(k, k.toUpperCase());
      expect((await kv.scan('b', 'd').toArray()).map(([k]) => k.toString())).toEqual(['b', 'ba', 'c']);
      expect((await kv.scan('b').toArray()).map(([k]) => k.toString())).toEqual(['b', 'ba', 'c', 'd']);
      expect(await kv.scan('b', 'b').toArray()).toEqual([]);
      expect((await kv.scan('', 'b').toArray()).map(([k]) => k.toString())).toEqual(['a']);
      expect((await kv.scan('a', 'z', { reverse: true, limit: 2 }).toArray()).map(([k]) => k.toString())).toEqual(['d', 'c']);
      expect(() => kv.scan('d', 'a')).toThrow(ValidationError);
      expect(() => kv.scan('a', 'b', { limit: -1 })).toThrow(ValidationError);
    });

    it('treats the empty prefix as every key', async () => {
      const kv = new KvStore(storage());
      await kv.put(bytes(0x00), 'lowest');
      await kv.put('m', 'middle');
      await kv.put(bytes(0xff, 0xff), 'highest');
      expect(await kv.scanPrefix('').toArray()).toEqual([
        [bytes(0x00), Buffer.from('lowest')],
        [Buffer.from('m'), Buffer.from('middle')],
        [bytes(0xff, 0xff), Buffer.from('highest')],
      ]);
      expect(await kv.scanPrefixBatched(new Uint8Array(0), { batchSize: 2 }).toArray()).toHaveLength(3);
    });

    it('scans prefixes that end in 0xFF bytes', async () => {
      const kv = new KvStore(storage());
      const keys = [
        bytes(0x61, 0xfe),
        bytes(0x61, 0xff),
        bytes(0x61, 0xff, 0x00),
        bytes(0x61, 0xff, 0xff, 0xff),
        bytes(0x62),
        bytes(0xff),
        bytes(0xff, 0xff),
        bytes(0xff, 0xff, 0x01),
      ];
      for (const k of keys) await kv.put(k, k);
      const keysUnder = async (prefix: Buffer) => (await kv.scanPrefix(prefix).toArray()).map(([k]) => k.toString('hex'));
      expect(await keysUnder(bytes(0x61, 0xff))).toEqual(['61ff', '61ff00', '61ffffff']);
      expect(await keysUnder(bytes(0xff, 0xff))).toEqual(['ffff', 'ffff01']);
      expect(await keysUnder(bytes(0xff))).toEqual(['ff', 'ffff', 'ffff01']);
    });

    it('scanBatched yields the same entries as scan, fetched batchSize at a time', async () => {
      const kv = new KvStore(storage());
      const ops = Array.from({ length: 2500 }, (_, i) => ({ type: 'put' as const, key: `item:${String(i).padStart(5, '0')}`, value: `value:${i}` }));
      await storage().batch(ops);
      const batched = kv.scanBatched('item:', 'item;', { batchSize: 1000 });
      const sizes: number[] = [];
      for await (const batch of batched.batches()) sizes.push(batch.length);
      expect(sizes).toEqual([1000, 1000, 500]);
      let count = 0;
      for await (const [key, value] of batched) {
        expect(value.toString()).toBe(`value:${Number(key.toString().slice(5))}`);
        count++;
      }
      expect(count).toBe(2500);
      expect(await kv.scan('item:', 'item;').toArray()).toEqual(await batched.toArray());
      expect(() => kv.scanBatched('a', 'b', { batchSize: 0 })).toThrow(ValidationError);
      expect(() => kv.scanBatched('a', 'b', { batchSize: 1.5 })).toThrow(ValidationError);
    });

    it('closes its cursor on break, on throw, and at the end — and opens none until iterated', async () => {
      const counting = countingCursors(storage());
      const kv = new KvStore(counting.store);
      for (let i = 0; i < 50; i++) await kv.put(`k${String(i).padStart(2, '0')}`, 'v');
      const scan = kv.scanBatched('k', 'l', { batchSize: 10 });
      expect(counting.opened()).toBe(0);
      for await (const _ of scan) break;
      expect([counting.opened(), counting.closed()]).toEqual([1, 1]);
      await expect(
        (async () => {
          for await (const _ of kv.scanPrefix('k')) throw new Error('boom');
        })(),
      ).rejects.toThrow('boom');
      expect([counting.opened(), counting.closed()]).toEqual([2, 2]);
      for await (const batch of scan.batches()) if (batch.length > 0) break;
      expect([counting.opened(), counting.closed()]).toEqual([3, 3]);
      expect(await scan.toArray()).toHaveLength(50);
      expect([counting.opened(), counting.closed()]).toEqual([4, 4]);
      // Each iteration is independent: two loops over one scan both see everything.
      let n = 0;
      for await (const _ of scan) n++;
      for await (const _ of scan) n++;
      expect(n).toBe(100);
      expect(counting.opened()).toBe(counting.closed());
    });

    it('rejects bad bounds with ValidationError', () => {
      const kv = new KvStore(storage());
      expect(() => kv.scan(1 as unknown as string, 'b')).toThrow(ValidationError);
      expect(() => kv.scanPrefix(null as unknown as string)).toThrow(ValidationError);
    });
  }),
)('scans on %s storage', (_name, suite) => suite());
