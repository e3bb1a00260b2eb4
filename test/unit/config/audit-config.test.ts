import { ConfigError, loadConfig } from '../../../src/config/config';

test('audit defaults: on, six years of retention, batched', () => {
  expect(loadConfig({}).audit).toEqual({ enabled: true, retentionDays: 2190, flushIntervalMs: 250, batchSize: 200, queueLimit: 10_000 });
});

test('AUDIT_* are validated with every problem listed', () => {
  try {
    loadConfig({ AUDIT_RETENTION_DAYS: '7', AUDIT_BATCH_SIZE: 'many', AUDIT_ENABLED: 'yes' });
    throw new Error('accepted');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).problems.join('\n')).toMatch(/AUDIT_RETENTION_DAYS must be an integer from 30/);
    expect((e as ConfigError).problems.join('\n')).toMatch(/AUDIT_BATCH_SIZE/);
    expect((e as ConfigError).problems.join('\n')).toMatch(/AUDIT_ENABLED must be 1 or 0/);
  }
});

test('the audit trail cannot be switched off in production', () => {
  const prod = { NODE_ENV: 'production', AUTH_CLIENTS_FILE: '/x', AUTH_SIGNING_KEY: Buffer.alloc(32).toString('base64'), PUBLIC_BASE_URL: 'https://gw.example', NATIONAL_FHIR_URL: 'https://n.example/fhir', NATIONAL_AUTH_URL: 'https://n.example/auth' };
  expect(loadConfig(prod).audit.enabled).toBe(true);
  expect(() => loadConfig({ ...prod, AUDIT_ENABLED: '0' })).toThrow(/AUDIT_ENABLED=0 is refused when NODE_ENV=production/);
  expect(loadConfig({ AUDIT_ENABLED: '0', AUDIT_RETENTION_DAYS: '3650' }).audit).toMatchObject({ enabled: false, retentionDays: 3650 });
});
