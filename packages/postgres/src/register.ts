import { registerStorageOpener } from '@sochdb/core';
import type { PostgresStorageOptions } from './options.js';
import { PostgresStorage } from './postgres-storage.js';

// Importing this package makes core's openStorage('postgres://…') open PostgresStorage. The
// options are validated by PostgresStorage.open, so an unknown or wrong one is a ValidationError.
registerStorageOpener(['postgres', 'postgresql'], (url, options) => PostgresStorage.open(url, options as PostgresStorageOptions | undefined));
