// `sochdb stats <db>`: what `db.stats()` reports. Most counters count since the database was
// opened — by this command, so they describe the open itself; keysCount and lsn describe the data.
import { withDatabase } from './open-database.js';
import { report } from './output.js';
import { textTable } from './table.js';

export async function statsCommand(db: string, flags: { readonly json?: boolean }): Promise<void> {
  const stats = await withDatabase(db, {}, (database) => database.stats());
  report(flags.json, stats, () =>
    textTable(
      ['stat', 'value'],
      // The lists (open collections and queues) are empty here: the command opens none.
      // Nested counters (rowCache) get a line each, as `rowCache.hits`.
      Object.entries(stats)
        .filter(([, value]) => !Array.isArray(value))
        .flatMap(([name, value]) =>
          typeof value === 'object' && value !== null
            ? Object.entries(value as Record<string, unknown>).map(([field, inner]) => [`${name}.${field}`, String(inner)])
            : [[name, String(value)]],
        ),
    ),
  );
}
