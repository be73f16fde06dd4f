// Token counts (gpt-tokenizer, o200k_base — the GPT-4o/GPT-5 family) of the same records as
// compact TOON, official TOON, compact JSON and pretty JSON; then encode/decode speed.
import { isDeepStrictEqual } from 'node:util';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { decodeToon, encodeToon, fromToon, toToon, type ToonRecord } from '@sochdb/toon';
import { formatRate, opsPerSecond, printTable, size } from './lib/table.js';

interface RecordSet {
  readonly name: string;
  readonly table: string;
  readonly records: readonly ToonRecord[];
}

export default async function run(): Promise<void> {
  const sets = recordSets();
  const rows = sets.map(({ name, table, records }) => {
    const compact = toToon(table, records);
    if (!isDeepStrictEqual(fromToon(compact).records, records)) throw new Error(`${name}: compact TOON did not round-trip`);
    // Every format carries the table name, as compact TOON does.
    const wrapped = { [table]: records };
    const counts = [compact, encodeToon(wrapped), JSON.stringify(wrapped), JSON.stringify(wrapped, null, 2)].map((t) => countTokens(t));
    const [toon, official, json, pretty] = counts as [number, number, number, number];
    return [name, String(records.length), ...counts.map(String), saving(toon, pretty), saving(toon, json), saving(official, json)];
  });
  printTable(
    [
      'record set',
      'rows',
      'compact TOON',
      'official TOON',
      'compact JSON',
      'pretty JSON',
      'compact TOON vs pretty JSON',
      'compact TOON vs compact JSON',
      'official TOON vs compact JSON',
    ],
    rows,
  );

  console.log('');
  const products = sets[1]!;
  const n = size(2_000, 200);
  const compact = toToon(products.table, products.records);
  const official = encodeToon({ [products.table]: products.records });
  const json = JSON.stringify(products.records);
  const speed = [
    ['toToon', () => void toToon(products.table, products.records)],
    ['fromToon', () => void fromToon(compact)],
    ['encodeToon (@toon-format/toon)', () => void encodeToon({ [products.table]: products.records })],
    ['decodeToon (@toon-format/toon)', () => void decodeToon(official)],
    ['JSON.stringify', () => void JSON.stringify(products.records)],
    ['JSON.parse', () => void JSON.parse(json)],
  ] as const;
  const speedRows: string[][] = [];
  for (const [name, fn] of speed) {
    for (let i = 0; i < 50; i++) fn();
    const rate = await opsPerSecond(n, () => {
      for (let i = 0; i < n; i++) fn();
    });
    speedRows.push([name, formatRate(rate), formatRate(rate * products.records.length)]);
  }
  printTable([`${products.records.length}-row product table`, 'tables/s', 'rows/s'], speedRows);
}

function saving(ours: number, theirs: number): string {
  const change = ((theirs - ours) / theirs) * 100;
  return change >= 0 ? `${change.toFixed(0)}% fewer` : `${(-change).toFixed(0)}% more`;
}

function recordSets(): RecordSet[] {
  // The seed guide's example.
  const users = [
    { id: 1, name: 'Alice', email: 'alice@example.com' },
    { id: 2, name: 'Bob', email: 'bob@example.com' },
  ];
  // A deterministic product catalogue.
  const adjectives = ['Compact', 'Wireless', 'Ergonomic', 'Smart', 'Portable', 'Premium', 'Classic', 'Ultra'];
  const nouns = ['Laptop', 'Mouse', 'Keyboard', 'Monitor', 'Headset', 'Webcam', 'Dock', 'Speaker', 'Tablet', 'Charger'];
  const categories = ['computers', 'accessories', 'audio', 'video', 'power'];
  const products = Array.from({ length: 100 }, (_, i) => ({
    id: 1000 + i,
    name: `${adjectives[i % adjectives.length]} ${nouns[(i * 7) % nouns.length]}`,
    category: categories[(i * 3) % categories.length]!,
    price: Math.round((9.99 + ((i * 37) % 500) + (i % 3) * 0.5) * 100) / 100,
    stock: (i * 13) % 120,
    inStock: (i * 13) % 120 > 0,
  }));
  // Mixed: nested arrays and objects, optional fields, text with commas and quotes.
  const mixed = Array.from({ length: 30 }, (_, i) => ({
    id: `doc_${String(i).padStart(3, '0')}`,
    title: i % 4 === 0 ? `Notes, part ${i}` : `Report ${i}`,
    score: Math.round(((i * 0.37) % 1) * 1000) / 1000,
    tags: ['ml', 'search', 'rag', 'llm'].slice(0, (i % 4) + 1),
    meta: { source: i % 2 === 0 ? 'web' : 'api', version: (i % 3) + 1 },
    ...(i % 5 === 0 ? { note: 'has "quotes"' } : {}),
  }));
  return [
    { name: 'seed users (2 rows)', table: 'users', records: users },
    { name: 'products (100 rows)', table: 'products', records: products },
    { name: 'mixed / nested (30 rows)', table: 'documents', records: mixed },
  ];
}
