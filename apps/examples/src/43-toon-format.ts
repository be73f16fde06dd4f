// Advanced — TOON: compact, typed tables for LLM context
import { Database } from '@sochdb/sdk';

// Sample records
const records = [
  { id: 1, name: 'Alice', email: 'alice@example.com' },
  { id: 2, name: 'Bob', email: 'bob@example.com' },
];

// Convert to TOON
const toonStr = Database.toToon('users', records, ['name', 'email']);
console.log(toonStr);
// Output: users[2]{name,email}:Alice,alice@example.com;Bob,bob@example.com

// Parse TOON back to records
const { table, fields, records: parsed } = Database.fromToon(toonStr);
console.log(JSON.stringify(parsed));
// Output: [{"name":"Alice","email":"alice@example.com"},{"name":"Bob","email":"bob@example.com"}]
console.log(`table ${table}, fields ${fields.join(',')}`);

// Values keep their types: numbers and booleans come back as numbers and booleans.
console.log(JSON.stringify(Database.fromToon(Database.toToon('users', records, ['id', 'name'])).records));
