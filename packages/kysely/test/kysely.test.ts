import { makeTempDir } from '@sochdb/core/testing';
import { Database, QueryError, TransactionConflictError } from '@sochdb/sdk';
import { Kysely, Migrator, sql, type Generated, type Migration, type MigrationProvider } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SochDBDialect, SochDBKyselyError } from '../src/index.ts';

interface Schema {
  person: { id: Generated<number>; first_name: string; last_name: string | null; profile: string | null };
  pet: { id: Generated<number>; name: string; owner_id: number; species: string };
}

let dir: ReturnType<typeof makeTempDir>;
let database: Database;
let db: Kysely<Schema>;

beforeEach(async () => {
  dir = makeTempDir('sochdb-kysely-');
  database = await Database.open(dir.path);
  db = new Kysely<Schema>({ dialect: new SochDBDialect({ database }) });
  await db.schema
    .createTable('person')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('first_name', 'text', (c) => c.notNull())
    .addColumn('last_name', 'text')
    .addColumn('profile', 'text')
    .execute();
  await db.schema
    .createTable('pet')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('person.id'))
    .addColumn('species', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pet_owner_id_index').on('pet').column('owner_id').execute();
});

afterEach(async () => {
  await db.destroy();
  await database.close();
  dir.cleanup();
});

async function seed(): Promise<void> {
  await db
    .insertInto('person')
    .values([
      { first_name: 'Jennifer', last_name: 'Aniston', profile: JSON.stringify({ city: 'LA', tags: ['actor'] }) },
      { first_name: 'Arnold', last_name: 'Schwarzenegger', profile: JSON.stringify({ city: 'Graz', tags: ['actor', 'governor'] }) },
      { first_name: 'Sylvester', last_name: null, profile: null },
    ])
    .execute();
  await db
    .insertInto('pet')
    .values([
      { name: 'Catto', owner_id: 1, species: 'cat' },
      { name: 'Doggo', owner_id: 1, species: 'dog' },
      { name: 'Hammo', owner_id: 2, species: 'hamster' },
    ])
    .execute();
}

describe('SochDBDialect: query builder', () => {
  it('inserts with RETURNING and reports insertId / numAffectedRows without it', async () => {
    const row = await db
      .insertInto('person')
      .values({ first_name: 'Ada', last_name: 'Lovelace', profile: null })
      .returning(['id', 'first_name'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ id: 1, first_name: 'Ada' });
    const result = await db.insertInto('person').values({ first_name: 'Grace', last_name: 'Hopper', profile: null }).executeTakeFirstOrThrow();
    expect(result.insertId).toBe(2n);
    expect(result.numInsertedOrUpdatedRows).toBe(1n);
    const updated = await db.updateTable('person').set({ last_name: 'X' }).where('id', '<=', 2).executeTakeFirstOrThrow();
    expect(updated.numUpdatedRows).toBe(2n);
    const deleted = await db.deleteFrom('person').where('id', '=', 1).returningAll().execute();
    expect(deleted).toEqual([{ id: 1, first_name: 'Ada', last_name: 'X', profile: null }]);
  });

  it('runs joins and aggregates', async () => {
    await seed();
    const rows = await db
      .selectFrom('person')
      .innerJoin('pet', 'pet.owner_id', 'person.id')
      .select(['person.first_name', 'pet.name as pet_name'])
      .orderBy('pet.name')
      .execute();
    expect(rows).toEqual([
      { first_name: 'Jennifer', pet_name: 'Catto' },
      { first_name: 'Jennifer', pet_name: 'Doggo' },
      { first_name: 'Arnold', pet_name: 'Hammo' },
    ]);
    const counts = await db
      .selectFrom('person')
      .leftJoin('pet', 'pet.owner_id', 'person.id')
      .select((eb) => ['person.first_name', eb.fn.count<number>('pet.id').as('pets')])
      .groupBy('person.id')
      .having((eb) => eb.fn.count('pet.id'), '<', 2)
      .orderBy('person.id')
      .execute();
    expect(counts).toEqual([
      { first_name: 'Arnold', pets: 1 },
      { first_name: 'Sylvester', pets: 0 },
    ]);
    const { total } = await db
      .selectFrom('pet')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow();
    expect(total).toBe(3);
    const owners = await db
      .selectFrom('person')
      .where('id', 'in', db.selectFrom('pet').select('owner_id').where('species', '=', 'dog'))
      .select('first_name')
      .execute();
    expect(owners).toEqual([{ first_name: 'Jennifer' }]);
  });

  it('filters on a JSON column with json_extract and ->>', async () => {
    await seed();
    const byExtract = await db
      .selectFrom('person')
      .select('first_name')
      .where(sql<string>`json_extract(profile, '$.city')`, '=', 'Graz')
      .execute();
    expect(byExtract).toEqual([{ first_name: 'Arnold' }]);
    const byArrow = await db
      .selectFrom('person')
      .select(['first_name', sql<string>`profile ->> '$.tags[0]'`.as('first_tag')])
      .where(sql`profile ->> '$.city'`, '=', 'LA')
      .execute();
    expect(byArrow).toEqual([{ first_name: 'Jennifer', first_tag: 'actor' }]);
    const governors = await db
      .selectFrom('person')
      .select('first_name')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom(sql<{ value: string }>`json_each(person.profile, '$.tags')`.as('t'))
            .select('t.value')
            .where('t.value', '=', 'governor'),
        ),
      )
      .execute();
    expect(governors).toEqual([{ first_name: 'Arnold' }]);
  });

  it('reads the schema through db.introspection', async () => {
    const tables = await db.introspection.getTables();
    expect(tables.map((t) => t.name).sort()).toEqual(['person', 'pet']);
    const person = tables.find((t) => t.name === 'person')!;
    expect(person.columns.map((c) => ({ name: c.name, type: c.dataType, nullable: c.isNullable, auto: c.isAutoIncrementing }))).toEqual([
      { name: 'id', type: 'INTEGER', nullable: true, auto: true },
      { name: 'first_name', type: 'TEXT', nullable: false, auto: false },
      { name: 'last_name', type: 'TEXT', nullable: true, auto: false },
      { name: 'profile', type: 'TEXT', nullable: true, auto: false },
    ]);
  });

  it('streams a SELECT in chunks and refuses to stream anything else', async () => {
    await seed();
    const names: string[] = [];
    for await (const pet of db.selectFrom('pet').select('name').orderBy('name').stream(2)) names.push(pet.name);
    expect(names).toEqual(['Catto', 'Doggo', 'Hammo']);
    const stream = db.insertInto('pet').values({ name: 'X', owner_id: 1, species: 'x' }).returning('id').stream();
    await expect(stream.next()).rejects.toBeInstanceOf(SochDBKyselyError);
  });

  // Known engine gap (packages/sql): foreign key actions other than NO ACTION / RESTRICT are
  // refused at CREATE TABLE ("foreign key action CASCADE is not supported yet"). `it.fails` turns
  // red once the engine accepts them, so this can become a plain `it`.
  it.fails('creates a table with ON DELETE CASCADE', async () => {
    await db.schema
      .createTable('toy')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('pet_id', 'integer', (c) => c.references('pet.id').onDelete('cascade'))
      .execute();
  });

  it("passes the engine's typed errors through", async () => {
    await expect(
      db
        .selectFrom('person')
        .select(sql`no_such_function(1)`.as('x'))
        .execute(),
    ).rejects.toBeInstanceOf(QueryError);
  });
});

