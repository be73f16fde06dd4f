import type { Storage } from './types.js';

/**
 * A Storage that several processes share through one owner process (SochDB's concurrent mode)
 * can run named services in the owner: work that would take many round trips as transactions
 * from each process (a queue's claims) runs where the data is, in one call. Every process
 * `provide`s the services it knows, so whichever process owns the folder — also after an owner
 * change — serves them. A caller that gets ProtocolError from `callOwner` is talking to an owner
 * that does not provide the service, and falls back to doing the work through transactions.
 */
export interface OwnerServices {
  /** Runs service `name` in the owner process; resolves with its reply. */
  callOwner(name: string, request: Buffer): Promise<Buffer>;
  /** Registers service `name` for whenever this process is the owner (a later call replaces it). */
  provide(name: string, handler: (request: Buffer) => Promise<Buffer>): void;
}

/** Whether `storage` can run services in an owner process (see OwnerServices). */
export function hasOwnerServices(storage: Storage): storage is Storage & OwnerServices {
  const s = storage as Partial<OwnerServices>;
  return typeof s.callOwner === 'function' && typeof s.provide === 'function';
}
