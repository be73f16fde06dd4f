/** Keys `clear` deletes per commit: its memory bound, and the largest clear that is one atomic commit. */
export const CLEAR_CHUNK_KEYS = 10_000;

/**
 * What every Storage's `clear` does: reads the range's keys from one iterator (one snapshot, so
 * keys written after the call began are not visited and a busy range still finishes) and deletes
 * them in commits of CLEAR_CHUNK_KEYS, so memory stays bounded on any range (LevelDB has no range
 * delete, and one batch would hold every key twice: here and in LevelDB's WriteBatch). An empty
 * range still commits once. Resolves with the last commit's LSN.
 */
export async function clearInChunks(entries: AsyncIterable<readonly [Buffer, ...unknown[]]>, commit: (keys: Buffer[]) => Promise<bigint>): Promise<bigint> {
  let keys: Buffer[] = [];
  let lsn: bigint | undefined;
  for await (const [key] of entries) {
    keys.push(key);
    if (keys.length === CLEAR_CHUNK_KEYS) {
      lsn = await commit(keys);
      keys = [];
    }
  }
  return keys.length > 0 || lsn === undefined ? commit(keys) : lsn;
}
