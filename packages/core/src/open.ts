import type { DatabaseConfigInput } from './config.js';
import { LevelStorage } from './storage/level-storage.js';
import { MemoryStorage } from './storage/memory-storage.js';
import type { Storage } from './storage/types.js';

/** Opens LevelDB storage in a folder, or in-memory storage for `':memory:'`. */
export function openStorage(location: string, config?: DatabaseConfigInput): Promise<Storage> {
  return location === ':memory:' ? MemoryStorage.open(config) : LevelStorage.open(location, config);
}
