import { encodeKey, keyRange, type KeyPart } from '@sochdb/core';

/**
 * Storage layout of collections (all under the package prefix `vec`):
 *   ['vec', ns, 'c', name]                 collection config (JSON)
 *   ['vec', ns, 'd', name, 'v', id]        vector, little-endian float32
 *   ['vec', ns, 'd', name, 'm', id]        { metadata, content } (JSON)
 *   ['vec', ns, 'd', name, 'p', term, id]  BM25 posting: term frequency
 *   ['vec', ns, 'd', name, 'l', id]        BM25 document length
 *   ['vec', ns, 'd', name, 'g', …]         saved HNSW graph (meta + chunks)
 * Configs sit apart from data so listing a namespace's collections reads only configs.
 */
export class CollectionKeys {
  readonly #data: readonly KeyPart[];
  constructor(readonly namespace: string, readonly name: string) {
    this.#data = ['vec', namespace, 'd', name];
  }
  static config(namespace: string, name: string): Buffer {
    return encodeKey(['vec', namespace, 'c', name]);
  }
  static configs(namespace: string) {
    return keyRange(['vec', namespace, 'c']);
  }
  static namespace(namespace: string) {
    return keyRange(['vec', namespace]);
  }
  get config(): Buffer {
    return CollectionKeys.config(this.namespace, this.name);
  }
  get all() {
    return keyRange(this.#data);
  }
  vector(id: string): Buffer {
    return encodeKey([...this.#data, 'v', id]);
  }
  doc(id: string): Buffer {
    return encodeKey([...this.#data, 'm', id]);
  }
  posting(term: string, id: string): Buffer {
    return encodeKey([...this.#data, 'p', term, id]);
  }
  length(id: string): Buffer {
    return encodeKey([...this.#data, 'l', id]);
  }
  graphMeta(): Buffer {
    return encodeKey([...this.#data, 'g', 'meta']);
  }
  graphChunk(i: number): Buffer {
    return encodeKey([...this.#data, 'g', 'chunk', i]);
  }
  range(kind: 'v' | 'm' | 'p' | 'l') {
    return keyRange([...this.#data, kind]);
  }
}
