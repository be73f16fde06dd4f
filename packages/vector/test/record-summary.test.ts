import { describe, expect, it } from 'vitest';
import { recordSummary } from '../src/collection/documents.js';

// An open reads each record's segment, length and hash from its end, without parsing the
// metadata (which it does not keep); records of any other shape are parsed whole.

const summary = (record: unknown) => recordSummary(Buffer.from(JSON.stringify(record), 'utf8'));

describe('recordSummary', () => {
  it('reads the tail of records as they are written, whatever the metadata holds', () => {
    const tricky = { note: ',"segment":"x","length":1,"hash":"ff"}', text: 'é'.repeat(200) };
    expect(summary({ metadata: tricky, segment: 'm1x-2', length: 12, hash: 'abc' })).toEqual({ segment: 'm1x-2', length: 12, hash: 0xabcn });
    expect(summary({ metadata: {}, segment: '', length: 0, hash: 'ffffffffffffffff' })).toEqual({ segment: '', length: 0, hash: 2n ** 64n - 1n });
  });

  it('parses records of other shapes whole: no hash, text inside, escaped or non-ASCII segments', () => {
    expect(summary({ metadata: {}, segment: 's', length: 3 })).toEqual({ segment: 's', length: 3, hash: undefined });
    expect(summary({ metadata: { a: 1 }, content: 'old', segment: 's', length: 3, hash: '1' })).toEqual({ segment: 's', length: 3, hash: 1n });
    expect(summary({ metadata: {}, segment: 's"q\\', length: 3, hash: '2' })).toEqual({ segment: 's"q\\', length: 3, hash: 2n });
    expect(summary({ metadata: {}, segment: 'é', length: 4, hash: '3' })).toEqual({ segment: 'é', length: 4, hash: 3n });
    expect(summary({ segment: 's', length: 5, hash: '4', metadata: { x: 1 } })).toEqual({ segment: 's', length: 5, hash: 4n });
  });

  it('agrees with parsing the record whole, for random records and tails cut or changed near their end', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const chars = ['a', 'Z', '0', '-', '_', '"', '\\', 'é', '}', ',', ' ', '~', '\u0001'];
    const pick = (n: number) => Array.from({ length: n }, () => chars[Math.floor(next() * chars.length)]).join('');
    for (let i = 0; i < 2000; i++) {
      const hash =
        Math.floor(next() * 2 ** 32).toString(16) +
        (next() < 0.5
          ? Math.floor(next() * 2 ** 32)
              .toString(16)
              .padStart(8, '0')
          : '');
      const record = {
        metadata: { note: pick(Math.floor(next() * 12)) },
        segment: next() < 0.8 ? pick(Math.floor(next() * 6)).replace(/[^a-zA-Z0-9_-]/g, 'x') : pick(4),
        length: Math.floor(next() * 1e6),
        hash,
      };
      const bytes = Buffer.from(JSON.stringify(record), 'utf8');
      expect(recordSummary(bytes)).toEqual({ segment: record.segment, length: record.length, hash: BigInt(`0x${hash}`) });
      // A byte near the end changed: either still read right, or the record is not valid JSON.
      const changed = Buffer.from(bytes);
      changed[changed.length - 1 - Math.floor(next() * 30)] = Math.floor(next() * 128);
      let truth: { segment: string; length: number; hash: bigint } | undefined;
      try {
        const doc = JSON.parse(changed.toString('utf8')) as { segment: string; length: number; hash?: string };
        truth = { segment: doc.segment, length: doc.length, hash: BigInt(`0x${doc.hash}`) };
      } catch {
        truth = undefined;
      }
      if (truth !== undefined && typeof truth.segment === 'string' && Number.isInteger(truth.length)) expect(recordSummary(changed)).toEqual(truth);
    }
  });
});
