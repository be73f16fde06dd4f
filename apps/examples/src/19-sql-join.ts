// SQL — JOIN across two tables
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('sql_db'));
await db.executeSql(`
  CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, age INTEGER);
  INSERT INTO users (id, name, email, age) VALUES (1, 'Alice', 'alice@example.com', 30), (2, 'Bob', 'bob@example.com', 25);
`);

// Create the orders table
await db.executeSql(`
  CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    user_id INTEGER,
    product TEXT,
    amount REAL,
    FOREIGN KEY (user_id) REFERENCES users(id)
  )
`);

// Insert orders
await db.executeSql("INSERT INTO orders VALUES (1, 1, 'Laptop', 999.99)");
await db.executeSql("INSERT INTO orders VALUES (2, 1, 'Mouse', 25.00)");
await db.executeSql("INSERT INTO orders VALUES (3, 2, 'Keyboard', 75.00)");

// JOIN query
const results = await db.executeSql(`
  SELECT users.name, orders.product, orders.amount
  FROM users
  JOIN orders ON users.id = orders.user_id
  WHERE orders.amount > 50
  ORDER BY orders.amount DESC
`);
for (const row of results) {
  console.log(`${String(row.name)} bought ${String(row.product)} for $${String(row.amount)}`);
}
