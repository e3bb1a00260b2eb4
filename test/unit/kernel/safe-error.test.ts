import { safeError } from '../../../src/kernel';

test('safeError keeps the class, code and stack of an error, never its message (a PostgreSQL error quotes row values)', () => {
  const err = Object.assign(new Error('duplicate key value violates unique constraint: Key (value)=(3174012345678901)'), { code: '23505' });
  const logged = safeError(err);
  expect(logged).toMatchObject({ type: 'Error', code: '23505' });
  expect(JSON.stringify(logged)).not.toContain('3174012345678901');
  expect(safeError('a string')).toEqual({ type: 'string' });
});
