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
    const problems = (e as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'NATIONAL_AUTH_URL']) expect(problems).toContain(name);
  }
});

test('production requires a signing key, so tokens verify on every replica', () => {
  // Clients may live in the database alone since issue #8: start-up (src/auth/setup.ts), not
  // config, refuses a production gateway without an active client.
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/AUTH_SIGNING_KEY is required/);
  expect(() => loadConfig({ NODE_ENV: 'production' })).not.toThrow(/AUTH_CLIENTS_FILE/);
  expect(() => loadConfig({ AUTH_SIGNING_KEY_PREVIOUS: `${Buffer.alloc(32, 1).toString('base64')},${Buffer.alloc(8).toString('base64')}` })).toThrow(/AUTH_SIGNING_KEY_PREVIOUS must be base64 of at least 32 bytes/);
  expect(loadConfig({ AUTH_SIGNING_KEY_PREVIOUS: Buffer.alloc(32, 1).toString('base64') }).auth.previousSigningKeys).toHaveLength(1);
  expect(() => loadConfig({ API_RATE_LIMIT_PER_SECOND: '-1', AUTH_THROTTLE_CLIENT_FAILURES: '0' })).toThrow(/API_RATE_LIMIT_PER_SECOND[\s\S]*AUTH_THROTTLE_CLIENT_FAILURES/);
  expect(() => loadConfig({ AUTH_SIGNING_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/at least 32 bytes/);
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PUBLIC_BASE_URL is required/);
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/NATIONAL_FHIR_URL is required when NODE_ENV=production/);
  const c = loadConfig({
    NODE_ENV: 'production', AUTH_CLIENTS_FILE: '/etc/ilp/clients.json', AUTH_SIGNING_KEY: Buffer.alloc(32, 1).toString('base64'),
    PUBLIC_BASE_URL: 'https://ilp.example.go.id', NATIONAL_FHIR_URL: 'https://api-satusehat.kemkes.go.id/fhir-r4/v1', NATIONAL_AUTH_URL: 'https://api-satusehat.kemkes.go.id/oauth2/v1',
  });
  expect(c.auth.signingKey).toHaveLength(32);
});

test('IMPORT_WRITERS_TOTAL: the process-wide cap on $import group transactions, 1 to 8 (the main pool has 10), default 4', () => {
  expect(loadConfig({}).import).toMatchObject({ writers: 3, writersTotal: 4 });
  // Above the per-upload IMPORT_WRITERS is allowed (and the other way round): each upload keeps its own cap too.
  expect(loadConfig({ IMPORT_WRITERS_TOTAL: '2', IMPORT_WRITERS: '3' }).import).toMatchObject({ writers: 3, writersTotal: 2 });
  expect(loadConfig({ IMPORT_WRITERS_TOTAL: '8' }).import.writersTotal).toBe(8);
  for (const bad of ['0', '9', '33', '2.5', 'four', '-1']) {
    expect(() => loadConfig({ IMPORT_WRITERS_TOTAL: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ IMPORT_WRITERS_TOTAL: bad })).toThrow(`IMPORT_WRITERS_TOTAL must be an integer from 1 to 8, got "${bad}"`);
  }
});

test('EMBEDDED_VACUUM_MINUTES: 0 (never) to 1440, default 60', () => {
  expect(loadConfig({}).embeddedVacuumMinutes).toBe(60);
  expect(loadConfig({ EMBEDDED_VACUUM_MINUTES: '0' }).embeddedVacuumMinutes).toBe(0);
  for (const bad of ['-1', '1441', '1.5', 'hourly']) {
    expect(() => loadConfig({ EMBEDDED_VACUUM_MINUTES: bad })).toThrow(`EMBEDDED_VACUUM_MINUTES must be an integer from 0 to 1440, got "${bad}"`);
  }
});

test('INTAKE_MODE: direct (default) or queued, with the materialiser settings and their bounds', () => {
  expect(loadConfig({}).intake).toEqual({ mode: 'direct', batchSize: 32, writers: 1, leaseSeconds: 60, pollMs: 250, busySharePercent: 10, maxLagSeconds: 60 });
  expect(loadConfig({ DATABASE_URL: 'postgres://db/ilp' }).intake.writers).toBe(3);
  expect(loadConfig({ MATERIALISE_WRITERS: '2' }).intake.writers).toBe(2);
  expect(loadConfig({ INTAKE_MODE: 'queued', MATERIALISE_BATCH: '8', MATERIALISE_BUSY_SHARE: '100' }).intake).toMatchObject({ mode: 'queued', batchSize: 8, busySharePercent: 100 });
  expect(() => loadConfig({ INTAKE_MODE: 'async' })).toThrow('INTAKE_MODE must be direct or queued, got "async"');
  expect(() => loadConfig({ MATERIALISE_BUSY_SHARE: '0' })).toThrow('MATERIALISE_BUSY_SHARE');
  expect(() => loadConfig({ MATERIALISE_LEASE_SECONDS: '1' })).toThrow('MATERIALISE_LEASE_SECONDS');
});

test('DATABASE_JIT: off (default) or server', () => {
  expect(loadConfig({}).databaseJit).toBe('off');
  expect(loadConfig({ DATABASE_JIT: 'server' }).databaseJit).toBe('server');
  expect(() => loadConfig({ DATABASE_JIT: 'on' })).toThrow('DATABASE_JIT must be off or server, got "on"');
});
