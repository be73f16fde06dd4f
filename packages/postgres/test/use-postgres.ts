// Setup file of the `<package>@postgres` vitest projects: the package's own suite, with its
// persistent storage on PostgreSQL (a fresh schema per factory) instead of a LevelDB folder.
import { usePersistentFactory } from '@sochdb/core/testing';
import { postgresFactory } from './factory.js';

usePersistentFactory(postgresFactory);
