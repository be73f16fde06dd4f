// The public conformance suites (@sochdb/core/testing) on the two backends of this package.
import { describeCommitFeedConformance, describeStorageConformance, describeTransactionConformance } from '@sochdb/core/testing';

describeStorageConformance();
describeTransactionConformance();
describeCommitFeedConformance();
