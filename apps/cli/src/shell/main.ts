// Runs the shell on the database named by the first argument, over this process's stdin and
// stdout (errors on stderr): `tsx src/shell/main.ts ./my_db < script.sql`.
import { runShell } from './index.js';

// A reader that goes away (`… | head`) ends the output; that is not an error of the shell.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runShell({ database: process.argv[2] ?? '', input: process.stdin, output: process.stdout, errorOutput: process.stderr });
