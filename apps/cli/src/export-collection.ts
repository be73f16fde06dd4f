// `sochdb export <db> --collection NS/NAME`: a collection's documents as JSON Lines, in id order:
//   {"id":"doc_1","vector":[0.1,0.2],"content":"text","metadata":{"source":"web"}}
// (`content` only when the document has text). With `vectors` (a .npy path) the vectors go there
// instead, row i for line i, and the lines leave "vector" out: 4 bytes a number instead of ~20.
// Read a page at a time with Collection.get's
// `afterId` cursor, all pages through one read transaction, so the export is one snapshot and
// each page costs only its own documents.
import { ValidationError } from '@sochdb/core';
import { NpyWriter, type Database } from '@sochdb/sdk';
import { toJson } from './json.js';
import type { LineSink } from './output.js';

const PAGE = 500;

/** Writes every document; resolves with the count. NamespaceNotFoundError / CollectionNotFoundError when missing. */
export async function exportCollection(
  db: Database,
  namespace: string,
  name: string,
  sink: LineSink,
  onRow: (rows: number) => void,
  onTotal: (documents: number) => void = () => undefined,
  vectors?: string,
): Promise<number> {
  const collection = await (await db.namespace(namespace)).collection(name);
  onTotal(await collection.count());
  let npy: NpyWriter | undefined;
  if (vectors !== undefined) {
    if (collection.dimension === null) {
      throw new ValidationError(`${namespace}/${name} has no dimension yet (no document was ever inserted): there are no vectors to write`, {
        field: 'vectors',
      });
    }
    npy = await NpyWriter.create(vectors, collection.dimension);
  }
  const txn = db.beginTransaction();
  let rows = 0;
  try {
    for (let afterId: string | undefined; ;) {
      const page = await collection.get({ limit: PAGE, ...(afterId === undefined ? {} : { afterId }) }, { txn });
      if (page.length === 0) return rows;
      let out = '';
      for (const doc of page) {
        const vector = npy ? {} : { vector: doc.vector };
        out += `${toJson({ id: doc.id, ...vector, ...(doc.content === undefined ? {} : { content: doc.content }), metadata: doc.metadata })}\n`;
      }
      if (npy) await npy.append(Float32Array.from(page.flatMap((doc) => doc.vector)));
      await sink.write(out);
      rows += page.length;
      onRow(rows);
      afterId = page[page.length - 1]!.id;
    }
  } finally {
    // Read-only: nothing to commit.
    await txn.abort();
    await npy?.close();
  }
}
