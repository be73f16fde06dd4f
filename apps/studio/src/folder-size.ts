// The size on disk of a database folder, for the overview: the bytes of every file under it.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Total bytes of the files under `path`; null when it is not a folder (`:memory:`, a PostgreSQL URL). */
export async function folderSize(path: string): Promise<number | null> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) return null;
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    // A file LevelDB removes while we count (a compaction) is simply not counted.
    const size = await stat(join(entry.parentPath, entry.name)).then(
      (s) => s.size,
      () => 0,
    );
    total += size;
  }
  return total;
}
