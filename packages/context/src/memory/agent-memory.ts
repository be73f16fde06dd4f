import { ValidationError, type Storage } from '@sochdb/core';
import { TemporalGraph } from '@sochdb/temporal';
import { Collection, type EmbeddingFunction, type Metric, type SearchRequest } from '@sochdb/vector';
import { factsAt, recordFact, timeOf } from './facts.js';
import type { Episode, EpisodeInput, Fact, FactInput, MemoryTime, RecallQuery, Recollection } from './types.js';

/** Where a memory lives and how its episodes are embedded. */
export interface AgentMemoryOptions {
  /** The namespace of its episodes' collection (and of its facts). */
  readonly namespace: string;
  /** Its name: the episodes' collection is called this; default `agent_memory`. */
  readonly name?: string;
  /** The episodes' vector dimension (default: fixed by the first vector). */
  readonly dimension?: number;
  /** Default `cosine`. */
  readonly metric?: Metric;
  /** Embeds episodes given without a vector, and recall queries (not stored: give it at each open). */
  readonly embed?: EmbeddingFunction;
}

/** The parts a memory works on, for hosts (the SDK) that already hold them. */
export interface AgentMemoryParts {
  /** The storage the episodes and facts live in. */
  readonly storage: Storage;
  /** The episodes' collection. */
  readonly episodes: Collection;
  /** Where facts are kept, as temporal edges. */
  readonly temporal: TemporalGraph;
  /** The temporal namespace of the facts. */
  readonly factNamespace: string;
  /** Whether recall queries can be embedded (the collection has an embed function). */
  readonly embeds: boolean;
  /** Whether `close()` closes the collection: true when the memory opened it, false when a host shares it. */
  readonly ownsEpisodes: boolean;
}

/** The name of a memory (and of its episodes' collection) when none is given. */
export const DEFAULT_MEMORY_NAME = 'agent_memory';

/** The temporal namespace of a memory's facts: apart from any graph a user names. */
export function factNamespaceOf(namespace: string, name: string): string {
  return `memory\u0000${namespace}\u0000${name}`;
}

/**
 * An agent's memory: episodes (turns of conversations, searched by keyword and meaning within a
 * thread) and facts (temporal edges `subject -predicate-> object` with validity intervals, so a
 * superseded fact is never returned as current). Built on a collection and a temporal graph;
 * everything it keeps is in storage, and it follows other processes' writes as they do.
 *
 * @example
 * ```ts
 * const memory = await AgentMemory.open(storage, { namespace: 'agents', dimension: 3 });
 * await memory.addEpisode({ thread: 't1', role: 'user', content: 'I moved to Berlin', vector: [1, 0, 0], facts: [{ subject: 'ada', predicate: 'lives_in', object: 'berlin' }] });
 * const { episodes, facts } = await memory.recall({ thread: 't1', query: 'where does Ada live', vector: [1, 0, 0] });
 * ```
 */
export class AgentMemory {
  readonly #parts: AgentMemoryParts;

  /** A memory over parts you hold; `AgentMemory.open` makes them from a storage. */
  constructor(parts: AgentMemoryParts) {
    this.#parts = parts;
  }

  /** Opens (creating when missing) the memory `name` in `namespace` of `storage`. */
  static async open(storage: Storage, options: AgentMemoryOptions): Promise<AgentMemory> {
    const name = options?.name ?? DEFAULT_MEMORY_NAME;
    const episodes = await Collection.create(storage, {
      namespace: options?.namespace,
      name,
      ...(options.dimension === undefined ? {} : { dimension: options.dimension }),
      ...(options.metric === undefined ? {} : { metric: options.metric }),
      ...(options.embed === undefined ? {} : { embed: options.embed }),
      existOk: true,
    });
    return new AgentMemory({
      storage,
      episodes,
      temporal: new TemporalGraph(storage),
      factNamespace: factNamespaceOf(options.namespace, name),
      embeds: options.embed !== undefined,
      ownsEpisodes: true,
    });
  }

