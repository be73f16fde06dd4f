import { startsWith } from '@sochdb/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KvStore } from '../src/index.js';
import { eachBackend } from './helpers.js';

// Keys from a tiny alphabet of boundary bytes, so prefixes ending in 0xFF, keys that are
// prefixes of others, and NUL bytes come up constantly.
const byte = fc.constantFrom(0x00, 0x01, 0x61, 0xfe, 0xff);
const key = fc.array(byte, { minLength: 1, maxLength: 4 }).map((b) => Buffer.from(b));
const prefix = fc.array(byte, { maxLength: 3 }).map((b) => Buffer.from(b));

describe.each(
  eachBackend(({ storage, backend }) => {
    it('scanPrefix and scan agree with a sorted in-memory model (property-based)', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(key, { maxLength: 25, selector: (k) => k.toString('hex') }),
          prefix,
          prefix,
          fc.boolean(),
          async (keys, p, q, batched) => {
            await storage().clear();
            const kv = new KvStore(storage());
            await storage().batch(keys.map((k) => ({ type: 'put' as const, key: k, value: k })));
            const model = [...keys].sort(Buffer.compare);
            const hex = (entries: readonly (readonly [Buffer, Buffer])[]) => entries.map(([k]) => k.toString('hex'));

            const byPrefix = batched ? kv.scanPrefixBatched(p, { batchSize: 3 }) : kv.scanPrefix(p);
            expect(hex(await byPrefix.toArray())).toEqual(model.filter((k) => startsWith(k, p)).map((k) => k.toString('hex')));

            const [lo, hi] = Buffer.compare(p, q) <= 0 ? [p, q] : [q, p];
            const byRange = batched ? kv.scanBatched(lo, hi, { batchSize: 2 }) : kv.scan(lo, hi);
            const inRange = model.filter((k) => Buffer.compare(k, lo) >= 0 && Buffer.compare(k, hi) < 0);
            expect(hex(await byRange.toArray())).toEqual(inRange.map((k) => k.toString('hex')));
          },
        ),
        { numRuns: backend === 'memory' ? 150 : 40 },
      );
    });
  }),
)('scans on %s storage against a model', (_name, suite) => suite());
