import { decodeToon, encodeToon, fromToon, toToon, ToonParseError } from '@sochdb/toon';

const records = [
  { id: 1, name: 'Alice', email: 'alice@example.com' },
  { id: 2, name: 'Bob', email: 'bob@example.com' },
];

// Compact form: one line, one header, rows separated by ';'.
const toonStr = toToon('users', records, ['name', 'email']);
console.log(toonStr);

// Parsing gives the table name, the fields and typed records back.
const { table, fields, records: parsed } = fromToon(toonStr);
console.log(table, fields, JSON.stringify(parsed));

// Values keep their types; strings that need it are quoted, so everything round-trips.
const tricky = toToon('t', [{ n: 42, s: '42', ok: true, none: null, text: 'a, b; "c"', tags: ['x', 'y'] }]);
console.log(tricky);
console.log(JSON.stringify(fromToon(tricky).records));

// Malformed text fails with the offset of the problem.
try {
  fromToon('users[3]{name}:Alice;Bob');
} catch (error) {
  if (error instanceof ToonParseError) console.log(`${error.code} at ${error.offset}: ${error.message}`);
}

// The official TOON format (indentation-based, spec v4).
const official = encodeToon({ users: records });
console.log(official);
console.log(JSON.stringify(decodeToon(official)));
