import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '@sochdb/sdk';
import { SochDBDialect } from '@sochdb/kysely';
import { Kysely, sql, type Generated } from 'kysely';

interface Schema {
  person: { id: Generated<number>; name: string; profile: string };
  pet: { id: Generated<number>; name: string; owner_id: number };
}

const folder = mkdtempSync(join(tmpdir(), 'sochdb-kysely-example-'));
const database = await Database.open(folder); // a LevelDB folder (or ':memory:')
const db = new Kysely<Schema>({ dialect: new SochDBDialect({ database }) });

await db.schema
  .createTable('person')
  .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
  .addColumn('name', 'text', (c) => c.notNull())
  .addColumn('profile', 'text', (c) => c.notNull().defaultTo('{}'))
  .execute();
await db.schema
  .createTable('pet')
  .addColumn('id', 'integer', (c) => c.primaryKey())
  .addColumn('name', 'text', (c) => c.notNull())
  .addColumn('owner_id', 'integer', (c) => c.notNull().references('person.id'))
  .execute();

// INSERT … RETURNING, and a transaction that commits (or rolls back if the callback throws).
const ada = await db
  .insertInto('person')
  .values({ name: 'Ada', profile: JSON.stringify({ city: 'London' }) })
  .returning(['id', 'name'])
  .executeTakeFirstOrThrow();
console.log(ada);
await db.transaction().execute(async (trx) => {
  const { id } = await trx.insertInto('person').values({ name: 'Alan', profile: '{"city":"Wilmslow"}' }).returning('id').executeTakeFirstOrThrow();
  await trx.insertInto('pet').values([{ name: 'Babbage', owner_id: ada.id }, { name: 'Enigma', owner_id: id }]).execute();
});

// A join with an aggregate, and a filter on a JSON column.
const pets = await db
  .selectFrom('person')
  .leftJoin('pet', 'pet.owner_id', 'person.id')
  .select((eb) => ['person.name', eb.fn.count<number>('pet.id').as('pets')])
  .groupBy('person.id')
  .orderBy('person.name')
  .execute();
console.log(pets);
const londoners = await db.selectFrom('person').select('name').where(sql`profile ->> '$.city'`, '=', 'London').execute();
console.log(londoners);
console.log((await db.introspection.getTables()).map((t) => `${t.name}(${t.columns.map((c) => c.name).join(', ')})`));

await db.destroy(); // the database stays open: it is yours
await database.close();
rmSync(folder, { recursive: true, force: true });
