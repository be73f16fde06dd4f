// The worker thread of text-grouping.ts: tokenizes and groups a chunk's texts, encodes the chunk
// for storage, and hashes (and under cosine normalises) its vectors. Imports nothing from
// @sochdb/core or hnswlib-node, so it starts quickly.
import { parentPort } from 'node:worker_threads';
import { prepareChunk, unpackTexts, type ChunkRequest, type ChunkReply } from './chunk-work.js';

parentPort?.on('message', ({ seq, ids, texts, vectors }: ChunkRequest) => {
  let reply: ChunkReply;
  try {
    const { postings, bytes, hashes, unitVectors } = prepareChunk(unpackTexts(ids), unpackTexts(texts), vectors);
    const { lengths, termStart, docs, tfs, docStart, docTerms } = postings;
    // Every array owns its buffer (see groupPostings, encodeChunk and prepareChunk), so all of them move.
    const owned = [lengths, termStart, docs, tfs, docStart, docTerms, bytes, hashes, unitVectors].filter(
      (a): a is NonNullable<typeof a> => a !== undefined && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength,
    );
    reply = { seq, chunk: { postings, bytes, hashes, unitVectors } };
    parentPort!.postMessage(reply, owned.map((a) => a.buffer as ArrayBuffer));
  } catch (error) {
    reply = { seq, error: error instanceof Error ? error.message : String(error) };
    parentPort!.postMessage(reply);
  }
});
