// `sochdb import <db> --collection NS/NAME`: documents from JSON Lines in the format
// `sochdb export --collection` writes ({ id?, vector, content?, metadata? } per line), upserted:
// an id that exists is replaced. The namespace and collection are created when missing (the
// collection with --dimension and --metric; without --dimension the first vector fixes it).
// What this import created is dropped again when an atomic import fails, so a failure leaves
// nothing behind — not even an empty collection.
import { DimensionMismatchError, NamespaceNotFoundError, ValidationError } from '@sochdb/core';
import type { Collection, Database, DatabaseTransaction, DocumentInput, Metadata, Metric, NpyReader, VectorLike } from '@sochdb/sdk';
import { asImportError, type ImportTarget } from './import-run.js';

/** Documents per upsert (see flush). */
const GROUP = 1_000;

export interface CollectionTargetOptions {
  readonly dimension?: number;
  readonly metric?: Metric;
  /** Vectors from this .npy file, row i for the i-th line (whose "vector" is then left out). */
  readonly vectors?: NpyReader;
}

/** The target, and `undo()`: removes what opening it created (call only when nothing was committed). */
export async function collectionTarget(
  db: Database,
  namespace: string,
  name: string,
  options: CollectionTargetOptions,
): Promise<{ target: ImportTarget<unknown>; undo: () => Promise<void> }> {
  const namespaceExisted = await db.namespace(namespace).then(
    () => true,
    (error: unknown) => {
      if (error instanceof NamespaceNotFoundError) return false;
      throw error;
    },
  );
  const ns = await db.getOrCreateNamespace(namespace);
  const collectionExisted = (await ns.listCollections()).some((c) => c.name === name);
  let collection: Collection;
  if (collectionExisted) {
    collection = await ns.collection(name);
    // Settings of an existing collection are not changed by an import: a different one is a mistake.
    if (options.dimension !== undefined && collection.dimension !== null && collection.dimension !== options.dimension) {
      throw new DimensionMismatchError(collection.dimension, options.dimension, {
        field: 'dimension',
        remediation: `${namespace}/${name} exists with dimension ${collection.dimension}: pass --dimension ${collection.dimension} or leave it out.`,
      });
    }
    if (options.metric !== undefined && collection.info.metric !== options.metric) {
      throw new ValidationError(`${namespace}/${name} exists with metric ${collection.info.metric}, not ${options.metric}`, {
        field: 'metric',
        remediation: 'Leave --metric out to import into it as it is.',
      });
    }
  } else {
    collection = await ns.createCollection({
      name,
      ...(options.dimension === undefined ? {} : { dimension: options.dimension }),
      ...(options.metric === undefined ? {} : { metric: options.metric }),
    });
  }
  const undo = async () => {
    if (!collectionExisted) await ns.deleteCollection(name);
    if (!namespaceExisted) await db.deleteNamespace(namespace);
  };
  // Documents are upserted in groups: each write is one postings segment (and one BM25 group in
  // memory), so one write per line would leave a collection of tiny segments. A group that fails
  // is written again one document at a time, in the same transaction, to name the line at fault.
  let pending: { readonly doc: DocumentInput; readonly line: number }[] = [];
  const flush = async (txn: DatabaseTransaction): Promise<void> => {
    const group = pending;
    pending = [];
    if (group.length === 0) return;
    try {
      await collection.upsert(
        group.map((p) => p.doc),
        { txn },
      );
    } catch {
      for (const { doc, line } of group) {
        try {
          await collection.upsert(doc, { txn });
        } catch (error) {
          throw asImportError(error, line);
        }
      }
    }
  };
  return {
    target: {
      async write({ value, line }, txn) {
        pending.push({ doc: await documentOf(value, options.vectors), line });
        if (pending.length >= GROUP) await flush(txn);
      },
      flush,
      async finish() {
        const npy = options.vectors;
        if (npy && (await npy.next()) !== undefined) {
          throw new ValidationError(`${npy.path} has ${npy.rows} vectors, more than the file has lines`, {
            field: 'vectors',
            remediation: 'Pass the .npy written with this JSON Lines file (row i for line i).',
          });
        }
      },
    },
    undo,
  };
}

/** A line as a DocumentInput, its shape checked (values are checked by the collection). */
async function documentOf(line: unknown, npy: NpyReader | undefined): Promise<DocumentInput> {
  if (line === null || typeof line !== 'object' || Array.isArray(line)) {
    throw new ValidationError('expected a document {"id", "vector", "content"?, "metadata"?}', {
      remediation: 'Write one object per line, as `sochdb export --collection` does.',
    });
  }
  const { id, vector, content, metadata, ...rest } = line as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) {
    throw new ValidationError(`unknown field ${JSON.stringify(unknown[0])} (a document has id, vector, content and metadata)`, { field: unknown[0] });
  }
  let values: VectorLike;
  if (npy) {
    if (vector !== undefined) throw new ValidationError('"vector" is given both in the line and by --vectors', { field: 'vector' });
    const row = await npy.next();
    if (row === undefined) {
      throw new ValidationError(`${npy.path} has only ${npy.rows} vectors, fewer than the file has lines`, { field: 'vectors' });
    }
    values = row;
  } else if (Array.isArray(vector)) values = vector as number[];
  else throw new ValidationError('"vector" must be an array of numbers', { field: 'vector' });
  if (id !== undefined && typeof id !== 'string') throw new ValidationError('"id" must be a string', { field: 'id' });
  if (content !== undefined && content !== null && typeof content !== 'string') throw new ValidationError('"content" must be a string', { field: 'content' });
  return {
    vector: values,
    ...(id === undefined ? {} : { id }),
    ...(typeof content === 'string' ? { content } : {}),
    ...(metadata === undefined || metadata === null ? {} : { metadata: metadata as Metadata }),
  };
}
