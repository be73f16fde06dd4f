import { AgentMemory, ContextBuilder, DEFAULT_MEMORY_NAME, factNamespaceOf, type AgentMemoryOptions, type ContextOptions } from '@sochdb/context';
import type { Storage } from '@sochdb/core';
import type { GraphStore } from '@sochdb/graph';
import { KvStore } from '@sochdb/kv';
import type { SqlEngine } from '@sochdb/sql';
import type { TemporalGraph } from '@sochdb/temporal';
import type { Collection } from '@sochdb/vector';
import type { Namespace } from './namespace.js';

/** `db.context(options)`: the budget and format, and the namespace its data is read from. */
export interface DatabaseContextOptions extends ContextOptions {
  /**
   * Read KV sections from this namespace's keys (else the database's own), open `search`
   * sections' collections by name in it, and use it for graph and temporal sections that name none.
   */
  readonly namespace?: string;
}

/** What of a Database a context reads. */
export interface ContextParts {
  readonly storage: Storage;
  readonly kv: KvStore;
  readonly sql: SqlEngine;
  readonly graph: GraphStore;
  readonly temporal: TemporalGraph;
  readonly namespace: (name: string) => Promise<Namespace>;
}

/** A ContextBuilder over the database's parts, scoped to `options.namespace` when given. */
export function databaseContext(parts: ContextParts, options: DatabaseContextOptions): ContextBuilder {
  const namespace = options?.namespace;
  const scoped =
    namespace === undefined
      ? { kv: parts.kv }
      : {
          kv: KvStore.namespaced(parts.storage, namespace),
          namespace,
          collection: async (name: string): Promise<Collection> => (await parts.namespace(namespace)).collection(name),
        };
  return new ContextBuilder({ storage: parts.storage, sql: parts.sql, graph: parts.graph, temporal: parts.temporal, ...scoped }, options);
}

/**
 * The agent memory `options.name` of an existing namespace, on the database's shared objects: its
 * episodes' collection is the namespace's (created when missing, closed with the database).
 */
export async function databaseMemory(parts: ContextParts, options: AgentMemoryOptions): Promise<AgentMemory> {
  const namespace = await parts.namespace(options?.namespace);
  const name = options.name ?? DEFAULT_MEMORY_NAME;
  const episodes = await namespace.getOrCreateCollection(name, {
    ...(options.dimension === undefined ? {} : { dimension: options.dimension }),
    ...(options.metric === undefined ? {} : { metric: options.metric }),
  });
  if (options.embed !== undefined) episodes.useEmbedding(options.embed);
  return new AgentMemory({
    storage: parts.storage,
    episodes,
    temporal: parts.temporal,
    factNamespace: factNamespaceOf(namespace.name, name),
    embeds: options.embed !== undefined,
    ownsEpisodes: false,
  });
}
