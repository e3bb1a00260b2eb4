import { createLogger, safeError } from '../../../src/kernel';

test('safeError keeps the class, code and stack of an error, never its message (a PostgreSQL error quotes row values)', () => {
  const err = Object.assign(new Error('duplicate key value violates unique constraint: Key (value)=(3174012345678901)'), { code: '23505' });
  const logged = safeError(err);
  expect(logged).toMatchObject({ type: 'Error', code: '23505' });
  expect(JSON.stringify(logged)).not.toContain('3174012345678901');
  expect(safeError('a string')).toEqual({ type: 'string' });
});

test('the process logger passes every `err` and `error` through safeError, whatever the call site', () => {
  const lines: string[] = [];
  const logger = createLogger('info', 'test', { write: (s: string) => { lines.push(s); } });
  const err = Object.assign(new Error('Key (nik)=(3174012345678901) already exists'), { code: '23505' });
  logger.error({ err }, 'relay could not record a result');
  logger.warn({ error: err, submission: 'abc' }, 'import line failed');
  expect(lines).toHaveLength(2);
  for (const line of lines) expect(line).not.toContain('3174012345678901');
  expect(JSON.parse(lines[0] as string).err).toMatchObject({ type: 'Error', code: '23505' });
  expect(JSON.parse(lines[1] as string)).toMatchObject({ error: { type: 'Error', code: '23505' }, submission: 'abc' });
});

test('safeError keeps what names a place or a kind (pg table and constraint, system codes, the cause), is idempotent, and drops message and detail', () => {
  const pgErr = Object.assign(new Error('duplicate key value violates unique constraint "resource_identifier_pkey"'), {
    code: '23505', table: 'resource_identifier', constraint: 'resource_identifier_pkey', severity: 'ERROR', detail: 'Key (value)=(3174012345678901) already exists.',
  });
  const fetchErr = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9 for 3174012345678901'), { code: 'ECONNREFUSED', syscall: 'connect' }) });
  const a = safeError(pgErr);
  expect(a).toMatchObject({ type: 'Error', code: '23505', table: 'resource_identifier', constraint: 'resource_identifier_pkey', severity: 'ERROR' });
  const b = safeError(fetchErr);
  expect(b).toMatchObject({ type: 'TypeError', cause: { type: 'Error', code: 'ECONNREFUSED', syscall: 'connect' } });
  for (const logged of [a, b]) expect(JSON.stringify(logged)).not.toContain('3174012345678901');
  expect(safeError(a)).toEqual(a);
  expect(safeError({ type: 'QueryFailedError', code: '53100' })).toEqual({ type: 'QueryFailedError', code: '53100' });
  const agg = safeError(new AggregateError([pgErr], 'two failures'));
  expect(agg).toMatchObject({ type: 'AggregateError', errors: [{ code: '23505' }] });
});
