import { levelFactory, memoryFactory, type StorageFactory } from '@sochdb/core/testing';

/** A clock the test moves by hand, so leases and delays are deterministic. */
export class ManualClock {
  constructor(public now = 1_000_000) {}
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

export const backends: readonly [string, () => StorageFactory][] = [
  ['level', levelFactory],
  ['memory', memoryFactory],
];

export const text = (payload: Uint8Array): string => Buffer.from(payload).toString('utf8');
