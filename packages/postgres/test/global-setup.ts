import type { TestProject } from 'vitest/node';
import { startTestServer } from '../src/testing/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/** One PostgreSQL server for the whole project; each test works in schemas of its own. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startTestServer();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
