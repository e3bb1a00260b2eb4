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
