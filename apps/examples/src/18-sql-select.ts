// SQL — SELECT with WHERE; results iterate as row objects
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('sql_db'));
await db.executeSql(`
  CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, age INTEGER);
  INSERT INTO users (id, name, email, age) VALUES (1, 'Alice', 'alice@example.com', 30), (2, 'Bob', 'bob@example.com', 25);
`);

// Select all
for (const row of await db.executeSql('SELECT * FROM users')) {
  console.log(JSON.stringify(row));
}
// Output:
// {"id":1,"name":"Alice","email":"alice@example.com","age":30}
// {"id":2,"name":"Bob","email":"bob@example.com","age":25}

// WHERE clause (with a bound parameter)
for (const row of await db.executeSql('SELECT name, age FROM users WHERE age > ?', [26])) {
  console.log(`${String(row.name)}: ${String(row.age)} years old`);
}
// Output:
// Alice: 30 years old
