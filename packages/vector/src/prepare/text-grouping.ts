import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packVectors, prepareChunk, toRequest, type ChunkReply, type PreparedChunk } from './chunk-work.js';
import type { TextAnalysis } from '../text/analyzer.js';
import { CHUNK_DOCS } from '../text/postings-chunk.js';

/**
 * Tokenizing and grouping a large write's text runs on a worker thread. A collection's build is
 * bound by hnswlib's `addPoint`, which is synchronous on the main thread; the text work of a
 * write (~20 µs a document at ~60 words, plus the garbage it makes) would otherwise add to it,
 * while on a worker it runs on another core as the main thread inserts the previous write's
 * vectors into the graph. Small writes stay inline: a round trip to the worker costs more than
 * their text work. The worker also makes the documents' stored records, hashes each vector for
 * the collection digest and, under cosine, makes the unit vector the graph keeps (a few µs a
 * document that the main thread would otherwise spend between graph inserts, plus the garbage).
 * The work is the same function either way (`prepareChunk`), and any failure of the worker falls
 * back to running it inline, so a write never fails because of the worker.
 */

/** Writes whose contents total less than this (in UTF-16 units) are prepared inline. */
export const OFFLOAD_CHARS = 32_768;
/** After this many worker failures in a process, every write is grouped inline. */
const MAX_FAILURES = 3;
/**
 * A worker that has not answered a request in this long is taken for stuck: it is terminated and
 * what it owed is done inline. A chunk takes it tens of milliseconds, so this only ends a hang.
 */
let replyTimeoutMs = 60_000;

/** A write's vectors, as stored (checked float32), and how the graph keeps them. */
export interface WriteVectors {
  readonly rows: readonly Float32Array[];
  readonly dimension: number;
  readonly normalize: boolean;
}

/** A write's documents, checked: what its chunks are prepared from. */
export interface WriteInput {
  readonly ids: readonly string[];
  readonly contents: readonly (string | undefined)[];
  readonly metadataJsons: readonly string[];
  readonly vectors: WriteVectors;
  readonly segment: string;
  /** The collection's text analysis: its chunks are grouped with it, on the worker or inline. */
  readonly text: TextAnalysis;
}

/** Up to `CHUNK_DOCS` documents of a write: what one chunk is prepared from. */
type ChunkPart = WriteInput;

interface Pending extends ChunkPart {
  readonly resolve: (chunk: PreparedChunk) => void;
  readonly reject: (error: unknown) => void;
  timer?: NodeJS.Timeout;
}

let worker: Worker | undefined;
/** The current worker has started and takes requests. */
let online = false;
let failures = 0;
let seq = 0;
const pending = new Map<number, Pending>();
let offloaded = 0;

/** Splits a write into stored chunks and prepares each: on the worker thread when it is large. */
export async function prepareChunks(write: WriteInput): Promise<PreparedChunk[]> {
  const { ids, contents, metadataJsons, vectors, segment, text } = write;
  const parts: ChunkPart[] = [];
  for (let from = 0; from < ids.length; from += CHUNK_DOCS) {
    const to = from + CHUNK_DOCS;
    parts.push({
      ids: ids.slice(from, to),
      contents: contents.slice(from, to),
      metadataJsons: metadataJsons.slice(from, to),
      vectors: { ...vectors, rows: vectors.rows.slice(from, to) },
      segment,
      text,
    });
  }
  // The text a write indexes is mostly its contents (string metadata adds a little).
  let chars = 0;
  for (const content of contents) chars += content?.length ?? 0;
  // Until the worker has started (tens of milliseconds), writes are prepared inline rather than
  // leaving the main thread idle while it boots: a build's first write has no graph work to overlap.
  const target = chars >= OFFLOAD_CHARS ? ensureWorker() : undefined;
  if (!target || !online) return parts.map(prepareInline);
  return Promise.all(parts.map((part) => viaWorker(target, part)));
}

