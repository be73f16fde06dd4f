import { describe, expect, it } from 'vitest';
import { LabelColumns, type MetadataScan } from '../src/metadata/label-columns.js';
import type { Metadata } from '../src/metadata/filter.js';

// Filter columns are filled from the stored records on first use (metadata is not kept in memory
// otherwise): writes applied while a pass runs must win over the older records it reads, and a
// failed pass must leave nothing half filled.

/** A scan over `records` (label, metadata) that waits for `gate` halfway through. */
function gatedScan(records: readonly (readonly [number, Metadata])[], gate: Promise<void>): MetadataScan {
  return async (visit) => {
    const half = Math.floor(records.length / 2);
    for (const [label, metadata] of records.slice(0, half)) visit(label, metadata);
    await gate;
    for (const [label, metadata] of records.slice(half)) visit(label, metadata);
  };
}

const records = Array.from({ length: 10 }, (_, i) => [i, { lang: i % 2 === 0 ? 'en' : 'fr', n: i }] as const);

describe('LabelColumns', () => {
  it('fills the columns a filter names in one pass, and keeps them for the next', async () => {
    const columns = new LabelColumns();
    let passes = 0;
    const scan: MetadataScan = async (visit) => {
      passes++;
      for (const [label, metadata] of records) visit(label, metadata);
    };
    const first = await columns.columns(['lang', 'n'], scan);
    expect(first.get('lang')).toEqual(records.map(([, m]) => m.lang));
    expect(first.get('n')).toEqual(records.map(([, m]) => m.n));
    const again = await columns.columns(['n'], scan);
    expect(again.get('n')).toBe(first.get('n'));
    expect(passes).toBe(1);
  });

  it('lets writes applied during a pass win over the records it reads', async () => {
    const columns = new LabelColumns();
    let open!: () => void;
    const filling = columns.columns(['lang'], gatedScan(records, new Promise<void>((resolve) => (open = resolve))));
    // Meanwhile: label 8 (not read yet) gets new metadata, label 9 loses its document, label 1 (read already) too.
    columns.set(8, () => ({ lang: 'de' }));
    columns.set(9, undefined);
    columns.set(1, () => ({ lang: 'ja' }));
    open();
    const lang = (await filling).get('lang')!;
    expect(lang[8]).toBe('de');
    expect(lang[9]).toBeUndefined();
    expect(lang[1]).toBe('ja');
    expect(lang[2]).toBe('en');
    // Once filled, writes apply as they come.
    columns.set(2, () => ({ lang: 'es' }));
    expect(lang[2]).toBe('es');
  });

  it('a second filter on a field being filled waits for the same pass', async () => {
    const columns = new LabelColumns();
    let passes = 0;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const scan: MetadataScan = (visit) => {
      passes++;
      return gatedScan(records, gate)(visit);
    };
    const a = columns.columns(['lang'], scan);
    const b = columns.columns(['lang'], scan);
    open();
    expect((await b).get('lang')).toBe((await a).get('lang'));
    expect(passes).toBe(1);
  });

  it('after a failed pass, the next filter reads again', async () => {
    const columns = new LabelColumns();
    const failing: MetadataScan = async (visit) => {
      visit(0, { lang: 'xx' });
      throw new Error('storage closed');
    };
    await expect(columns.columns(['lang'], failing)).rejects.toThrow('storage closed');
    const lang = (await columns.columns(['lang'], async (visit) => records.forEach(([l, m]) => visit(l, m)))).get('lang')!;
    expect(lang).toEqual(records.map(([, m]) => m.lang));
  });

  it('keeps at most 8 columns, but always every field of the filter at hand', async () => {
    const columns = new LabelColumns();
    let passes = 0;
    const scan: MetadataScan = async (visit) => {
      passes++;
      visit(0, Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, i])));
    };
    const fields = Array.from({ length: 12 }, (_, i) => `f${i}`);
    const all = await columns.columns(fields, scan);
    expect([...all.keys()]).toEqual(fields);
    expect(fields.map((f) => all.get(f)![0])).toEqual(fields.map((_, i) => i));
    // The next filter trims to 8: the most recently used 8 stay.
    await columns.columns(['f11'], scan);
    expect(passes).toBe(1);
    await columns.columns(['f0'], scan);
    expect(passes).toBe(2);
  });
});
