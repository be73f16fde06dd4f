import { ValidationError, type Transaction } from '@sochdb/core';
import type { TemporalEdge, TemporalGraph } from '@sochdb/temporal';
import type { Fact, FactInput, MemoryTime } from './types.js';

// The far end of a range query: "from `at` on".
const FOREVER = Number.MAX_SAFE_INTEGER;

/** A time as Unix ms; ValidationError naming `field` for anything but a non-negative integer or a valid Date. */
export function timeOf(value: MemoryTime | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0) {
    throw new ValidationError(`${field} must be Unix milliseconds (a non-negative integer) or a valid Date`, { field });
  }
  return ms;
}

export function factOf(edge: TemporalEdge): Fact {
  return {
    subject: edge.fromId,
    predicate: edge.edgeType,
    object: edge.toId,
    validFrom: edge.validFrom,
    validUntil: edge.validUntil === 0 ? null : edge.validUntil,
    properties: edge.properties,
  };
}

/**
 * Records `input` as a temporal edge `subject -predicate-> object` from its time on. An exclusive
 * fact ends the subject's current fact of that predicate with another object at that time, so a
 * point-in-time read never sees both. Facts of one subject and predicate are recorded in time
 * order: one dated before a later recorded version is refused (it would need that later history
 * rewritten); one without a time that lands on the same millisecond as the last is moved just
 * after it, so quick successive facts keep their order.
 */
export async function recordFact(
  temporal: TemporalGraph,
  namespace: string,
  input: FactInput,
  fallbackAt: number | undefined,
  txn: Transaction,
): Promise<Fact> {
  const explicit = timeOf(input.at, 'at') ?? fallbackAt;
  let at = explicit ?? Date.now();
  const ref = { namespace, fromId: input.subject, edgeType: input.predicate };
  const later = await temporal.query({ ...ref, node: input.subject, mode: 'range', startTime: at, endTime: FOREVER }, { txn });
  const newest = Math.max(-1, ...later.map((edge) => edge.validFrom));
  if (newest >= at) {
    const same = later.find((edge) => edge.toId === input.object && edge.validFrom === newest && edge.validUntil === 0);
    if (same !== undefined && newest === at) return factOf(same);
    if (explicit !== undefined) {
      throw new ValidationError(
        `a fact ${JSON.stringify(input.subject)} ${input.predicate} … was already recorded from ${newest}, not before ${at}: facts of one subject and predicate are recorded in time order`,
        { field: 'at', remediation: 'Record facts in the order they became true, or leave out `at` to record it now.' },
      );
    }
    at = newest + 1;
  }
  const current = await temporal.query({ ...ref, node: input.subject, mode: 'point_in_time', timestamp: at }, { txn });
  const already = current.find((edge) => edge.toId === input.object);
  if (already !== undefined) return factOf(already);
  if (input.exclusive !== false) {
    for (const edge of current) {
      await temporal.endTemporalEdge({ ...ref, toId: edge.toId, at }, { txn });
    }
  }
  const added = await temporal.addTemporalEdge(
    { ...ref, toId: input.object, validFrom: at, ...(input.properties === undefined ? {} : { properties: input.properties }) },
    { txn },
  );
  return factOf(added);
}

/** The facts about `entity` valid at `at`, by predicate then object. */
export async function factsAt(
  temporal: TemporalGraph,
  namespace: string,
  entity: string,
  at: number,
  predicate: string | undefined,
  txn?: Transaction,
): Promise<Fact[]> {
  const edges = await temporal.query(
    { namespace, node: entity, mode: 'point_in_time', timestamp: at, ...(predicate === undefined ? {} : { edgeType: predicate }) },
    txn === undefined ? {} : { txn },
  );
  return edges
    .map(factOf)
    .sort((a, b) => (a.predicate < b.predicate ? -1 : a.predicate > b.predicate ? 1 : a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
}
