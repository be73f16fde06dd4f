// A database written by the engine before it kept expressions as SQL text (its catalog holds
// node-sql-parser trees for DEFAULT and CHECK) opens and behaves as it did: the fixture is the
// whole key space of such a database, captured from that engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConstraintError, encodeKey, type KeyPart } from '@sochdb/core';
import { openEngine } from './helpers.js';

type FixturePart = string | number | { bigint: string } | { bytes: string };
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'legacy-catalog-v1.json'), 'utf8')) as { key: FixturePart[]; value: string }[];

const part = (p: FixturePart): KeyPart => (typeof p === 'object' ? ('bigint' in p ? BigInt(p.bigint) : Buffer.from(p.bytes, 'hex')) : p);

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('a catalog written with node-sql-parser trees', () => {
  it('opens, reads its rows, fills DEFAULTs and enforces its CHECKs and foreign keys', async () => {
    const db = await openEngine();
    close = db.close;
    await db.storage.batch(fixture.map((e) => ({ type: 'put' as const, key: encodeKey(e.key.map(part)), value: Buffer.from(e.value, 'base64') })));
    const { sql } = await db.reopen();
    expect(await sql.tables()).toEqual(['child', 'items', 'parent']);
    const [first] = (await sql.execute('SELECT id, name, qty, price, flag, note, extra FROM items')).rows;
    expect(first).toEqual({ id: 1, name: 'unnamed', qty: 2, price: 1.5, flag: 7, note: null, extra: 'x' });
    await sql.execute('INSERT INTO items (id) VALUES (2)');
    const [second] = (await sql.execute('SELECT name, qty, price, flag, typeof(created) AS t FROM items WHERE id = 2')).rows;
    expect(second).toEqual({ name: 'unnamed', qty: -5, price: 1.5, flag: 7, t: 'text' });
    // The column CHECK (qty > -10 AND qty < 1000) and the named one on price still hold.
    await expect(sql.execute('INSERT INTO items (id, qty) VALUES (3, 5000)')).rejects.toBeInstanceOf(ConstraintError);
    await expect(sql.execute('INSERT INTO items (id, price) VALUES (4, -1)')).rejects.toMatchObject({ constraint: 'CHECK' });
    // The foreign keys (one by column list, one to a UNIQUE column) still refuse orphans.
    await expect(sql.execute("INSERT INTO child VALUES (2, 99, 'a')")).rejects.toMatchObject({ constraint: 'FOREIGN KEY' });
    await expect(sql.execute("INSERT INTO child VALUES (3, 1, 'zz')")).rejects.toMatchObject({ constraint: 'FOREIGN KEY' });
    await sql.execute("INSERT INTO child VALUES (4, 1, 'a')");
    expect((await sql.execute('SELECT count(*) AS n FROM child WHERE code = ?', ['a'])).rows[0]).toEqual({ n: 2 });
  });
});
