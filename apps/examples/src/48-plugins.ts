// Advanced — plugins: triggers that validate and transform rows (wired into SQL)
import { Database, PluginRegistry, TriggerAbort, TriggerEvent, type Row } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

// A validation plugin: in-process functions (the original ran Python source strings)
const registry = new PluginRegistry();
registry.register({
  name: 'user_validator',
  triggers: { users: ['BEFORE INSERT'] },
  onBeforeInsert(row: Row): Row {
    // Normalize the email
    if (typeof row.email === 'string') row.email = row.email.toLowerCase().trim();
    // Validate the age
    if (typeof row.age === 'number' && row.age < 0) throw new TriggerAbort('Age cannot be negative', 'INVALID_AGE');
    // Add a timestamp (seconds, as the original)
    row.created_at = Date.now() / 1000;
    return row;
  },
});

// Fire the trigger by hand
const row = { name: 'Alice', email: ' ALICE@EXAMPLE.COM ', age: 30 };
const result = registry.fire('users', TriggerEvent.BEFORE_INSERT, row);
console.log(result.email); // "alice@example.com"
console.log(result.created_at); // e.g. 1704182400.123

// Or let SQL fire it: every INSERT INTO users goes through the plugin
await using dir = await scratchDir();
await using db = await Database.open(dir.join('plugins_db'));
db.usePlugins(registry);
await db.executeSql('CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT, age INTEGER, created_at REAL)');
await db.executeSql("INSERT INTO users (name, email, age) VALUES ('Bob', '  Bob@Example.COM', 41)");
console.log(JSON.stringify((await db.executeSql('SELECT name, email FROM users')).rows));
try {
  await db.executeSql("INSERT INTO users (name, email, age) VALUES ('Eve', 'eve@example.com', -1)");
} catch (error) {
  if (!(error instanceof TriggerAbort)) throw error;
  console.log(`Rejected: ${error.message} (${error.abortCode})`);
}
console.log(`Users: ${String((await db.executeSql('SELECT COUNT(*) AS n FROM users')).rows[0]?.n)}`);
