import { grpcWire, type SochDBServices } from '@sochdb/grpc-client';
import { ValidationError, type Collection, type Database, type DocumentInput, type MetadataFilter } from '@sochdb/sdk';
import type { ServiceImpl } from '../rpc.js';

// The collections each database has served through these services (they stay open in the
// Database's cache, so counting their documents is cheap): what sochdb_collection_documents reports.
const served = new WeakMap<Database, Map<string, { readonly namespace: string; readonly collection: string }>>();
/** At most this many collections are reported, so a client cannot grow the metrics without bound. */
const MAX_REPORTED = 1000;

/** The collection `name` of namespace `namespace`: NamespaceNotFoundError / CollectionNotFoundError otherwise. */
export async function collectionOf(db: Database, namespace: string, name: string): Promise<Collection> {
  const collection = await (await db.namespace(namespace)).collection(name);
  let names = served.get(db);
  if (names === undefined) served.set(db, (names = new Map<string, { readonly namespace: string; readonly collection: string }>()));
  const key = `${namespace}\0${name}`;
  if (names.size < MAX_REPORTED && !names.has(key)) names.set(key, { namespace, collection: name });
  return collection;
}

/**
 * Documents of each collection served so far (for the metrics): one `count()` of an open
 * collection each. A collection deleted since is forgotten.
 */
export async function servedCollectionSizes(db: Database): Promise<{ namespace: string; collection: string; documents: number }[]> {
  const names = served.get(db);
  if (names === undefined) return [];
  const sizes = await Promise.all(
    [...names].map(async ([key, ref]) => {
      try {
        // A deleted collection has left the cache, and `collection()` checks that it exists
        // before opening anything: a CollectionNotFoundError, and it is forgotten.
        const ns = await db.namespace(ref.namespace);
        return { ...ref, documents: await (await ns.collection(ref.collection)).count() };
      } catch {
        names.delete(key);
        return undefined;
      }
    }),
  );
  return sizes.filter((s) => s !== undefined);
}

export function collectionService(db: Database): ServiceImpl<SochDBServices['CollectionService']['service']> {
  return {
    async CreateCollection(request) {
      const ns = await db.namespace(request.namespace);
      const collection = await ns.createCollection(grpcWire.createCollectionFromWire(request));
      return grpcWire.collectionInfoToWire(collection.info);
    },
    async GetCollection({ namespace, collection }) {
      return grpcWire.collectionInfoToWire((await collectionOf(db, namespace, collection)).info);
    },
    async ListCollections({ namespace }) {
      return { collections: (await (await db.namespace(namespace)).listCollections()).map(grpcWire.collectionInfoToWire) };
    },
    async DeleteCollection({ namespace, collection }) {
      await (await db.namespace(namespace)).deleteCollection(collection);
      return {};
    },
    async Insert({ namespace, collection, documents }) {
      const inputs = documents.map((d, i) => grpcWire.documentInputFromWire(d, `documents[${i}]`));
      return { ids: await (await collectionOf(db, namespace, collection)).insertBatch(toBatch(inputs)) };
    },
    async GetDocument({ namespace, collection, id }) {
      const doc = await (await collectionOf(db, namespace, collection)).get(id);
      return doc === null ? { found: false } : { found: true, document: grpcWire.documentToWire(doc) };
    },
    async DeleteDocument({ namespace, collection, id }) {
      return { deleted: await (await collectionOf(db, namespace, collection)).delete(id) };
    },
    async Count({ namespace, collection }) {
      return { count: await (await collectionOf(db, namespace, collection)).count() };
    },
    async Search(request) {
      const results = await (await collectionOf(db, request.namespace, request.collection)).search(grpcWire.searchFromWire(request));
      return { results: results.map(grpcWire.hitToWire) };
    },
  };
}

/** VectorIndexService: the vector-only fast path over a collection's persistent HNSW index. */
export function vectorIndexService(db: Database): ServiceImpl<SochDBServices['VectorIndexService']['service']> {
  return {
    async Search({ namespace, collection, query, k, filterJson, efSearch }) {
      const filter = grpcWire.parseJsonObject(filterJson, 'filter') as MetadataFilter | undefined;
      const options = { ...(filter === undefined ? {} : { filter }), ...(efSearch === undefined ? {} : { efSearch }) };
      const results = await (await collectionOf(db, namespace, collection)).vectorSearch(query, k === 0 ? 10 : k, options);
      return { results: results.map(grpcWire.hitToWire) };
    },
    async InsertBatch({ namespace, collection, ids, vectors, metadataJson }) {
      if (ids.length === 0) return { ids: [] };
      const dimension = vectors.length / ids.length;
      if (!Number.isInteger(dimension) || dimension === 0) {
        throw new ValidationError(`vectors holds ${vectors.length} numbers, not a whole number of rows for ${ids.length} ids`, { field: 'vectors' });
      }
      if (metadataJson.length !== 0 && metadataJson.length !== ids.length) {
        throw new ValidationError(`metadata_json must be empty or have one entry per id (${ids.length}), got ${metadataJson.length}`, {
          field: 'metadataJson',
        });
      }
      const batch = {
        vectors: ids.map((_, i) => vectors.slice(i * dimension, (i + 1) * dimension)),
        ids: ids.map((id) => (id === '' ? undefined : id)),
        // An empty metadata_json means "no metadata", not a zero-length list (which would not match the vectors).
        ...(metadataJson.length === 0 ? {} : { metadatas: metadataJson.map((text, i) => grpcWire.parseJsonObject(text, `metadataJson[${i}]`)) }),
      };
      return { ids: await (await collectionOf(db, namespace, collection)).insertBatch(batch) };
    },
  };
}

function toBatch(inputs: readonly DocumentInput[]) {
  return {
    vectors: inputs.map((d) => d.vector),
    ids: inputs.map((d) => d.id),
    metadatas: inputs.map((d) => d.metadata),
    contents: inputs.map((d) => d.content),
  };
}
