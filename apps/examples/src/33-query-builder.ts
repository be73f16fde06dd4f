// Query builder — select fields of JSON values under a prefix, as TOON
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('shop_db'));

// Insert structured data
await db.put('products/laptop', '{"name":"Laptop","price":999,"stock":5}');
await db.put('products/mouse', '{"name":"Mouse","price":25,"stock":20}');

// Query with column selection
const results = await db.query('products/').select(['name', 'price']).limit(10).toList();
for (const [key, value] of results) {
  console.log(`${key.toString()}: ${value.toString()}`);
}

// All rows as one TOON table
console.log(await db.query('products/').select(['name', 'price']).toToon());
