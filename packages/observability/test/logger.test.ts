import { expect, it } from 'vitest';
import { createLogger, logFunction, redactSecrets, REDACTED } from '../src/index.js';

function captured(level: 'debug' | 'info' | 'warn' = 'debug') {
  const lines: string[] = [];
  const log = createLogger({ level, name: 'test', destination: (line) => lines.push(line) });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

it('writes one JSON object per line, with a level name, an ISO time, the name and the message', () => {
  const { log, lines, parsed } = captured('info');
  log.info('listening on /tmp/db/sochdb.sock');
  log.debug('not written: below the level');
  log.error({ requestId: 7 }, 'failed');
  expect(lines).toHaveLength(2);
  expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
  const [first, second] = parsed();
  expect(first).toMatchObject({ level: 'info', name: 'test', pid: process.pid, msg: 'listening on /tmp/db/sochdb.sock' });
  expect(new Date(first!.time as string).toISOString()).toBe(first!.time);
  expect(second).toMatchObject({ level: 'error', requestId: 7, msg: 'failed' });
});

it('redacts tokens, passwords, authorization metadata and credentials in connection strings', () => {
  const { log, lines, parsed } = captured();
  log.info({ token: 'tok-123', auth: { apiKey: 'key-456' }, metadata: { authorization: 'Bearer tok-789' } }, 'call');
  log.warn('connecting to postgres://app:pw-secret@db.internal:5432/sochdb with authorization: Bearer tok-abc');
  log.info({ db: 'postgres://app:pw-2@db/x', note: 'host=db password=pw-3 user=app' }, 'opened');
  log.error(new Error('login failed for token=tok-err'));
  const text = lines.join('');
  for (const secret of ['tok-123', 'key-456', 'tok-789', 'pw-secret', 'tok-abc', 'pw-2', 'pw-3', 'tok-err']) expect(text).not.toContain(secret);
  const [call, message, opened, error] = parsed();
  expect(call).toMatchObject({ token: REDACTED, auth: { apiKey: REDACTED }, metadata: { authorization: REDACTED } });
  expect(message!.msg).toBe(`connecting to postgres://app:${REDACTED}@db.internal:5432/sochdb with authorization: Bearer ${REDACTED}`);
  expect(opened).toMatchObject({ db: `postgres://app:${REDACTED}@db/x`, note: `host=db password=${REDACTED} user=app` });
  expect(error).toMatchObject({
    level: 'error',
    msg: `login failed for token=${REDACTED}`,
    err: { type: 'Error', message: `login failed for token=${REDACTED}` },
  });
});

it('leaves text without secrets alone', () => {
  for (const text of ['listening on 127.0.0.1:50051', 'http://127.0.0.1:9464/metrics', 'SQL failed: no such table: users', 'user@example.com']) {
    expect(redactSecrets(text)).toBe(text);
  }
});

it('logFunction adapts a logger to IpcServerOptions.log', () => {
  const { log, parsed } = captured();
  logFunction(log)('warn', 'closing connection: frame too large');
  expect(parsed()).toEqual([expect.objectContaining({ level: 'warn', msg: 'closing connection: frame too large' })]);
});
