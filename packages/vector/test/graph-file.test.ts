import { LevelStorage, MemoryStorage, type Storage } from '@sochdb/core';
import { makeTempDir, spawnTs } from '@sochdb/core/testing';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Collection, VectorIndex } from '../src/index.js';
import { CollectionKeys } from '../src/collection/collection-keys.js';
import { clustered, cosineDistance } from './helpers.js';

// The graph file (issue 25): hnswlib's own index of the saved graph, kept beside the LevelDB files,
// which an open reads instead of every vector from its record. It is a cache of what storage
// holds: these tests check it is written privately, read when it belongs to the saved graph, and
// ignored (the graph restored from storage, answers unchanged) whenever it does not.

const ref = { namespace: 'n', name: 'docs' } as const;
const keys = new CollectionKeys(ref.namespace, ref.name);
const data = clustered(300, 8, 4, 7);
let dir: ReturnType<typeof makeTempDir>;
let storage: Storage;

beforeEach(async () => {
  dir = makeTempDir('sochdb-graph-file-');
  storage = await LevelStorage.open(join(dir.path, 'db'));
});
afterEach(async () => {
  if (storage.status === 'open') await storage.close();
  dir.cleanup();
});

const graphsRoot = () => join(dir.path, 'db', 'sochdb-graphs');
/** The collection's graph folder (one per collection under the root). */
function folder(): string {
  const [only] = readdirSync(graphsRoot());
  return join(graphsRoot(), only!);
}
const files = () => readdirSync(folder()).filter((name) => name.endsWith('.hnsw'));
async function savedMeta(): Promise<{ file?: { name: string; bytes: number } }> {
  return JSON.parse((await storage.get(keys.graphMeta()))!.toString('utf8')) as { file?: { name: string; bytes: number } };
}

async function filled(metric: 'cosine' | 'euclidean' = 'cosine'): Promise<Collection> {
  const c = await Collection.create(storage, { ...ref, dimension: 8, metric });
  await c.insertBatch({ ids: data.map((_, i) => `d${i}`), vectors: data, contents: data.map((_, i) => `doc ${i}`) });
  return c;
}

/** Vector keys read by `fn` (point reads: a restore from storage reads every vector by id). */
async function vectorsRead(fn: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(storage, 'getMany');
  try {
    await fn();
    const prefix = keys.vector('');
    return spy.mock.calls
      .flatMap(([ks]) => ks)
      .filter((k) =>
        Buffer.from(k as Uint8Array)
          .subarray(0, prefix.length - 1)
          .equals(prefix.subarray(0, -1)),
      ).length;
  } finally {
    spy.mockRestore();
  }
}

const probes = [data[0]!, data[42]!, data[299]!, clustered(1, 8, 1, 99)[0]!];
async function answers(c: Collection): Promise<string[][]> {
  return Promise.all(probes.map(async (p) => (await c.vectorSearch(p, 10)).map((h) => `${h.id}:${h.score.toFixed(5)}`)));
}

