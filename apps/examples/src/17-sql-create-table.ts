// SQL — CREATE TABLE and INSERT
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('sql_db'));

// Create a table
await db.executeSql(`
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT UNIQUE,
    age INTEGER
  )
`);
console.log("Table 'users' created");

// Insert data
let inserted = 0;
inserted += (
  await db.executeSql(`
  INSERT INTO users (id, name, email, age)
  VALUES (1, 'Alice', 'alice@example.com', 30)
`)
).rowsAffected;
inserted += (
  await db.executeSql(`
  INSERT INTO users (id, name, email, age)
  VALUES (2, 'Bob', 'bob@example.com', 25)
`)
).rowsAffected;
console.log(`${inserted} rows inserted`);
