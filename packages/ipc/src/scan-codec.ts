import type { Entry, Range } from '@sochdb/core';
import { PayloadReader, PayloadWriter } from './protocol.js';

// Scan requests carry at most one lower and one upper bound; flags say which.
const GT = 1;
const GTE = 2;
const LT = 4;
const LTE = 8;
const REVERSE = 16;

export function writeRange(w: PayloadWriter, range: Range, pageSize: number): PayloadWriter {
  const bound = (v: Range['gt']) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v!);
  let flags = range.reverse ? REVERSE : 0;
  if (range.gt !== undefined) flags |= GT;
  if (range.gte !== undefined) flags |= GTE;
  if (range.lt !== undefined) flags |= LT;
  if (range.lte !== undefined) flags |= LTE;
  w.u8(flags).u32(pageSize);
  if (range.gt !== undefined) w.bytes(bound(range.gt));
  if (range.gte !== undefined) w.bytes(bound(range.gte));
  if (range.lt !== undefined) w.bytes(bound(range.lt));
  if (range.lte !== undefined) w.bytes(bound(range.lte));
  return w;
}

export function readRange(r: PayloadReader): { range: Range; pageSize: number } {
  const flags = r.u8();
  const pageSize = r.u32();
  const range: { -readonly [K in keyof Range]: Range[K] } = { reverse: (flags & REVERSE) !== 0 };
  if (flags & GT) range.gt = r.bytes();
  if (flags & GTE) range.gte = r.bytes();
  if (flags & LT) range.lt = r.bytes();
  if (flags & LTE) range.lte = r.bytes();
  return { range, pageSize };
}

export function writeEntries(entries: readonly Entry[], more: boolean): Buffer {
  const w = new PayloadWriter().u8(more ? 1 : 0).u32(entries.length);
  for (const [k, v] of entries) w.bytes(k).bytes(v);
  return w.finish();
}

export function readEntries(r: PayloadReader): { entries: Entry[]; more: boolean } {
  const more = r.u8() === 1;
  const n = r.u32();
  const entries: Entry[] = [];
  for (let i = 0; i < n; i++) entries.push([Buffer.from(r.bytes()), Buffer.from(r.bytes())]);
  return { entries, more };
}
