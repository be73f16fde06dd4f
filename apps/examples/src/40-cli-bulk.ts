// CLI tools — sochdb-bulk: build-index, query, info, convert
import { randomVectors } from './lib/embed.js';
import { runCli } from './lib/cli.js';
import { scratchDir } from './lib/scratch.js';
import { matrixOf, writeNpy, writeRawF32 } from '@sochdb/sdk';

await using dir = await scratchDir();
// Input files: 1,000 embeddings as .npy, and one query vector as raw float32.
await writeNpy(dir.join('embeddings.npy'), matrixOf(randomVectors(1_000, 768), 768));
await writeRawF32(dir.join('query_vector.raw'), matrixOf(randomVectors(1, 768, 7), 768));

const show = async (args: string[]) => {
  console.log(`$ sochdb-bulk ${args.map((a) => a.replace(dir.path + '/', '')).join(' ')}`);
  const { code, stdout, stderr } = await runCli('sochdb-bulk', args);
  if (code !== 0) throw new Error(`sochdb-bulk exited with ${code}: ${stderr}`);
  process.stdout.write(stdout);
};

// Build an HNSW index from embeddings
await show([
  'build-index',
  '--input',
  dir.join('embeddings.npy'),
  '--output',
  dir.join('index.hnsw'),
  '--dimension',
  '768',
  '--max-connections',
  '16',
  '--ef-construction',
  '100',
  '--metric',
  'cosine',
  '--quiet',
]);

// Query the k nearest neighbours
await show(['query', '--index', dir.join('index.hnsw'), '--query', dir.join('query_vector.raw'), '--k', '10', '--ef', '64']);

// Index metadata
await show(['info', '--index', dir.join('index.hnsw')]);

// Convert between formats
await show(['convert', '--input', dir.join('embeddings.npy'), '--output', dir.join('vectors.raw'), '--to-format', 'raw_f32', '--dimension', '768']);
