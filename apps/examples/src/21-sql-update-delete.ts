// SQL — UPDATE and DELETE
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('sql_db'));
await db.executeSql(`
  CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, age INTEGER);
  INSERT INTO users (id, name, email, age) VALUES (1, 'Alice', 'alice@example.com', 30), (2, 'Bob', 'bob@example.com', 25);
`);

// Update
await db.executeSql("UPDATE users SET age = 31 WHERE name = 'Alice'");

// Delete
await db.executeSql('DELETE FROM users WHERE age < 26');

// Verify
for (const row of await db.executeSql('SELECT name, age FROM users')) {
  console.log(JSON.stringify(row));
}
// Output:
// {"name":"Alice","age":31}