describe('SochDBDialect: transactions', () => {
  it('commits', async () => {
    const id = await db.transaction().execute(async (trx) => {
      const { id } = await trx.insertInto('person').values({ first_name: 'Tx', last_name: null, profile: null }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('pet').values({ name: 'Txpet', owner_id: id, species: 'cat' }).execute();
      return id;
    });
    expect(await db.selectFrom('pet').select('owner_id').execute()).toEqual([{ owner_id: id }]);
  });

  it('rolls back when the callback throws, and reads its own writes meanwhile', async () => {
    class Boom extends Error {}
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('person').values({ first_name: 'Gone', last_name: null, profile: null }).execute();
        const inside = await trx.selectFrom('person').select('first_name').execute();
        expect(inside).toEqual([{ first_name: 'Gone' }]);
        throw new Boom();
      }),
    ).rejects.toBeInstanceOf(Boom);
    expect(await db.selectFrom('person').selectAll().execute()).toEqual([]);
    // The same statements through the SDK see nothing either: the rollback reached storage.
    expect((await database.execute('SELECT count(*) AS n FROM person')).rows).toEqual([{ n: 0 }]);
  });

  it('rolls back a constraint violation with everything before it', async () => {
    await seed();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('pet').values({ name: 'Fresh', owner_id: 3, species: 'fish' }).execute();
        await trx.insertInto('pet').values({ name: 'Catto', owner_id: 3, species: 'cat' }).execute(); // UNIQUE(name)
      }),
    ).rejects.toThrow(/UNIQUE/i);
    expect(await db.selectFrom('pet').select('name').where('owner_id', '=', 3).execute()).toEqual([]);
  });

  it('reports a lost write conflict as TransactionConflictError, and the next transaction works', async () => {
    await seed();
    const attempt = db.transaction().execute(async (trx) => {
      await trx.updateTable('person').set({ last_name: 'from kysely' }).where('id', '=', 3).execute();
      // Another writer on the same Database commits the same row first: first committer wins.
      await database.execute("UPDATE person SET last_name = 'from sdk' WHERE id = 3");
    });
    await expect(attempt).rejects.toBeInstanceOf(TransactionConflictError);
    expect(await db.selectFrom('person').select('last_name').where('id', '=', 3).executeTakeFirst()).toEqual({ last_name: 'from sdk' });
    await db.transaction().execute((trx) => trx.updateTable('person').set({ last_name: 'retried' }).where('id', '=', 3).execute());
    expect(await db.selectFrom('person').select('last_name').where('id', '=', 3).executeTakeFirst()).toEqual({ last_name: 'retried' });
  });

  it('keeps other callers waiting until the transaction ends (one connection)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const trx = db.transaction().execute(async (t) => {
      await t.insertInto('person').values({ first_name: 'Held', last_name: null, profile: null }).execute();
      await gate;
    });
    await new Promise((r) => setTimeout(r, 10));
    const outside = db.selectFrom('person').select('first_name').execute();
    let outsideDone = false;
    void outside.then(() => (outsideDone = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(outsideDone).toBe(false);
    release();
    await trx;
    expect(await outside).toEqual([{ first_name: 'Held' }]);
  });

  it('controlled transactions with savepoints', async () => {
    const trx = await db.startTransaction().execute();
    await trx.insertInto('person').values({ first_name: 'Kept', last_name: null, profile: null }).execute();
    const sp = await trx.savepoint('sp1').execute();
    await sp.insertInto('person').values({ first_name: 'Undone', last_name: null, profile: null }).execute();
    const back = await sp.rollbackToSavepoint('sp1').execute();
    const sp2 = await back.savepoint('sp2').execute();
    await sp2.insertInto('person').values({ first_name: 'Released', last_name: null, profile: null }).execute();
    const released = await sp2.releaseSavepoint('sp2').execute();
    await released.commit().execute();
    expect(await db.selectFrom('person').select('first_name').orderBy('id').execute()).toEqual([{ first_name: 'Kept' }, { first_name: 'Released' }]);

    const dropped = await db.startTransaction().execute();
    await dropped.insertInto('person').values({ first_name: 'Never', last_name: null, profile: null }).execute();
    await dropped.rollback().execute();
    expect(await db.selectFrom('person').select('first_name').where('first_name', '=', 'Never').execute()).toEqual([]);
  });
});

