// The rule that keeps shared mode's two batches in flight from claiming the same task: the second
// batch's snapshot may predate the first one's commit, so a claim is skipped until every running
// batch's snapshot shows it. (In-process workers rarely make the batches overlap; the owner of a
// concurrent-mode database, fed by other processes, does it all the time: bench/queue.ts measured
// a conflict, and a whole batch redone, in about one batch in twelve before this rule.)
import { describe, expect, it } from 'vitest';
import type { Transaction } from '@sochdb/core';
import { ClaimsInFlight } from '../src/claims-in-flight.js';

const txn = (snapshotLsn: bigint) => ({ snapshotLsn }) as Transaction;

describe('ClaimsInFlight', () => {
  it('a claim is skipped while uncommitted, and by a batch whose snapshot predates its commit', () => {
    const claims = new ClaimsInFlight();
    const a = txn(10n);
    const b = txn(10n);
    claims.begin(a);
    claims.begin(b);
    claims.claim('x');
    expect(claims.taken('x', b)).toBe(true);
    expect(claims.taken('y', b)).toBe(false);
    claims.committed(['x'], 11n);
    claims.end(a);
    // b still reads at LSN 10, where x is pending: claiming it again would conflict.
    expect(claims.taken('x', b)).toBe(true);
    const c = txn(11n);
    claims.begin(c);
    expect(claims.taken('x', c)).toBe(false); // c's snapshot shows the claim itself
    claims.end(b);
    claims.end(c);
    // Every running snapshot shows the claim: forgotten, so a nacked task x is claimable again.
    claims.begin(b);
    expect(claims.taken('x', b)).toBe(false);
  });

  it('a released claim (its batch retries or fails) frees the task at once; a committed one is not undone by release', () => {
    const claims = new ClaimsInFlight();
    const a = txn(5n);
    const b = txn(5n);
    claims.begin(a);
    claims.begin(b);
    claims.claim('x');
    claims.claim('y');
    claims.released(['x']);
    expect(claims.taken('x', b)).toBe(false);
    claims.committed(['y'], 6n);
    claims.released(['y']);
    expect(claims.taken('y', b)).toBe(true);
  });
});