describe('the graph file', () => {
  it('is written at close, privately, and named by the saved graph; the next open reads it and no vector, with the same answers', async () => {
    for (const metric of ['cosine', 'euclidean'] as const) {
      const c = await filled(metric);
      const before = await answers(c);
      await c.close();
      expect(files()).toHaveLength(1);
      const meta = await savedMeta();
      expect(meta.file?.name).toBe(files()[0]);
      expect(statSync(join(folder(), meta.file!.name)).size).toBe(meta.file!.bytes);
      expect(statSync(join(folder(), meta.file!.name)).mode & 0o777).toBe(0o600);
      expect(statSync(folder()).mode & 0o777).toBe(0o700);
      expect(statSync(graphsRoot()).mode & 0o777).toBe(0o700);

      let reopened: Collection | undefined;
      expect(await vectorsRead(async () => (reopened = await Collection.open(storage, ref)))).toBe(0);
      expect(await answers(reopened!)).toEqual(before);
      expect(await reopened!.count()).toBe(300);
      await reopened!.close();
      await Collection.drop(storage, ref);
      expect(readdirSync(graphsRoot())).toEqual([]); // the drop removes the collection's files
    }
  });

  it('that does not belong to the saved graph (a byte changed, cut short, another header, emptied) is ignored: the graph is restored from storage, and the close writes a new file', async () => {
    const c = await filled();
    const before = await answers(c);
    await c.close();
    const damage: ((path: string) => void)[] = [
      (path) => {
        // A byte in the middle (a link or a vector): same size, same header, another checksum.
        const bytes = readFileSync(path);
        bytes[bytes.length >> 1] = bytes[bytes.length >> 1]! ^ 0x01;
        writeFileSync(path, bytes);
      },
      (path) => truncateSync(path, statSync(path).size - 4),
      (path) => {
        const bytes = readFileSync(path);
        bytes[16] = bytes[16]! ^ 0xff; // hnswlib's element count
        writeFileSync(path, bytes);
      },
      (path) => writeFileSync(path, ''),
    ];
    for (const harm of damage) {
      const { name } = (await savedMeta()).file!;
      harm(join(folder(), name));
      let reopened: Collection | undefined;
      expect(await vectorsRead(async () => (reopened = await Collection.open(storage, ref)))).toBe(300);
      expect(await answers(reopened!)).toEqual(before);
      await reopened!.close();
      // A new file, and the damaged one it replaced is gone.
      expect((await savedMeta()).file?.name).not.toBe(name);
      expect(files()).toEqual([(await savedMeta()).file!.name]);
    }
  });

  it("a save removes the file it replaces and files left over for a minute, not another process's newer one", async () => {
    const c = await filled();
    await c.flush();
    const first = (await savedMeta()).file!.name;
    const leftover = join(folder(), '.1234.left-over.tmp');
    const young = join(folder(), 'young-other.hnsw');
    writeFileSync(leftover, 'x');
    writeFileSync(young, 'x');
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(leftover, old, old);
    await c.insert({ id: 'extra', vector: data[1]! });
    await c.flush();
    const second = (await savedMeta()).file!.name;
    expect(second).not.toBe(first);
    expect(readdirSync(folder()).sort()).toEqual([second, 'young-other.hnsw'].sort());
    await c.close();
  });

  it('is removed with its namespace', async () => {
    const c = await filled();
    await c.close();
    expect(readdirSync(graphsRoot())).toHaveLength(1);
    await Collection.dropNamespace(storage, ref.namespace);
    expect(readdirSync(graphsRoot())).toEqual([]);
  });

  it('that cannot be written (a file in the way of its folder) leaves the save without it, and the open restores from storage', async () => {
    const c = await filled();
    const before = await answers(c);
    await c.close();
    const path = folder();
    rmSync(path, { recursive: true });
    writeFileSync(path, 'in the way');
    const again = await Collection.open(storage, ref);
    await again.insert({ id: 'extra', vector: data[2]! });
    await again.close(); // saves, without a file
    expect((await savedMeta()).file).toBeUndefined();
    let third: Collection | undefined;
    expect(await vectorsRead(async () => (third = await Collection.open(storage, ref)))).toBe(301);
    expect((await answers(third!)).map((hits) => hits.filter((hit) => !hit.startsWith('extra:')).slice(0, 9))).toEqual(before.map((hits) => hits.slice(0, 9)));
    await third!.close();
  });

  it('is not made for storage without a folder', async () => {
    const memory = await MemoryStorage.open();
    const c = await Collection.create(memory, { ...ref, dimension: 8 });
    await c.insertBatch({ ids: data.map((_, i) => `d${i}`), vectors: data });
    await c.close();
    const again = await Collection.open(memory, ref);
    expect((await again.vectorSearch(data[7]!, 1))[0]?.id).toBe('d7');
    await again.close();
    await memory.close();
    expect(existsSync(join(process.cwd(), ':memory:'))).toBe(false);
  });

  it('of a writer killed (SIGKILL) after it changed documents is repaired on open: only the changed documents are read and inserted', async () => {
    await storage.close();
    const child = spawnTs(join(import.meta.dirname, 'fixtures', 'graph-file-writer.ts'), [join(dir.path, 'db')]);
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('changed')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the writer exited (${code}) before its changes`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    storage = await LevelStorage.open(join(dir.path, 'db'));
    const crash = { namespace: 'crash', name: 'docs' };
    const written = clustered(200, 8, 4, 11);
    const fresh = clustered(4, 8, 2, 12);
    const inserts = vi.spyOn(VectorIndex.prototype, 'insert');
    const ck = new CollectionKeys(crash.namespace, crash.name);
    const spy = vi.spyOn(storage, 'getMany');
    const c = await Collection.open(storage, crash);
    const vectorReads = spy.mock.calls
      .flatMap(([ks]) => ks)
      .filter((k) =>
        Buffer.from(k as Uint8Array)
          .subarray(0, ck.vector('').length - 1)
          .equals(ck.vector('').subarray(0, -1)),
      );
    spy.mockRestore();
    expect(inserts.mock.calls.map(([id]) => id).sort()).toEqual(['d5', 'new0', 'new1']);
    inserts.mockRestore();
    expect(vectorReads).toHaveLength(3);
    expect(await c.count()).toBe(200);
    const all = new Map<string, Float32Array>(written.map((v, i) => [`d${i}`, v] as const));
    all.set('d5', fresh[2]!);
    all.set('new0', fresh[0]!);
    all.set('new1', fresh[1]!);
    all.delete('d6');
    all.delete('d7');
    for (const probe of [fresh[2]!, fresh[0]!, written[6]!, written[100]!]) {
      const expected = [...all]
        .map(([id, v]) => [cosineDistance(probe, v), id] as const)
        .sort((a, b) => a[0] - b[0])
        .slice(0, 5)
        .map(([, id]) => id);
      expect((await c.vectorSearch(probe, 5, { efSearch: 300 })).map((r) => r.id)).toEqual(expected);
    }
    await c.close();
  });
});
