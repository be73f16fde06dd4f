export { drizzle, SochDBSession, type SochDBDrizzleDatabase, type SochDBRemoteResult, type ProxyMethod } from './driver.js';
export { migrate } from './migrator.js';
export { SochDBDrizzleError } from './errors.js';
