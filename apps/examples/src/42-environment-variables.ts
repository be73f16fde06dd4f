// CLI tools — environment variables that point at other builds of the three binaries
import { commandFor } from './lib/cli.js';

// export SOCHDB_SERVER_PATH=/path/to/sochdb-server
// export SOCHDB_BULK_PATH=/path/to/sochdb-bulk
// export SOCHDB_GRPC_SERVER_PATH=/path/to/sochdb-grpc-server
for (const [tool, variable] of [
  ['sochdb-server', 'SOCHDB_SERVER_PATH'],
  ['sochdb-bulk', 'SOCHDB_BULK_PATH'],
  ['sochdb-grpc-server', 'SOCHDB_GRPC_SERVER_PATH'],
] as const) {
  const { file } = commandFor(tool);
  console.log(`${tool}: ${process.env[variable] ? `${variable} → ${file}` : 'bundled'}`);
}
