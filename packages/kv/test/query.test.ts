import { ValidationError } from '@sochdb/core';
import { fromToon } from '@sochdb/toon';
import { describe, expect, it } from 'vitest';
import { KvStore } from '../src/index.js';
import { countingCursors, eachBackend } from './helpers.js';

describe.each(
  eachBackend(({ storage }) => {
    const seed = async (kv: KvStore) => {
      await kv.put('products/laptop', '{"name":"Laptop","price":999,"stock":5}');
      await kv.put('products/mouse', '{"name":"Mouse","price":25,"stock":20}');
    };

    it('returns [key, TOON row] pairs (seed: Query Builder)', async () => {
      const kv = new KvStore(storage());
      await seed(kv);
      const results = await kv.query('products/').select(['name', 'price']).limit(10).toList();
      expect(results.map(([key, value]) => `${key}: ${value}`)).toEqual([
        'products/laptop: result[1]{name,price}:Laptop,999',
        'products/mouse: result[1]{name,price}:Mouse,25',
      ]);
    });

    it('renders every row as one compact TOON table that parses back', async () => {
      const kv = new KvStore(storage());
      await seed(kv);
      const toon = await kv.query('products/').select(['name', 'price']).toToon('products');
      expect(toon).toBe('products[2]{name,price}:Laptop,999;Mouse,25');
      expect(fromToon(toon).records).toEqual([
        { name: 'Laptop', price: 999 },
        { name: 'Mouse', price: 25 },
      ]);
      expect(await kv.query('products/').toToon()).toBe('result[2]{name,price,stock}:Laptop,999,5;Mouse,25,20');
      expect(await kv.query('nothing/').toToon()).toBe('result[0]{}:');
    });

    it('filters with where(), pages with offset() and limit()', async () => {
      const kv = new KvStore(storage());
      for (let i = 0; i < 20; i++) await kv.putJson(`items/${String(i).padStart(2, '0')}`, { n: i, even: i % 2 === 0, tag: i < 5 ? 'low' : 'high' });
      const ns = (q: ReturnType<KvStore['query']>) => q.toRecords().then((rs) => rs.map((r) => r.n));
      const base = kv.query('items/');
      expect(await ns(base.where({ n: { $gte: 15 } }))).toEqual([15, 16, 17, 18, 19]);
      expect(await ns(base.where({ even: true, n: { $lt: 6 } }))).toEqual([0, 2, 4]);
      expect(await ns(base.where({ $or: [{ n: 1 }, { n: { $in: [7, 9] } }] }))).toEqual([1, 7, 9]);
      expect(await ns(base.where({ tag: { $nin: ['high'] }, n: { $ne: 0 } }))).toEqual([1, 2, 3, 4]);
      expect(await ns(base.where((r, key) => key.toString().endsWith('3')))).toEqual([3, 13]);
      expect(await ns(base.where({ even: false }).offset(2).limit(3))).toEqual([5, 7, 9]);
      expect(await ns(base.where({ even: false }).where({ n: { $gt: 10 } }))).toEqual([11, 13, 15, 17, 19]);
      expect(await base.limit(0).toList()).toEqual([]);
      // A comparison across types matches nothing rather than coercing.
      expect(await ns(base.where({ n: { $gt: '5' } }))).toEqual([]);
      // select() projects after filtering on the whole record.
      expect(await base.where({ n: 4 }).select(['tag']).toRecords()).toEqual([{ tag: 'low' }]);
    });

    it('throws on a value that is not a JSON object, naming the key, unless skipInvalid()', async () => {
      const kv = new KvStore(storage());
      await seed(kv);
      await kv.put('products/broken', 'not json');
      await kv.put('products/list', '[1,2]');
      await kv.put('products/binary', Buffer.from([0xff, 0xfe]));
      await expect(kv.query('products/').toList()).rejects.toMatchObject({ code: 6000, field: 'products/binary' });
      const error = await kv
        .query('products/')
        .toList()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toContain('products/binary');
      const list = await kv
        .query('products/l')
        .toList()
        .catch((e: unknown) => e);
      expect((list as Error).message).toContain('is JSON array, not an object');
      const names = await kv.query('products/').skipInvalid().select(['name']).toRecords();
      expect(names).toEqual([{ name: 'Laptop' }, { name: 'Mouse' }]);
    });

    it('rejects bad builder arguments with ValidationError before reading', () => {
      const q = new KvStore(storage()).query('p/');
      expect(() => q.limit(-1)).toThrow(ValidationError);
      expect(() => q.offset(1.5)).toThrow(ValidationError);
      expect(() => q.select('name' as unknown as string[])).toThrow(ValidationError);
      expect(() => q.select(['a', 'a'])).toThrow(ValidationError);
      expect(() => q.where({ price: { $between: [1, 2] } } as never)).toThrow(/unknown operator \$between/);
      expect(() => q.where({ $nor: [] })).toThrow(ValidationError);
      expect(() => q.where({ price: { $in: 5 } } as never)).toThrow(ValidationError);
      expect(() => q.where({ price: { $gt: null } } as never)).toThrow(ValidationError);
      expect(() => q.where({ $or: {} } as never)).toThrow(ValidationError);
    });

    it('queries inside a transaction and closes its cursor when a loop breaks', async () => {
      const counting = countingCursors(storage());
      const kv = new KvStore(counting.store);
      await seed(kv);
      const txn = storage().beginTransaction();
      await new KvStore(storage()).putJson('products/pad', { name: 'Pad', price: 5 }, { txn });
      expect(
        await new KvStore(storage())
          .query('products/', { txn })
          .where({ price: { $lt: 100 } })
          .select(['name'])
          .toRecords(),
      ).toEqual([{ name: 'Mouse' }, { name: 'Pad' }]);
      await txn.abort();
      for await (const _ of kv.query('products/').rows()) break;
      expect(counting.opened()).toBe(1);
      expect(counting.closed()).toBe(1);
    });
  }),
)('query builder on %s storage', (_name, suite) => suite());
