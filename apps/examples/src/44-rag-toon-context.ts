// Advanced — RAG with LLMs: SQL rows as TOON context for a prompt
import { Database } from '@sochdb/sdk';
import { scratchDir } from './lib/scratch.js';

await using dir = await scratchDir();
await using db = await Database.open(dir.join('knowledge_base'));
await db.executeSql(`
  CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT, content TEXT, category TEXT);
  INSERT INTO documents (title, content, category) VALUES
    ('HNSW', 'Graph-based approximate nearest neighbour search', 'technical'),
    ('BM25', 'Keyword ranking with term saturation', 'technical'),
    ('Pricing', 'Plans start at zero', 'business');
`);

// Query relevant documents
const results = await db.executeSql(`
  SELECT title, content
  FROM documents
  WHERE category = 'technical'
  LIMIT 10
`);

// Convert to TOON for compact context. (SQL values may be bigint or Buffer, which TOON has no
// type for, so the rows are mapped to the TEXT columns they hold.)
const records = results.rows.map((row) => ({ title: String(row.title), content: String(row.content) }));
const toonContext = Database.toToon('documents', records, ['title', 'content']);

// Send to an LLM (any client; shown here as the messages it would get)
const messages = [
  { role: 'system', content: `Context:\n${toonContext}` },
  { role: 'user', content: 'Summarize the documents' },
];
console.log(JSON.stringify(messages, null, 2));
