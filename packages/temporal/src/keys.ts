import { encodeKey, type KeyTuple } from '@sochdb/core';

// Layout, all under ['t', namespace] so namespaces never share a key. `side` is 'o' (keyed by
// fromId, `other` = toId) or 'i' (keyed by toId, `other` = fromId).
//   ['t', ns, 'v', from, type, to, -validFrom]         → {"u","p"}            one edge's versions, newest first
//   ['t', ns, 'h', side, node, type, other]            → {"first","f","u","p"} the edge's latest version ("head")
//   ['t', ns, 's', side, node, -validFrom, type, other] → {"u","p"}            a node's versions, newest start first
// Heads answer current and recent point-in-time queries alone; the start-time index finds the
// version in force at an older time without reading each edge's whole history.
// Start times are stored negated so that every "latest version at or before t" question is a
// forward range read, which is cheaper than a reverse one and works the same in a transaction.

export type Side = 'o' | 'i';

/** A start time as stored in keys: negated, so newer sorts first (0 stays 0, not -0). */
export const newestFirst = (time: number): number => 0 - time;
/** The start time back from a key part written by `newestFirst`. */
export const fromNewestFirst = (part: unknown): number => 0 - (part as number);

export const versionKey = (ns: string, from: string, type: string, to: string, validFrom: number): Buffer =>
  encodeKey(['t', ns, 'v', from, type, to, newestFirst(validFrom)]);
export const versionPrefix = (ns: string, from: string, type: string, to: string): KeyTuple => ['t', ns, 'v', from, type, to];

export const headKey = (ns: string, side: Side, node: string, type: string, other: string): Buffer => encodeKey(['t', ns, 'h', side, node, type, other]);
export const headPrefix = (ns: string, side: Side, node: string, type?: string): KeyTuple =>
  type === undefined ? ['t', ns, 'h', side, node] : ['t', ns, 'h', side, node, type];

export const startKey = (ns: string, side: Side, node: string, validFrom: number, type: string, other: string): Buffer =>
  encodeKey(['t', ns, 's', side, node, newestFirst(validFrom), type, other]);
export const startPrefix = (ns: string, side: Side, node: string): KeyTuple => ['t', ns, 's', side, node];
