/**
 * What each example prints, line by line: a string must match exactly, a RegExp must match the
 * whole line. Where the guide shows output, these are the guide's lines carried over to
 * TypeScript by the rules below; elsewhere they are what the example is meant to show.
 *
 * Python → TypeScript output rules:
 * - A dict printed with `print(row)` is printed as `JSON.stringify(row)`: `{'id': 1}` → `{"id":1}`.
 * - bytes printed with `.decode()` are `buf.toString()`; Python's `b'…'` repr is not reproduced.
 * - A float with no fraction prints as an integer: Python `75.0` → JS `75`.
 * - Task ids (UUIDs), LSNs, transaction ids, pids, ports, socket paths, timings, rates, file
 *   sizes and distances of random vectors are matched by pattern, not value.
 * - TOON: ours is typed, so numbers are written bare (`Laptop,999`) and read back as numbers.
 */
export type Line = string | RegExp;

const uuid = /^Enqueued task: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const times = (n: number, line: Line): Line[] => Array.from({ length: n }, () => line);
const score = (id: string) => new RegExp(`^ID: ${id}, Score: -?\\d+\\.\\d{4}$`);

export const EXPECTED: Readonly<Record<string, readonly Line[]>> = {
  '01-quick-start': ['{"name":"Alice","age":30}'], // guide: {"name":"Alice","age":30}
  '02-embedded-mode': ['value: value'],
  '03-server-mode': ['value: value'],
  '04-concurrent-mode': ['Concurrent mode: true', 'Second handle reads: hello from the first handle'], // guide: Concurrent mode: True
  '05-namespaces': ['Created namespace: tenant_123 (Acme Corp, tier=enterprise)', 'Namespaces: tenant_123'],
  '06-collections': [
    'Created documents: dimension 384, metric cosine',
    'Created embeddings: dimension 768, metric cosine',
    'Collections: documents, embeddings',
  ],
  '07-vector-operations': ['Inserted doc_001 and doc_1, doc_2, doc_3', 'Count: 4', 'doc_001 metadata: {"source":"web","url":"https://sochdb.dev"}'],
  '08-unified-search': [
    'Vector search (source = web):',
    // The filter keeps exactly the three 'web' documents; the one sharing words with the query is first.
    score('doc_nn'),
    score('doc_(ml|db)'),
    score('doc_(ml|db)'),
    'Keyword search:',
    score('doc_ml'), // the only document with both "machine" and "learning"
    score('doc_(dl|nn)'),
    score('doc_(dl|nn)'),
    'Hybrid search:',
    ...times(5, score('doc_[a-z_]+')),
  ],
  '09-convenience-search': [/^vector: {2}doc_dl, /, /^keyword: doc_(dl|nn), doc_(dl|nn)$/, /^hybrid: {2}doc_dl, /],
  '10-vector-index': ['Index holds 2000 vectors', ...times(10, /^doc_\d+: \d\.\d{4}$/)],
  '11-bulk-operations': [/^Built 2000 vectors at \d+ vec\/s$/, /^Nearest: \d+ \(10 results\)$/], // guide: Built 10000 vectors at 1598 vec/s
  '12-queue-create': ['Queue ready: {"pending":0,"delayed":0,"claimed":0,"completed":0,"deadLettered":0,"total":0}'],
  '13-queue-enqueue': [uuid, 'Pending: 1, delayed: 1'],
  // guide: Processing: b'{"action": …}' (Python bytes repr); ours decodes the payload.
  '14-queue-dequeue': ['Processing: {"action": "process_order", "order_id": 123}', 'Completed: 1'],
  '15-queue-stats': ['Pending: 1', 'In-flight: 1', 'Dead-lettered: 1'],
  '16-queue-top-k': ['Priority 1: charge-card', 'Priority 1: ship-order', 'Priority 3: send-email', 'Priority 5: reindex', 'Two smallest: 3, 7'],
  '17-sql-create-table': ["Table 'users' created", '2 rows inserted'],
  '18-sql-select': [
    // guide: {'id': 1, 'name': 'Alice', 'email': 'alice@example.com', 'age': 30}
    '{"id":1,"name":"Alice","email":"alice@example.com","age":30}',
    '{"id":2,"name":"Bob","email":"bob@example.com","age":25}',
    'Alice: 30 years old',
  ],
  '19-sql-join': ['Alice bought Laptop for $999.99', 'Bob bought Keyboard for $75'], // guide: $75.0
  '20-sql-aggregations': ['Alice: 2 orders, $1024.99 total', 'Bob: 1 orders, $75 total'], // guide: $75.0 total
  '21-sql-update-delete': ['{"name":"Alice","age":31}'], // guide: {'name': 'Alice', 'age': 31}
  '22-kv-basic': ['value', 'Key not found'],
  '23-kv-json': ['Name: Alice, Age: 30'],
  '24-path-api': ["Alice's email: alice@example.com"],
  '25-prefix-scan': [
    'ACME Corp has 3 items:',
    '  tenants/acme/orders/1: {"total":100}',
    '  tenants/acme/users/1: {"name":"Alice"}',
    '  tenants/acme/users/2: {"name":"Bob"}',
    'scanPrefix agrees: 3 items',
  ],
  '26-transactions-auto': ['✅ Transaction committed', '❌ Transaction aborted: insufficient funds', 'account:1 balance: 1000'],
  '27-transactions-manual': ['key1: value1', 'key2: value2', '✅ Transaction committed'],
  '28-graph-nodes-edges': ['user_alice -[STARTED]-> conv_123 {"timestamp":"2026-01-15T10:30:00Z"}'],
  '29-graph-traversal': ['Node: user_alice (User)', 'Node: conv_123 (Conversation)', 'Node: ticket_9 (Ticket)'],
  '30-temporal-edges': ['Currently: globex_inc since 2025-01-01'],
  '31-temporal-point-in-time': ['Worked at: acme_corp as Engineer'],
  '32-temporal-range': ['acme_corp: 1704067200000 - 1735689600000'],
  // guide (TOON): products/laptop: result[1]{name,price}:Laptop,999
  '33-query-builder': [
    'products/laptop: result[1]{name,price}:Laptop,999',
    'products/mouse: result[1]{name,price}:Mouse,25',
    'result[2]{name,price}:Laptop,999;Mouse,25',
  ],
  '34-bulk-build-index': [/^Built 2000 vectors at \d+ vec\/s$/, /^Index size: \d+\.\d MB$/], // guide: 10000 vectors, 45.2 MB
  '35-bulk-query-index': ['Top 10 nearest neighbors:', ...Array.from({ length: 10 }, (_, i) => new RegExp(`^${i + 1}\\. ID: \\d+, Distance: \\d\\.\\d{4}$`))],
  '36-grpc-client': ['{"name": "Alice"}', 'Nearest document: doc_a', 'Graph node: user_1 (User)'],
  '37-ipc-client': ['value'],
  // guide: [Server] Running (PID: 12345) / Socket: … / Database: …
  '38-ipc-server-commands': [
    /^\[Server\] Listening on \/.*\/my_database\/sochdb\.sock \(PID: \d+\)$/,
    'running',
    /^pid: \d+$/,
    /^socket: \/.*\/my_database\/sochdb\.sock$/,
    /^db: \/.*\/my_database$/,
    /^started: \d{4}-\d\d-\d\dT/,
    /^stopped \(pid \d+\)$/,
    /^not running/,
  ],
  '39-ipc-server-stats': [
    /^Connections: \d+\/\d+$/,
    /^Requests: \d+ success, \d+ errors$/,
    /^Throughput: \d+ bytes in, \d+ bytes out$/,
    /^Uptime: \d+ seconds$/,
    /^Active transactions: \d+$/,
  ],
  '40-cli-bulk': [
    '$ sochdb-bulk build-index --input embeddings.npy --output index.hnsw --dimension 768 --max-connections 16 --ef-construction 100 --metric cosine --quiet',
    /^built \/.*index\.hnsw: 1000 vectors × 768 dims in [\d.]+ s \(\d+ vec\/s\), \d+ bytes$/,
    '$ sochdb-bulk query --index index.hnsw --query query_vector.raw --k 10 --ef 64',
    'query 0:',
    ...times(10, /^ {2}\d+\t\d\.\d{6}$/),
    '$ sochdb-bulk info --index index.hnsw',
    // guide: Dimension: 768 / Vectors: 100000 / Max connections: 16
    'dimension: 768',
    'vectors: 1000',
    'metric: cosine',
    'm: 16',
    'efConstruction: 100',
    'efSearch: 64',
    'capacity: 1000',
    /^bytes: \d+$/,
    '$ sochdb-bulk convert --input embeddings.npy --output vectors.raw --to-format raw_f32 --dimension 768',
    /^converted 1000 vectors × 768 dims to raw_f32: \/.*vectors\.raw$/,
  ],
  '41-grpc-server-cli': [/^serving at 127\.0\.0\.1:\d+ \(… ms\)$/, 'Created: my_index', ...times(10, /^ID: vec_\d+, Distance: \d\.\d{4}$/)],
  '42-environment-variables': ['sochdb-server: bundled', 'sochdb-bulk: bundled', 'sochdb-grpc-server: bundled'],
  '43-toon-format': [
    'users[2]{name,email}:Alice,alice@example.com;Bob,bob@example.com', // same as the guide
    '[{"name":"Alice","email":"alice@example.com"},{"name":"Bob","email":"bob@example.com"}]',
    'table users, fields name,email',
    '[{"id":1,"name":"Alice"},{"id":2,"name":"Bob"}]', // typed: ids read back as numbers
  ],
  '44-rag-toon-context': [
    '[',
    '  {',
    '    "role": "system",',
    '    "content": "Context:\\ndocuments[2]{title,content}:HNSW,Graph-based approximate nearest neighbour search;BM25,Keyword ranking with term saturation"',
    '  },',
    '  {',
    '    "role": "user",',
    '    "content": "Summarize the documents"',
    '  }',
    ']',
  ],
  '45-batched-scan': ['Regular scan: 10000 items', 'Batched scan: 10000 items'], // guide adds "(much faster!)"
  '46-statistics': [
    /^Keys: 1,0\d\d$/ /* 1,000 puts plus the SQL catalog */,
    /^Bytes written: \d{1,3}(,\d{3})*$/,
    /^Bytes read: \d{1,3}(,\d{3})*$/,
    /^Transactions: \d+$/,
    /^Cache hit rate: \d+\.\d%$/,
  ],
  '47-checkpoint': ['Importing 10K records...', /^Checkpoint complete at LSN \d+$/, 'All data is durable on disk!'],
  '48-plugins': [
    'alice@example.com',
    /^\d{10}(\.\d+)?$/, // guide: 1704182400.0 (seconds since the epoch)
    '[{"name":"Bob","email":"bob@example.com"}]',
    'Rejected: Age cannot be negative (INVALID_AGE)',
    'Users: 1',
  ],
  '49-transaction-advanced': [/^Transaction ID: \d+$/, /^Committed at LSN: \d+$/, 'Alice {"verified": true}'],
  '50-error-hierarchy': [
    'DatabaseError             9003  true',
    'TransactionError          2001  true',
    'ConnectionError           1001  true',
    'ProtocolError             1004  true',
    'NamespaceNotFoundError    3001  true',
    'NamespaceExistsError      3002  true',
    'CollectionNotFoundError   4001  true',
    'CollectionExistsError     4002  true',
    'CollectionConfigError     4003  true',
    'ValidationError           6000  true',
    'DimensionMismatchError    6001  true',
    'LockError                10000  true',
    'DatabaseLockedError      10001  true',
    'LockTimeoutError         10002  true',
    'EpochMismatchError       10003  true',
    'SplitBrainError          10004  true',
  ],
  '51-lock-errors': ['Database locked by another process: DatabaseLockedError (10001)', 'Concurrent mode: true, holder reads: world'],
  '52-namespace-errors': ['Not found (3001), creating it', 'Using namespace tenant_999', 'Namespace already exists'],
  '53-dimension-errors': ['Expected 384 dimensions, got 3'],
  '54-best-practices': [
    '1. SQL: 1 user(s) over 25',
    '2. KV: blob of 4 bytes',
    '3. Scan: tenant acme has 1 key(s)',
    '4. Transaction: key1 and key2 written together',
    '5. Bulk: built 500 vectors',
    '6. Batched scan: 2 key(s)',
    '7. TOON: users[2]{name,email}:Alice,alice@example.com;Bob,bob@example.com (64 chars; JSON: 87)',
  ],
  '55-example-saas': [
    '',
    'ACME Corp (2 users):',
    '  tenants/1/users/alice: alice@acme.com (admin)',
    '  tenants/1/users/bob: bob@acme.com (user)',
    '',
    'Globex Inc (1 users):',
    '  tenants/2/users/charlie: charlie@globex.com (admin)',
  ],
  '56-example-ecommerce': ['Category Performance:', 'Electronics: 2 orders, $2124.98'],
  '57-configuration': ['Opened with syncMode normal: yes', 'Rejected config: field syncMode (code 6000)', 'In memory: v'],
  // Not in the guide (issue 23): memory recalled into a context; Paris is superseded, so not a current fact.
  '58-agent-memory-context': [
    '## instructions',
    'Answer from memory. Current facts win over old messages.',
    '',
    '## facts',
    'facts[2]{subject,predicate,object,since}:ada,lives_in,berlin,2026-03-01;ada,works_at,acme,2026-03-01',
    '',
    '## episodes',
    'episodes[3]{at,role,content}:2026-01-05,user,"Hi, I am Ada and I live in Paris.";2026-01-06,assistant,"Nice to meet you, Ada!";2026-03-01,user,Update: I moved to Berlin for a job at Acme.',
    '',
    '## question',
    'Where does Ada live now?',
    /^\d+ tokens \(budget 200\); as of February Ada lived in paris$/,
  ],
};

/**
 * Examples that cannot run yet because the SDK or a server lacks what they show. Their test
 * asserts that they still fail, so the day the capability lands the test says to move them back.
 */
export const BLOCKED: Readonly<Record<string, string>> = {};