/** Package-internal, for tests: chunks prepared by the worker so far, and a way to kill it. */
export const textWorkerForTests = {
  get offloaded(): number {
    return offloaded;
  },
  /** Starts the worker if needed and resolves once it takes requests (false: no worker available). */
  async ready(): Promise<boolean> {
    const target = ensureWorker();
    if (!target) return false;
    if (!online) await once(target, 'online');
    return true;
  },
  async terminate(): Promise<void> {
    await worker?.terminate();
  },
  /** How long a request may wait for its reply; returns the previous value. */
  setReplyTimeout(ms: number): number {
    const previous = replyTimeoutMs;
    replyTimeoutMs = ms;
    return previous;
  },
};

function viaWorker(target: Worker, part: ChunkPart): Promise<PreparedChunk> {
  return new Promise((resolve, reject) => {
    const id = seq++;
    // Unreferenced: while the request is pending the worker itself keeps the process alive.
    const timer = setTimeout(() => stuck(target), replyTimeoutMs).unref();
    pending.set(id, { ...part, resolve, reject, timer });
    // Referenced while it owes an answer, so a process awaiting one does not exit; idle, it never
    // keeps a process alive.
    if (pending.size === 1) target.ref();
    const { rows, dimension, normalize } = part.vectors;
    // Packed afresh, so the packed copy can move to the worker (the rows stay for an inline retry).
    const request = toRequest(id, { ...part, vectors: packVectors(rows, dimension, normalize) });
    const moved = [request.ids.lengths, request.contents.lengths, request.metadataJsons.lengths, request.vectors.values];
    target.postMessage(
      request,
      moved.map((a) => a.buffer as ArrayBuffer),
    );
  });
}

function prepareInline(part: ChunkPart): PreparedChunk {
  const { rows, dimension, normalize } = part.vectors;
  return prepareChunk({ ...part, vectors: packVectors(rows, dimension, normalize) });
}

function ensureWorker(): Worker | undefined {
  if (worker || failures >= MAX_FAILURES) return worker;
  const url = workerUrl();
  if (!url) return undefined;
  try {
    const started = new Worker(url, { name: 'sochdb-vector-text' });
    started.unref();
    started.on('online', () => {
      if (worker !== started) return;
      online = true;
      // Node 20 references the worker's port again once it comes online: unreferenced again, an
      // idle worker that never got a request (every write so far ran inline) keeps no process alive.
      if (pending.size === 0) started.unref();
    });
    started.on('message', (reply: ChunkReply) => settle(reply));
    started.on('error', () => retire(started));
    started.on('messageerror', () => retire(started));
    started.on('exit', () => retire(started));
    worker = started;
  } catch {
    failures++;
  }
  return worker;
}

function settle(reply: ChunkReply): void {
  const request = pending.get(reply.seq);
  if (!request) return;
  pending.delete(reply.seq);
  clearTimeout(request.timer);
  if (pending.size === 0) worker?.unref();
  if (reply.error !== undefined) return runInline(request);
  offloaded++;
  request.resolve({ ids: request.ids, ...reply.chunk });
}

/** The worker died or broke: what it owed is done inline, and the next large write starts another. */
function retire(dead: Worker): void {
  if (worker !== dead) return;
  worker = undefined;
  online = false;
  failures++;
  const owed = [...pending.values()];
  pending.clear();
  for (const request of owed) {
    clearTimeout(request.timer);
    runInline(request);
  }
}

/** A request went unanswered for `replyTimeoutMs`: stop waiting for this worker. */
function stuck(target: Worker): void {
  retire(target);
  void target.terminate();
}

function runInline(request: Pending): void {
  try {
    request.resolve(prepareInline(request));
  } catch (error) {
    request.reject(error);
  }
}

/**
 * The compiled worker beside this module; from TypeScript source (tests, tsx: this file is
 * src/prepare/text-grouping.ts) the package's build of it, dist/prepare/text-worker.js (dist
 * mirrors src), which `npm test` makes first. None (bundled code) means every write is grouped
 * inline.
 */
function workerUrl(): URL | undefined {
  for (const candidate of ['./text-worker.js', '../../dist/prepare/text-worker.js']) {
    const url = new URL(candidate, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}
