import { ConfigError, loadConfig } from '../../../src/config/config';

test('defaults need nothing set', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({ port: 8080, dataDir: './data', databaseUrl: undefined, simPort: 8090, authDisabled: false });
  expect(Object.isFrozen(c)).toBe(true);
  expect(Object.isFrozen(c.national)).toBe(true);
});

test('AUTH_DISABLED=1 is refused in production', () => {
  expect(() => loadConfig({ AUTH_DISABLED: '1', NODE_ENV: 'production' })).toThrow(/refused when NODE_ENV=production/);
  expect(loadConfig({ AUTH_DISABLED: '1', NODE_ENV: 'development' }).authDisabled).toBe(true);
});

test('every problem is listed at once', () => {
  try {
    loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', NATIONAL_FHIR_URL: 'https://x' });
    throw new Error('expected ConfigError');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).problems).toHaveLength(4);
  }
});
