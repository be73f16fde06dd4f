import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { isAbsolute, join, resolve } from 'node:path';
import type { KeyValueReader, Storage } from '@sochdb/core';
import { HNSW_HEADER } from '../hnsw/graph-without-vectors.js';
import { readIndexHead, type IndexFileHeader } from '../hnsw/index-file.js';
import { restoreFromFile, type KeptFile, type VectorIndex } from '../hnsw/vector-index.js';
import type { CollectionKeys } from './collection-keys.js';

/**
 * The graph file: hnswlib's own index of a saved graph, every vector in it, kept beside the
 * LevelDB files so an open hands it to hnswlib as it is. Restoring the saved graph from storage
 * instead reads every vector from its record by id, normalises it and writes hnswlib's file again:
 * at a million documents that was most of a 20–30 s open (issue 25). The file is a cache of what
 * storage holds (the saved graph's chunks and the records), never the only copy: when it is
 * missing, of another save, or cannot be read, the open restores from storage as before and the
 * next save writes the file again.
 *
 * It costs the vectors once more on disk (a graph file is ~1.7 KB a 384-d document) and nothing
 * more at a save, which writes hnswlib's file anyway to strip the vectors out of the chunks.
 *
 * Written by hand around the addon's own file format: hnswlib-node reads an index only from a
 * file, and no library keeps derived files beside a LevelDB folder.
 */
const FOLDER = 'sochdb-graphs';
/** Files older than this that no saved graph names are left over (a crash between a save's steps, a save that lost a race). */
const ORPHAN_AGE_MS = 60_000;

/** Which graph file a saved graph has (see GraphMeta.file). */
export interface GraphFileRef {
  readonly name: string;
  readonly bytes: number;
  /** CRC-32 of the file's bytes: hnswlib checks none, and a damaged link would send a search out of bounds. */
  readonly crc32: number;
}

/**
 * The folder of a collection's graph files, when the storage's location is a LevelDB folder this
 * process can see (LevelDB's own `CURRENT` file is there): `LevelStorage`, and a concurrent-mode
 * database in every process that shares the folder. Storages elsewhere (memory, a server) have none.
 * The folder name is a digest of the collection's namespace and name: any name is a safe file name.
 */