  /** Records an episode and the facts it established, in one transaction; returns its id. */
  async addEpisode(input: EpisodeInput): Promise<string> {
    if (input === null || typeof input !== 'object')
      throw new ValidationError('the episode must be an object { thread, role, content, vector?, at?, facts? }', { field: 'episode' });
    for (const field of ['thread', 'role', 'content'] as const) {
      if (typeof input[field] !== 'string' || input[field] === '')
        throw new ValidationError(`episode.${field} must be a non-empty string`, { field: `episode.${field}` });
    }
    if (input.vector === undefined && !this.#parts.embeds) {
      throw new ValidationError('episode.vector is missing and this memory has no embed function', {
        field: 'episode.vector',
        remediation: 'Pass the episode’s embedding as `vector`, or open the memory with an `embed` function.',
      });
    }
    const at = timeOf(input.at, 'episode.at') ?? Date.now();
    const facts: readonly FactInput[] = input.facts ?? [];
    // Checked through `unknown`: JavaScript callers may pass anything, and narrowing `facts` would type it any[].
    const factsInput: unknown = facts;
    if (!Array.isArray(factsInput)) throw new ValidationError('episode.facts must be an array of { subject, predicate, object }', { field: 'episode.facts' });
    facts.forEach((fact, i) => checkFact(fact, `episode.facts[${i}]`));
    const entities = [...new Set(facts.map((fact) => fact.subject))];
    return this.#parts.storage.transaction(async (txn) => {
      for (const fact of facts) await recordFact(this.#parts.temporal, this.#parts.factNamespace, fact, at, txn);
      return this.#parts.episodes.insert(
        {
          ...(input.id === undefined ? {} : { id: input.id }),
          ...(input.vector === undefined ? {} : { vector: input.vector }),
          content: input.content,
          metadata: { thread: input.thread, role: input.role, at, entities },
        },
        { txn },
      );
    });
  }

  /** Records a fact (superseding the subject's current one of that predicate unless `exclusive: false`). */
  async addFact(input: FactInput): Promise<Fact> {
    checkFact(input, 'fact');
    return this.#parts.storage.transaction((txn) => recordFact(this.#parts.temporal, this.#parts.factNamespace, input, undefined, txn));
  }

  /** The facts about `entity` that held at `asOf` (default now): superseded ones are not among them. */
  async facts(entity: string, options: { readonly asOf?: MemoryTime; readonly predicate?: string } = {}): Promise<Fact[]> {
    if (typeof entity !== 'string' || entity === '') throw new ValidationError('entity must be a non-empty string', { field: 'entity' });
    return factsAt(this.#parts.temporal, this.#parts.factNamespace, entity, timeOf(options.asOf, 'asOf') ?? Date.now(), options.predicate);
  }

  /**
   * The episodes of `thread` that best match the query (hybrid search: keyword, and meaning when a
   * vector is given or the memory embeds the query), up to `asOf` or before `before`; and the facts
   * that held at `asOf` about the entities those episodes mention (and `about`).
   */
  async recall(query: RecallQuery): Promise<Recollection> {
    if (query === null || typeof query !== 'object') throw new ValidationError('recall takes { thread, query?, vector?, k? }', { field: 'query' });
    if (typeof query.thread !== 'string' || query.thread === '') throw new ValidationError('thread must be a non-empty string', { field: 'thread' });
    if (query.query === undefined && query.vector === undefined) throw new ValidationError('recall needs a query, a vector, or both', { field: 'query' });
    const asOf = timeOf(query.asOf, 'asOf');
    const before = timeOf(query.before, 'before');
    const filter = {
      thread: query.thread,
      ...(asOf === undefined && before === undefined
        ? {}
        : { at: { ...(asOf === undefined ? {} : { $lte: asOf }), ...(before === undefined ? {} : { $lt: before }) } }),
    };
    const request: SearchRequest = {
      k: query.k ?? 5,
      filter,
      ...(query.query === undefined ? {} : { textQuery: query.query }),
      ...(query.vector !== undefined ? { vector: query.vector } : query.query !== undefined && this.#parts.embeds ? { text: query.query } : {}),
    };
    const hits = await this.#parts.episodes.search(request);
    const episodes: Episode[] = hits.map((hit) => ({
      id: hit.id,
      thread: stringOf(hit.metadata['thread']),
      role: stringOf(hit.metadata['role']),
      content: hit.content ?? '',
      at: Number(hit.metadata['at']),
      entities: Array.isArray(hit.metadata['entities']) ? hit.metadata['entities'].map(String) : [],
      score: hit.score,
    }));
    const entities = [...new Set([...(query.about ?? []), ...episodes.flatMap((episode) => episode.entities)])].sort();
    const at = asOf ?? (before === undefined ? Date.now() : before - 1);
    const facts = (await Promise.all(entities.map((entity) => factsAt(this.#parts.temporal, this.#parts.factNamespace, entity, at, undefined)))).flat();
    return { episodes, facts };
  }

  /** Closes the episodes' collection when this memory opened it (a host's shared one stays open). */
  async close(): Promise<void> {
    if (this.#parts.ownsEpisodes) await this.#parts.episodes.close();
  }
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function checkFact(fact: FactInput, field: string): void {
  if (fact === null || typeof fact !== 'object') throw new ValidationError(`${field} must be an object { subject, predicate, object }`, { field });
  for (const part of ['subject', 'predicate', 'object'] as const) {
    if (typeof fact[part] !== 'string' || fact[part] === '')
      throw new ValidationError(`${field}.${part} must be a non-empty string`, { field: `${field}.${part}` });
  }
}
