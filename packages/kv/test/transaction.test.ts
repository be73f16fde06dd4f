import { TransactionConflictError, TransactionError } from '@sochdb/core';
import { describe, expect, it } from 'vitest';
import { KvStore } from '../src/index.js';
import { eachBackend, text } from './helpers.js';

describe.each(
  eachBackend(({ storage }) => {
    it('commits on return, aborts on throw (seed: Automatic Transactions)', async () => {
      const kv = new KvStore(storage());
      await kv.transaction(async (t) => {
        await t.put('account:1:balance', '1000');
        await t.put('account:2:balance', '500');
      });
      expect(text(await kv.scanPrefix('account:').toArray())).toEqual(['account:1:balance: 1000', 'account:2:balance: 500']);
      await expect(
        kv.transaction(async (t) => {
          await t.put('account:1:balance', '0');
          throw new Error('insufficient funds');
        }),
      ).rejects.toThrow('insufficient funds');
      expect((await kv.get('account:1:balance'))!.toString()).toBe('1000');
    });

    it('scans its own writes before commit (seed: Manual Control)', async () => {
      const kv = new KvStore(storage());
      const txn = storage().beginTransaction();
      const t = kv.in(txn);
      await t.put('key1', 'value1');
      await t.put('key2', 'value2');
      expect(text(await t.scan('key', 'key~').toArray())).toEqual(['key1: value1', 'key2: value2']);
      expect(await kv.get('key1')).toBeNull(); // not visible outside before commit
      const lsn = await txn.commit();
      expect(typeof lsn).toBe('bigint');
      expect(text(await kv.scan('key', 'key~').toArray())).toEqual(['key1: value1', 'key2: value2']);
    });

    it('reads its snapshot plus its own writes and deletes, through in(txn) or { txn }', async () => {
      const kv = new KvStore(storage());
      await kv.put('a', 'old-a');
      await kv.put('b', 'old-b');
      const txn = storage().beginTransaction();
      await kv.put('c', 'written-after-begin'); // outside the snapshot
      await kv.put('b', 'changed-after-begin', { txn }); // own write
      await kv.delete('a', { txn });
      expect(await kv.get('a', { txn })).toBeNull();
      expect((await kv.get('b', { txn }))!.toString()).toBe('changed-after-begin');
      expect(await kv.get('c', { txn })).toBeNull();
      expect(text(await kv.scanBatched('a', 'z', { batchSize: 1, txn }).toArray())).toEqual(['b: changed-after-begin']);
      expect(text(await kv.in(txn).scanPrefix('').toArray())).toEqual(['b: changed-after-begin']);
      expect(await kv.getMany(['a', 'b', 'c'], { txn })).toEqual([null, Buffer.from('changed-after-begin'), null]);
      // Outside, nothing has changed yet.
      expect(text(await kv.scanPrefix('').toArray())).toEqual(['a: old-a', 'b: old-b', 'c: written-after-begin']);
      await txn.commit();
      expect(text(await kv.scanPrefix('').toArray())).toEqual(['b: changed-after-begin', 'c: written-after-begin']);
    });

    it('leaves nothing behind when aborted', async () => {
      const kv = new KvStore(storage());
      const txn = storage().beginTransaction();
      await kv.putPath('users/alice/email', 'a@x.io', { txn });
      await kv.put('k', 'v', { txn });
      await txn.abort();
      expect(await kv.scanPrefix('').toArray()).toEqual([]);
      await expect(kv.get('k', { txn })).rejects.toBeInstanceOf(TransactionError);
    });

    it('fails the second of two conflicting commits with TransactionConflictError, writing none of it', async () => {
      const kv = new KvStore(storage());
      const first = storage().beginTransaction();
      const second = storage().beginTransaction();
      await kv.put('shared', 'first', { txn: first });
      await kv.put('shared', 'second', { txn: second });
      await kv.put('only-second', 'x', { txn: second });
      await first.commit();
      await expect(second.commit()).rejects.toBeInstanceOf(TransactionConflictError);
      expect((await kv.get('shared'))!.toString()).toBe('first');
      expect(await kv.get('only-second')).toBeNull();
    });

    it('retries a conflicting transaction on a fresh snapshot when asked', async () => {
      const kv = new KvStore(storage());
      await kv.put('counter', '0');
      let attempts = 0;
      await kv.transaction(
        async (t) => {
          attempts++;
          const n = Number((await t.get('counter'))!.toString());
          if (attempts === 1) await kv.put('counter', '10'); // a competing commit
          await t.put('counter', String(n + 1));
        },
        { retries: 2 },
      );
      expect(attempts).toBe(2);
      expect((await kv.get('counter'))!.toString()).toBe('11');
    });

    it('keeps a namespaced store confined inside a transaction', async () => {
      const a = KvStore.namespaced(storage(), 'a');
      const b = KvStore.namespaced(storage(), 'b');
      await a.transaction(async (t, txn) => {
        await t.put('k', 'in a');
        await b.put('k', 'in b', { txn });
      });
      expect((await a.get('k'))!.toString()).toBe('in a');
      expect((await b.get('k'))!.toString()).toBe('in b');
    });

    it('counts 10k items with a regular and a batched scan inside transactions (seed: Batched Scanning)', async () => {
      const kv = new KvStore(storage());
      await kv.transaction(async (t) => {
        for (let i = 0; i < 10_000; i++) await t.put(`item:${String(i).padStart(5, '0')}`, `value:${i}`);
      });
      const lines: string[] = [];
      let txn = storage().beginTransaction();
      let count = 0;
      for await (const _ of kv.in(txn).scan('item:', 'item;')) count++;
      await txn.abort();
      lines.push(`Regular scan: ${count} items`);
      txn = storage().beginTransaction();
      count = 0;
      for await (const _ of kv.in(txn).scanBatched('item:', 'item;', { batchSize: 1000 })) count++;
      await txn.abort();
      lines.push(`Batched scan: ${count} items (much faster!)`);
      expect(lines).toEqual(['Regular scan: 10000 items', 'Batched scan: 10000 items (much faster!)']);
    });

    it('cannot begin a transaction when it is already over one', async () => {
      const txn = storage().beginTransaction();
      const inner = new KvStore(txn);
      await expect(inner.transaction(async () => undefined)).rejects.toBeInstanceOf(TransactionError);
      await txn.abort();
    });
  }),
)('transactions on %s storage', (_name, suite) => suite());

describe('namespaced isolation with crafted names', () => {
  it("namespace 'a' never sees keys of a namespace whose name starts with 'a\\0'", async () => {
    const { MemoryStorage } = await import('@sochdb/core');
    const storage = await MemoryStorage.open();
    const a = KvStore.namespaced(storage, 'a');
    const evil = KvStore.namespaced(storage, 'a\0x');
    await evil.put('secret', 'evil');
    await a.put('mine', 'a');
    const seen: string[] = [];
    for await (const [k] of a.scanPrefix('')) seen.push(k.toString('latin1'));
    expect(seen).toEqual(['mine']);
    expect(await a.get(Buffer.concat([Buffer.from([0xff]), Buffer.from('x\0secret', 'latin1')]))).toBeNull();
    await storage.close();
  });
});
