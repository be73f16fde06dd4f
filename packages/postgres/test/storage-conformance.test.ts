// The public Storage conformance suites (@sochdb/core/testing) on PostgreSQL.
import { describeCommitFeedConformance, describeStorageConformance, describeTransactionConformance } from '@sochdb/core/testing';
import { postgresFactory } from './factory.js';

const factories = [postgresFactory];
describeStorageConformance(factories);
describeTransactionConformance(factories);
describeCommitFeedConformance(factories);
