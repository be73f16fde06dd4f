import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LevelStorage } from '@sochdb/core';
import { SqlEngine } from '@sochdb/sql';

const dir = mkdtempSync(join(tmpdir(), 'sochdb-sql-example-'));
const storage = await LevelStorage.open(dir);
const sql = new SqlEngine(storage);

await sql.execute(`
  CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE);
  CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    user_id INTEGER REFERENCES users(id),
    product TEXT,
    amount REAL
  );
  CREATE INDEX orders_amount ON orders (amount)`);
await sql.execute('INSERT INTO users (name, email) VALUES (?, ?), (?, ?)', ['Alice', 'alice@example.com', 'Bob', 'bob@example.com']);
await sql.execute("INSERT INTO orders (user_id, product, amount) VALUES (1, 'Laptop', 999.99), (1, 'Mouse', 25.0), (2, 'Keyboard', 75.0)");

const totals = await sql.execute(`
  SELECT users.name, COUNT(*) AS order_count, SUM(orders.amount) AS total
  FROM users JOIN orders ON users.id = orders.user_id
  GROUP BY users.name
  ORDER BY total DESC`);
for (const row of totals) console.log(`${String(row['name'])}: ${String(row['order_count'])} orders, $${String(row['total'])}`);

// SQL and key-value writes in one transaction: both commit, or neither does.
const txn = storage.beginTransaction();
await sql.execute("UPDATE users SET email = 'alice@acme.com' WHERE name = 'Alice'", [], { txn });
await txn.put('audit/alice', 'email changed');
await txn.commit();
console.log((await sql.execute('SELECT email FROM users WHERE id = 1')).rows[0]?.['email']);

// Constraints are enforced and reported with the table, column and constraint.
try {
  await sql.execute("INSERT INTO orders (user_id, product, amount) VALUES (42, 'Ghost', 1.0)");
} catch (error) {
  const e = error as { code: number; constraint: string };
  console.log(`refused: ${e.constraint} (code ${e.code})`);
}

console.log((await sql.explain('SELECT product FROM orders WHERE amount > 50')).join('\n'));

await storage.close();
rmSync(dir, { recursive: true, force: true });
