import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Database } from '@sochdb/sdk';
import { drizzle, migrate } from '@sochdb/drizzle';
import { count, eq, sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

const notes = sqliteTable('notes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  title: text('title').notNull(),
  meta: text('meta', { mode: 'json' }).$type<{ tags: string[] }>(),
  done: integer('done', { mode: 'boolean' }).notNull().default(false),
});

const folder = mkdtempSync(join(tmpdir(), 'sochdb-drizzle-example-'));
const database = await Database.open(folder); // a LevelDB folder (or ':memory:')
const db = drizzle(database);

// drizzle-kit's output folder (meta/_journal.json + NNNN_name.sql); a second run applies nothing.
const migrationsFolder = fileURLToPath(new URL('./drizzle', import.meta.url));
await migrate(db, { migrationsFolder });
await migrate(db, { migrationsFolder });

const inserted = await db
  .insert(notes)
  .values([
    { title: 'buy milk', meta: { tags: ['home'] } },
    { title: 'ship adapters', meta: { tags: ['work', 'orm'] } },
  ])
  .returning({ id: notes.id, title: notes.title });
console.log(inserted);

// A transaction: commits when the callback returns, rolls back when it throws or calls tx.rollback().
await db.transaction(async (tx) => {
  await tx.update(notes).set({ done: true }).where(eq(notes.title, 'buy milk'));
});

const work = await db.select({ title: notes.title, done: notes.done }).from(notes).where(sql`${notes.meta} ->> '$.tags[0]' = ${'work'}`);
console.log(work);
console.log(await db.select({ done: notes.done, n: count() }).from(notes).groupBy(notes.done).orderBy(notes.done));

await database.close(); // drizzle() never closes the database: it is yours
rmSync(folder, { recursive: true, force: true });
