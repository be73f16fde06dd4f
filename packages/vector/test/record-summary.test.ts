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
});