export function graphFolder(storage: Storage, keys: CollectionKeys): string | undefined {
  const location = storage.location;
  if (typeof location !== 'string' || location === ':memory:' || /^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return undefined;
  const root = isAbsolute(location) ? location : resolve(location);
  if (!existsSync(join(root, 'CURRENT'))) return undefined;
  const digest = createHash('sha256')
    .update(JSON.stringify([keys.namespace, keys.name]))
    .digest('hex')
    .slice(0, 32);
  return join(root, FOLDER, digest);
}

/**
 * Makes the folder of graph files (private, as the LevelDB folder is); false when it cannot be
 * made (a file in the way, no permission), and the save goes without a graph file.
 */
export async function ensureGraphFolder(folder: string): Promise<boolean> {
  return mkdir(folder, { recursive: true, mode: 0o700 }).then(
    () => true,
    () => false,
  );
}

/**
 * Makes a kept serialisation (in `folder`) a graph file: synced, then renamed to a name of
 * its own and the rename synced, so a saved graph that names it (committed after this resolves)
 * never names a file a crash cut short. Removes the kept file and rejects when any step fails.
 */
export async function publishGraphFile(folder: string, { path: tmp, crc32 }: KeptFile): Promise<GraphFileRef> {
  try {
    const file = await open(tmp, 'r+');
    let bytes: number;
    try {
      // hnswlib writes with the process's umask; the folder is private already, the file is too.
      await file.chmod(0o600);
      await file.sync();
      bytes = (await file.stat()).size;
    } finally {
      await file.close();
    }
    const name = `${Date.now().toString(36)}-${randomUUID()}.hnsw`;
    await rename(tmp, join(folder, name));
    const dir = await open(folder, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return { name, bytes, crc32 };
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/**
 * Removes the graph files no saved graph names any more: `replaced` (the file of the saved graph
 * this save replaced), and every file but `keep` that is older than a minute (a younger one may be
 * another process's save, about to be named). Best effort: a file another open is reading stays
 * readable to it (POSIX), and a removal that fails is retried by the next save.
 */
export async function removeOldGraphFiles(folder: string, keep: string | undefined, replaced: string | undefined): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const now = Date.now();
  await Promise.all(
    names
      .filter((name) => name !== keep)
      .map(async (name) => {
        const path = join(folder, name);
        const info = await stat(path).catch(() => undefined);
        if (info !== undefined && (name === replaced || now - info.mtimeMs > ORPHAN_AGE_MS))
          await rm(path, { force: true, recursive: true }).catch(() => undefined);
      }),
  );
}

/** Removes a dropped collection's graph files. */
export async function removeGraphFolder(folder: string | undefined): Promise<void> {
  if (folder !== undefined) await rm(folder, { recursive: true, force: true }).catch(() => undefined);
}

/**
 * The saved graph from its graph file, or undefined when the file is missing or is not the one the
 * saved chunks were stripped from (its size, hnswlib's header or its CRC-32 differ) or hnswlib
 * cannot read it: the caller restores from storage then. The ids and parameters come from the chunks' header, read from the first chunks.
 */
export async function restoreFromGraphFile(
  store: KeyValueReader,
  keys: CollectionKeys,
  folder: string,
  ref: GraphFileRef,
  chunks: number,
): Promise<VectorIndex | undefined> {
  const path = join(folder, ref.name);
  const head = await savedHead(store, keys, chunks);
  if (head === undefined) return undefined;
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await file.stat();
    const first = Buffer.alloc(HNSW_HEADER);
    const { bytesRead } = await file.read(first, 0, HNSW_HEADER, 0);
    if (size !== ref.bytes || bytesRead !== HNSW_HEADER || !first.equals(head.hnsw)) return undefined;
    // hnswlib reads the file while its checksum is taken; the graph is used only if it matches.
    const [graph, crc] = await Promise.allSettled([restoreFromFile(path, head.header), checksum(file, size)]);
    if (graph.status === 'fulfilled' && crc.status === 'fulfilled' && crc.value === ref.crc32) return graph.value;
    if (graph.status === 'fulfilled') graph.value.close();
    return undefined;
  } finally {
    await file.close();
  }
}

/** Bytes read at once to checksum a graph file. */
const READ = 8 << 20;

/** CRC-32 of an open file's first `size` bytes. */
async function checksum(file: FileHandle, size: number): Promise<number> {
  const buffer = Buffer.allocUnsafeSlow(Math.min(READ, Math.max(1, size)));
  let crc = 0;
  for (let at = 0; at < size;) {
    const { bytesRead } = await file.read(buffer, 0, Math.min(buffer.length, size - at), at);
    if (bytesRead === 0) break;
    crc = crc32(buffer.subarray(0, bytesRead), crc);
    at += bytesRead;
  }
  return crc;
}

/** The saved chunks' header (ids and parameters) and hnswlib's header bytes after it, read from the first chunks. */
async function savedHead(store: KeyValueReader, keys: CollectionKeys, chunks: number): Promise<{ header: IndexFileHeader; hnsw: Buffer } | undefined> {
  let bytes: Buffer = Buffer.alloc(0);
  for (let i = 0; i < chunks; i++) {
    const chunk = await store.get(keys.graphChunk(i));
    if (chunk === undefined) return undefined;
    bytes = bytes.length === 0 ? chunk : Buffer.concat([bytes, chunk]);
    const head = readIndexHead(bytes);
    if (head !== undefined && bytes.length >= head.length + HNSW_HEADER) {
      return { header: head.header, hnsw: Buffer.from(bytes.subarray(head.length, head.length + HNSW_HEADER)) };
    }
  }
  return undefined;
}
