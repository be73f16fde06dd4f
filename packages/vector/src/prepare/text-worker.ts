// The worker thread of text-grouping.ts: tokenizes and groups a chunk's texts, encodes its
// postings buckets and its documents' records for storage, and hashes (and under cosine normalises) its vectors.
// It loads no native addon (not hnswlib-node, not LevelDB): only the tokenizer and text analysis
// (core's errors, porter2, stopword) and the chunk codecs, so it starts quickly.
import { parentPort } from 'node:worker_threads';
import { fromRequest, prepareChunk, type ChunkRequest, type ChunkReply } from './chunk-work.js';

parentPort?.on('message', (request: ChunkRequest) => {
  let reply: ChunkReply;
  try {
    const { postings, buckets, records, recordEnds, hashes, unitVectors } = prepareChunk(fromRequest(request));
    const { lengths, termStart, docs, tfs, docStart, docTerms } = postings;
    // Every array owns its buffer (see groupPostings, encodeBuckets and prepareChunk), so all of them move.
    const owned = [lengths, termStart, docs, tfs, docStart, docTerms, buckets.values, buckets.ends, records, recordEnds, hashes, unitVectors].filter(
      (a): a is NonNullable<typeof a> => a !== undefined && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength,
    );
    reply = { seq: request.seq, chunk: { postings, buckets, records, recordEnds, hashes, unitVectors } };
    parentPort!.postMessage(
      reply,
      owned.map((a) => a.buffer as ArrayBuffer),
    );
  } catch (error) {
    reply = { seq: request.seq, error: error instanceof Error ? error.message : String(error) };
    parentPort!.postMessage(reply);
  }
});
