import { loadConfig } from '../../../src/config/config';

describe('relay and simulator configuration', () => {
  test('defaults: relay on, patients not created, no key, no admin token; simulator faithful and fault-free', () => {
    const c = loadConfig({});
    expect(c.relay).toMatchObject({ enabled: true, createPatients: false, maxAttempts: 12, maxRetryHours: 168, credentialsKey: undefined, adminToken: undefined, retentionDays: 30 });
    expect(c.sim).toMatchObject({ host: '127.0.0.1', tokenTtlSeconds: 3599, duplicateCheck: true, faults: { error5xx: 0, rate429: 0 } });
    expect(Object.isFrozen(c.relay) && Object.isFrozen(c.sim.faults)).toBe(true);
  });

  test('every problem is listed: a key that is not 32 bytes, a short admin token, shares outside 0..1, bad flags', () => {
    const env = {
      CREDENTIALS_KEY: Buffer.alloc(16).toString('base64'), ADMIN_TOKEN: 'short', SIM_FAULT_5XX: '1.5', RELAY_CREATE_PATIENTS: 'yes', RELAY_CONCURRENCY: '0',
    };
    expect(() => loadConfig(env)).toThrow(/CREDENTIALS_KEY must be 32 bytes[\s\S]*ADMIN_TOKEN must be at least 16[\s\S]*RELAY_CONCURRENCY[\s\S]*RELAY_CREATE_PATIENTS must be 1 or 0[\s\S]*SIM_FAULT_5XX/);
  });

  test('values are parsed', () => {
    const c = loadConfig({ CREDENTIALS_KEY: Buffer.alloc(32, 1).toString('base64'), RELAY_CREATE_PATIENTS: '1', SIM_FAULT_429: '0.25', SIM_DUPLICATE_CHECK: '0', RELAY_ENABLED: '0' });
    expect([c.relay.createPatients, c.relay.enabled, c.sim.faults.rate429, c.sim.duplicateCheck]).toEqual([true, false, 0.25, false]);
  });
});
