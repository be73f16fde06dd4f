export { SochDBDialect } from './dialect.js';
export { SochDBDriver, SochDBConnection, type SochDBDialectConfig, type DatabaseSource } from './driver.js';
export { SochDBKyselyError } from './errors.js';
