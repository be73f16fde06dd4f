// The built sochdb-grpc-server (dist/cli.js, what `npm install` puts on PATH) as a real child process.
// Build it first: npx tsc -p apps/grpc-server/tsconfig.build.json
import { join } from 'node:path';
import { describeInstalledCli } from '@sochdb/core/testing';

const app = join(import.meta.dirname, '..');
describeInstalledCli(app, 'sochdb-grpc-server', ['--port <port>', '--db <path>', 'status']);
