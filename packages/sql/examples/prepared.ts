import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelStorage } from '@sochdb/core';
import { SqlEngine } from '@sochdb/sql';

const dir = mkdtempSync(join(tmpdir(), 'sochdb-sql-prepared-'));
const storage = await LevelStorage.open(dir);
const sql = new SqlEngine(storage);
await sql.execute('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER)');

// Parsed and compiled once; every call binds new values (and returns a promise).
const insert = sql.prepare('INSERT INTO users (name, age) VALUES (:name, :age)');
for (const [name, age] of [['ann', 31], ['bob', 25], ['cy', 40]] as const) await insert.run({ name, age });
console.log(await insert.run({ name: 'di', age: 19 })); // { changes: 1, lastInsertRowid: 4 }

const older = sql.prepare('SELECT id, name FROM users WHERE age > ? ORDER BY id');
console.log(await older.all(30)); // every row
console.log(await older.get(35)); // the first row, or undefined
for await (const row of older.iterate([20])) console.log(row.name);
console.log(older.columns().map((c) => `${c.name}: ${c.table}.${c.column} ${c.type}`).join(', '));
console.log(await sql.prepare('SELECT name FROM users ORDER BY age').pluck().all());
console.log(await sql.prepare('SELECT changes() AS c, total_changes() AS t, last_insert_rowid() AS r').get());

await storage.close();
rmSync(dir, { recursive: true, force: true });