describe('SochDBDialect: migrations and lifetime', () => {
  const migrations: Record<string, Migration> = {
    '0001_tag': {
      async up(k: Kysely<unknown>) {
        await k.schema
          .createTable('tag')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('label', 'text', (c) => c.notNull())
          .execute();
      },
      async down(k: Kysely<unknown>) {
        await k.schema.dropTable('tag').execute();
      },
    },
    '0002_tag_color': {
      async up(k: Kysely<unknown>) {
        await k.schema
          .alterTable('tag')
          .addColumn('color', 'text', (c) => c.defaultTo('red'))
          .execute();
      },
      async down(k: Kysely<unknown>) {
        await k.schema.alterTable('tag').dropColumn('color').execute();
      },
    },
  };
  const provider: MigrationProvider = { getMigrations: async () => migrations };

  it("runs Kysely's Migrator up, again (nothing to do), and down", async () => {
    const migrator = new Migrator({ db, provider });
    const first = await migrator.migrateToLatest();
    expect(first.error).toBeUndefined();
    expect(first.results?.map((r) => [r.migrationName, r.status])).toEqual([
      ['0001_tag', 'Success'],
      ['0002_tag_color', 'Success'],
    ]);
    const again = await migrator.migrateToLatest();
    expect(again.error).toBeUndefined();
    expect(again.results).toEqual([]);
    await sql`INSERT INTO tag (label) VALUES ('a')`.execute(db);
    expect((await sql<{ label: string; color: string }>`SELECT label, color FROM tag`.execute(db)).rows).toEqual([{ label: 'a', color: 'red' }]);
    const down = await migrator.migrateDown();
    expect(down.error).toBeUndefined();
    const columns = (await db.introspection.getTables()).find((t) => t.name === 'tag')!.columns.map((c) => c.name);
    expect(columns).toEqual(['id', 'label']);
  });

  it('keeps data across a reopen of the folder, and closes a database it opened itself', async () => {
    await seed();
    await db.destroy();
    await database.close();
    let opened: Database | undefined;
    const own = new Kysely<Schema>({ dialect: new SochDBDialect({ database: async () => (opened = await Database.open(dir.path)) }) });
    expect(await own.selectFrom('pet').select('name').orderBy('name').execute()).toEqual([{ name: 'Catto' }, { name: 'Doggo' }, { name: 'Hammo' }]);
    await own.destroy();
    await expect(opened!.execute('SELECT 1')).rejects.toThrow();
    // afterEach destroys and closes again: reopen so that it has something open to close.
    database = await Database.open(dir.path);
    db = new Kysely<Schema>({ dialect: new SochDBDialect({ database }) });
  });
});
