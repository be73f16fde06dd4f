// Complete example 2 — e-commerce analytics with SQL
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('ecommerce'));

// Schema
await db.executeSql(`
  CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    name TEXT,
    price REAL,
    category TEXT
  )
`);
await db.executeSql(`
  CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    product_id INTEGER,
    quantity INTEGER,
    total REAL
  )
`);

// Data
await db.executeSql("INSERT INTO products VALUES (1, 'Laptop', 999.99, 'Electronics')");
await db.executeSql("INSERT INTO products VALUES (2, 'Mouse', 25.00, 'Electronics')");
await db.executeSql("INSERT INTO products VALUES (3, 'Desk', 299.99, 'Furniture')");
await db.executeSql('INSERT INTO orders VALUES (1, 1, 2, 1999.98)');
await db.executeSql('INSERT INTO orders VALUES (2, 2, 5, 125.00)');

// Analytics query
const results = await db.executeSql(`
  SELECT
    products.category,
    COUNT(orders.id) as order_count,
    SUM(orders.total) as revenue
  FROM products
  JOIN orders ON products.id = orders.product_id
  GROUP BY products.category
  ORDER BY revenue DESC
`);

console.log('Category Performance:');
for (const row of results) {
  console.log(`${String(row.category)}: ${String(row.order_count)} orders, $${Number(row.revenue).toFixed(2)}`);
}
