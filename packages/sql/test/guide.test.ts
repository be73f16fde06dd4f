// Every SQL example of the original SochDB guide, with the guide's printed output.
import { afterEach, describe, expect, it } from 'vitest';
import { openEngine } from './helpers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function fresh() {
  const db = await openEngine();
  close = db.close;
  return db;
}

describe('SQL Database section of the guide', () => {
  it('creates, inserts, selects, joins, aggregates, updates and deletes with the guide output', async () => {
    const { sql } = await fresh();
    await sql.execute(`
      CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT UNIQUE,
        age INTEGER
      )`);
    await sql.execute(`INSERT INTO users (id, name, email, age) VALUES (1, 'Alice', 'alice@example.com', 30)`);
    await sql.execute(`INSERT INTO users (id, name, email, age) VALUES (2, 'Bob', 'bob@example.com', 25)`);

    const all = await sql.execute('SELECT * FROM users');
    expect([...all]).toEqual([
      { id: 1, name: 'Alice', email: 'alice@example.com', age: 30 },
      { id: 2, name: 'Bob', email: 'bob@example.com', age: 25 },
    ]);
    const older = await sql.execute('SELECT name, age FROM users WHERE age > 26');
    expect(older.rows.map((r) => `${r['name']}: ${r['age']} years old`)).toEqual(['Alice: 30 years old']);

    await sql.execute(`
      CREATE TABLE orders (
        id INTEGER PRIMARY KEY,
        user_id INTEGER,
        product TEXT,
        amount REAL,
        FOREIGN KEY (user_id) REFERENCES users(id)
      )`);
    await sql.execute("INSERT INTO orders VALUES (1, 1, 'Laptop', 999.99)");
    await sql.execute("INSERT INTO orders VALUES (2, 1, 'Mouse', 25.00)");
    await sql.execute("INSERT INTO orders VALUES (3, 2, 'Keyboard', 75.00)");
    const joined = await sql.execute(`
      SELECT users.name, orders.product, orders.amount
      FROM users
      JOIN orders ON users.id = orders.user_id
      WHERE orders.amount > 50
      ORDER BY orders.amount DESC`);
    expect(joined.rows.map((r) => `${r['name']} bought ${r['product']} for $${r['amount']}`)).toEqual([
      'Alice bought Laptop for $999.99',
      'Bob bought Keyboard for $75',
    ]);

    const totals = await sql.execute(`
      SELECT users.name, COUNT(*) as order_count, SUM(orders.amount) as total
      FROM users
      JOIN orders ON users.id = orders.user_id
      GROUP BY users.name
      ORDER BY total DESC`);
    expect(totals.rows).toEqual([
      { name: 'Alice', order_count: 2, total: 1024.99 },
      { name: 'Bob', order_count: 1, total: 75 },
    ]);

    await sql.execute("UPDATE users SET age = 31 WHERE name = 'Alice'");
    // Bob still has an order: the foreign key (enforced by default) refuses to orphan it.
    await expect(sql.execute('DELETE FROM users WHERE age < 26')).rejects.toMatchObject({ code: 5002, constraint: 'FOREIGN KEY' });
    await sql.execute('DELETE FROM orders WHERE user_id = 2');
    await sql.execute('DELETE FROM users WHERE age < 26');
    expect((await sql.execute('SELECT name, age FROM users')).rows).toEqual([{ name: 'Alice', age: 31 }]);
  });
});

describe('Example 1: multi-tenant SaaS with SQL + K-V', () => {
  it('lists each tenant with its users from a key scan', async () => {
    const { sql, storage } = await fresh();
    await sql.execute(`
      CREATE TABLE IF NOT EXISTS tenants (
        id INTEGER PRIMARY KEY,
        name TEXT,
        created_at TEXT
      )`);
    await sql.execute("INSERT INTO tenants VALUES (1, 'ACME Corp', '2026-01-01')");
    await sql.execute("INSERT INTO tenants VALUES (2, 'Globex Inc', '2026-01-01')");
    await storage.put('tenants/1/users/alice', '{"role":"admin","email":"alice@acme.com"}');
    await storage.put('tenants/1/users/bob', '{"role":"user","email":"bob@acme.com"}');
    await storage.put('tenants/2/users/charlie', '{"role":"admin","email":"charlie@globex.com"}');

    const lines: string[] = [];
    for (const tenant of await sql.execute('SELECT * FROM tenants ORDER BY name')) {
      const users: [string, { role: string; email: string }][] = [];
      for await (const [k, v] of storage.iterator({ gte: `tenants/${tenant['id']}/`, lt: `tenants/${tenant['id']};` })) {
        users.push([k.toString(), JSON.parse(v.toString()) as { role: string; email: string }]);
      }
      lines.push('', `${tenant['name']} (${users.length} users):`);
      for (const [key, user] of users) lines.push(` ${key}: ${user.email} (${user.role})`);
    }
    expect(lines.join('\n')).toBe(`
ACME Corp (2 users):
 tenants/1/users/alice: alice@acme.com (admin)
 tenants/1/users/bob: bob@acme.com (user)

Globex Inc (1 users):
 tenants/2/users/charlie: charlie@globex.com (admin)`);
  });
});

describe('Example 2: e-commerce analytics', () => {
  it('reports revenue per category', async () => {
    const { sql } = await fresh();
    await sql.execute('CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT, price REAL, category TEXT)');
    await sql.execute('CREATE TABLE orders (id INTEGER PRIMARY KEY, product_id INTEGER, quantity INTEGER, total REAL)');
    await sql.execute("INSERT INTO products VALUES (1, 'Laptop', 999.99, 'Electronics')");
    await sql.execute("INSERT INTO products VALUES (2, 'Mouse', 25.00, 'Electronics')");
    await sql.execute("INSERT INTO products VALUES (3, 'Desk', 299.99, 'Furniture')");
    await sql.execute('INSERT INTO orders VALUES (1, 1, 2, 1999.98)');
    await sql.execute('INSERT INTO orders VALUES (2, 2, 5, 125.00)');
    const results = await sql.execute(`
      SELECT
        products.category,
        COUNT(orders.id) as order_count,
        SUM(orders.total) as revenue
      FROM products
      JOIN orders ON products.id = orders.product_id
      GROUP BY products.category
      ORDER BY revenue DESC`);
    const out = ['Category Performance:', ...results.rows.map((r) => `${r['category']}: ${r['order_count']} orders, $${(r['revenue'] as number).toFixed(2)}`)];
    expect(out).toEqual(['Category Performance:', 'Electronics: 2 orders, $2124.98']);
  });
});
