import type { JsonValue } from '@sochdb/core';
import type { VectorLike } from '@sochdb/vector';

/** A time: Unix milliseconds or a Date. */
export type MemoryTime = number | Date;

/** A fact about an entity, as `addFact` (or an episode's `facts`) takes it: `subject predicate object`. */
export interface FactInput {
  /** The entity the fact is about, e.g. `ada`. */
  readonly subject: string;
  /** What it says, e.g. `lives_in`. */
  readonly predicate: string;
  /** The value, e.g. `berlin`. */
  readonly object: string;
  /** When it became true (default: the episode's `at`, or now). */
  readonly at?: MemoryTime;
  /** Any JSON stored with this version of the fact. */
  readonly properties?: JsonValue;
  /**
   * True (default): a subject has one object per predicate at a time, so this fact supersedes the
   * current one (`lives_in berlin` ends `lives_in paris`). False for predicates that accumulate
   * (`likes`).
   */
  readonly exclusive?: boolean;
}

/** A fact as stored: valid over `[validFrom, validUntil)`, `validUntil` null while it still holds. */
export interface Fact {
  /** The entity the fact is about. */
  readonly subject: string;
  /** What it says. */
  readonly predicate: string;
  /** The value. */
  readonly object: string;
  /** When it became true (Unix ms). */
  readonly validFrom: number;
  /** When a later fact superseded it (Unix ms), or null while it holds. */
  readonly validUntil: number | null;
  /** What was stored with it (`{}` when nothing). */
  readonly properties: JsonValue;
}

/** One turn of a conversation, as `addEpisode` takes it. */
export interface EpisodeInput {
  /** The conversation (or task) it belongs to; recall searches one thread. */
  readonly thread: string;
  /** Who spoke: `user`, `assistant`, `tool`, … */
  readonly role: string;
  /** What was said; searched by keyword (BM25) and, through the vector, by meaning. */
  readonly content: string;
  /** Its embedding; may be left out when the memory has an `embed` function. */
  readonly vector?: VectorLike;
  /** When it happened (default now). */
  readonly at?: MemoryTime;
  /** Facts this episode established, recorded at its `at` in the same transaction. */
  readonly facts?: readonly FactInput[];
  /** Its id (default: a new UUID). */
  readonly id?: string;
}

/** An episode as recalled. */
export interface Episode {
  /** Its id. */
  readonly id: string;
  /** Its thread. */
  readonly thread: string;
  /** Who spoke. */
  readonly role: string;
  /** What was said. */
  readonly content: string;
  /** When (Unix ms). */
  readonly at: number;
  /** The subjects of the facts it established. */
  readonly entities: readonly string[];
  /** How well it matched the recall (higher is better). */
  readonly score: number;
}

/** What `recall` takes. */
export interface RecallQuery {
  /** The thread to search. */
  readonly thread: string;
  /** Text to search for: keyword search, and by meaning when the memory can embed it. */
  readonly query?: string;
  /** A query vector (with `query`: hybrid search). */
  readonly vector?: VectorLike;
  /** Episodes to return, default 5. */
  readonly k?: number;
  /** Only episodes strictly before this time. */
  readonly before?: MemoryTime;
  /** Recall as of this time: episodes up to it, and the facts that held then (default now). */
  readonly asOf?: MemoryTime;
  /** Entities whose facts to return besides those the recalled episodes mention. */
  readonly about?: readonly string[];
}

/** What `recall` returns: the matching episodes, and the facts that held at `asOf` about their entities. */
export interface Recollection {
  /** Best match first. */
  readonly episodes: readonly Episode[];
  /** Facts valid at `asOf` (superseded ones are not), by subject then predicate. */
  readonly facts: readonly Fact[];
}
