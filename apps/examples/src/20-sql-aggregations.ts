// SQL — GROUP BY with COUNT and SUM
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('sql_db'));
await db.executeSql(`
  CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE, age INTEGER);
  INSERT INTO users (id, name, email, age) VALUES (1, 'Alice', 'alice@example.com', 30), (2, 'Bob', 'bob@example.com', 25);
  CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER, product TEXT, amount REAL, FOREIGN KEY (user_id) REFERENCES users(id));
  INSERT INTO orders VALUES (1, 1, 'Laptop', 999.99), (2, 1, 'Mouse', 25.00), (3, 2, 'Keyboard', 75.00);
`);

// GROUP BY with aggregations
const results = await db.executeSql(`
  SELECT users.name, COUNT(*) as order_count, SUM(orders.amount) as total
  FROM users
  JOIN orders ON users.id = orders.user_id
  GROUP BY users.name
  ORDER BY total DESC
`);
for (const row of results) {
  console.log(`${String(row.name)}: ${String(row.order_count)} orders, $${String(row.total)} total`);
}
