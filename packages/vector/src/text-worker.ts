// The worker thread of text-grouping.ts: tokenizes and groups a chunk's texts and encodes the
// chunk for storage. Imports nothing from @sochdb/core, so it starts quickly.
import { parentPort } from 'node:worker_threads';
import { prepareChunk, unpackTexts, type ChunkRequest, type ChunkReply } from './chunk-work.js';

parentPort?.on('message', ({ seq, ids, texts }: ChunkRequest) => {
  let reply: ChunkReply;
  try {
    const { postings, bytes } = prepareChunk(unpackTexts(ids), unpackTexts(texts));
    const { lengths, termStart, docs, tfs, docStart, docTerms } = postings;
    // Every array owns its buffer (see groupPostings and encodeChunk), so all of them move.
    const owned = [lengths, termStart, docs, tfs, docStart, docTerms, bytes].filter((a) => a.byteOffset === 0 && a.byteLength === a.buffer.byteLength);
    reply = { seq, postings, bytes };
    parentPort!.postMessage(reply, owned.map((a) => a.buffer as ArrayBuffer));
  } catch (error) {
    reply = { seq, error: error instanceof Error ? error.message : String(error) };
    parentPort!.postMessage(reply);
  }
});
