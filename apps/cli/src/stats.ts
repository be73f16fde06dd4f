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
      Object.entries(stats).map(([name, value]) => [name, String(value)]),
    ),
  );
}
