import { ValidationError, type Storage } from '@sochdb/core';
import { persistentFactory, type StorageFactory } from '@sochdb/core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_FILTER_DEPTH } from '@sochdb/core';
import { KvStore, type KvFilter } from '../src/index.js';

// Deep, cyclic or oddly typed input gives a ValidationError (or works): never a RangeError or
// TypeError from inside a recursion or JSON.stringify, and never a filter that silently matches
// everything.

let factory: StorageFactory;
let storage: Storage;
beforeEach(async () => {
  factory = persistentFactory();
  storage = await factory.open();
});
afterEach(async () => {
  await storage.close();
  await factory.cleanup();
});

async function seeded(): Promise<KvStore> {
  const kv = new KvStore(storage);
  await kv.putJson('p/1', { name: 'Laptop', price: 999, at: '2024-01-01' });
  await kv.putJson('p/2', { name: 'Mouse', price: 25 });
  return kv;
}

function nested(levels: number, inner: KvFilter, op: '$and' | '$or' = '$and'): KvFilter {
  let filter = inner;
  for (let i = 1; i < levels; i++) filter = { [op]: [filter] };
  return filter;
}

const names = (records: readonly Record<string, unknown>[]) => records.map((r) => r.name);

describe('where() filters', () => {
  it(`refuses filters nested more than ${MAX_FILTER_DEPTH} levels, however deep or cyclic, and runs ones of exactly ${MAX_FILTER_DEPTH}`, async () => {
    expect(MAX_FILTER_DEPTH).toBe(256);
    const kv = await seeded();
    const cyclic: { $or: KvFilter[] } = { $or: [] };
    cyclic.$or.push(cyclic);
    for (const filter of [nested(MAX_FILTER_DEPTH + 1, { price: 25 }), nested(2_000, { price: 25 }, '$or'), nested(100_000, { price: 25 }), cyclic]) {
      let error: unknown;
      try {
        kv.query('p/').where(filter);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ code: 6000, message: expect.stringContaining(`more than ${MAX_FILTER_DEPTH} levels`) });
      expect((error as ValidationError).remediation).toMatch(/\$and and \$or take any number of filters/);
    }
    expect(
      names(
        await kv
          .query('p/')
          .where(nested(MAX_FILTER_DEPTH, { price: 25 }))
          .toRecords(),
      ),
    ).toEqual(['Mouse']);
    expect(
      names(
        await kv
          .query('p/')
          .where(nested(MAX_FILTER_DEPTH, { price: { $gt: 100 } }, '$or'))
          .toRecords(),
      ),
    ).toEqual(['Laptop']);
  });

  it('refuses conditions that are neither values nor plain operator objects, and NaN operands, instead of matching everything or nothing', async () => {
    const kv = await seeded();
    class Condition {
      readonly $lt = 100;
    }
    const odd: [KvFilter, string][] = [
      [{ at: new Date(0) as never }, 'where.at'],
      [{ price: new Map([['$lt', 100]]) as never }, 'where.price'],
      [{ price: new Condition() }, 'where.price'],
      [{ price: Number.NaN }, 'where.price'],
      [{ price: { $gt: Number.NaN } }, 'where.price.$gt'],
      [{ price: { $eq: Number.NaN } }, 'where.price.$eq'],
      [{ price: { $in: [1, Number.NaN] } }, 'where.price.$in'],
      [new Map() as never, 'where'],
      [{ $or: [new Date(0) as never] }, 'where.$or[0]'],
    ];
    for (const [filter, field] of odd) {
      expect(() => kv.query('p/').where(filter), field).toThrow(expect.objectContaining({ code: 6000, field }));
    }
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { price: 25 });
    expect(
      names(
        await kv
          .query('p/')
          .where(bare as KvFilter)
          .toRecords(),
      ),
    ).toEqual(['Mouse']);
  });
});

describe('JSON values', () => {
  it('putJson refuses values JSON cannot write (too deep, cyclic, bigint) with a ValidationError and writes nothing', async () => {
    const kv = new KvStore(storage);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    for (const value of [deep, cyclic, { n: 10n }]) {
      await expect(kv.putJson('k', value as never)).rejects.toMatchObject({ code: 6000, field: 'value' });
    }
    expect(await kv.get('k')).toBeNull();
    // Deep values JSON can write still round-trip.
    let ok: unknown = 'leaf';
    for (let i = 0; i < 500; i++) ok = { down: ok };
    await kv.putJson('k', ok as never);
    expect(await kv.getJson('k')).toEqual(ok);
  });

  it('queries records nested deeper than TOON takes: toRecords and where() work, TOON output is a ValidationError', async () => {
    const kv = await seeded();
    const depth = 100_000;
    await kv.put('p/3', `{"name":"Deep","price":5,"tree":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    expect(
      names(
        await kv
          .query('p/')
          .where({ price: { $lt: 100 } })
          .toRecords(),
      ),
    ).toEqual(['Mouse', 'Deep']);
    expect(
      await kv
        .query('p/')
        .where({ price: { $lt: 100 } })
        .select(['name'])
        .toToon(),
    ).toBe('result[2]{name}:Mouse;Deep');
    await expect(kv.query('p/').toToon()).rejects.toMatchObject({ code: 6000, field: expect.stringMatching(/^records\[2\]\.tree/) });
    await expect(kv.query('p/').toList()).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('field and key lists', () => {
  it('select() refuses a hole in its field list', async () => {
    const kv = await seeded();
    expect(() => kv.query('p/').select(['name', , 'price'] as never)).toThrow(expect.objectContaining({ code: 6000, field: 'fields' }));
    expect(await kv.query('p/').select(['name']).toToon()).toBe('result[2]{name}:Laptop;Mouse');
  });

  it('getMany checks every key, holes included, and answers one value per key', async () => {
    const kv = await seeded();
    await expect(kv.getMany(['p/1', , 'p/2'] as never)).rejects.toMatchObject({ code: 6000, field: 'keys[1]' });
    await expect(kv.getMany(['p/1', ''])).rejects.toMatchObject({ code: 6000, field: 'keys[1]' });
    await expect(kv.getMany('p/1' as never)).rejects.toMatchObject({ code: 6000, field: 'keys' });
    const values = await kv.getMany(['p/2', 'missing', 'p/2']);
    expect(values.map((v) => (v === null ? null : (JSON.parse(v.toString()) as { name: string }).name))).toEqual(['Mouse', null, 'Mouse']);
  });
});
