// `sochdb shell <db>`: the interactive shell lives in ./shell/ (written separately) and is loaded
// only when asked for, so the other commands never pay for loading it (readline, history, …).

export async function shellCommand(db: string): Promise<void> {
  const { runShell } = await import('./shell/index.js');
  // Errors to stderr: with piped input, stdout then holds only results.
  process.exitCode = await runShell({ database: db, input: process.stdin, output: process.stdout, errorOutput: process.stderr });
}
