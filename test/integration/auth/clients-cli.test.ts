/**
 * `ilp-gateway clients add|list|revoke|rotate-secret` as operators run them: the built CLI
 * (dist/cli.js, made by `npm run build`, which `npm test` runs first) in its own process, on the
 * test database (DATABASE_URL on PostgreSQL; a PGlite data directory otherwise).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifySecret } from '../../../src/auth/secrets';
import type { ApiClientRecord } from '../../../src/store/client-ports';
import { openDatabase } from '../../../src/store/open-database';
import { openTestDatabase, testDbKind, type TestDatabase } from '../../support/database';

const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
let db: TestDatabase | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build`);
  if (testDbKind() === 'postgres') {
    db = await openTestDatabase();
    env = { DATABASE_URL: db.url! };
  } else {
    env = { DATA_DIR: join(mkdtempSync(join(tmpdir(), 'ilp-cli-')), 'data') };
  }
}, 120_000);
afterAll(async () => { await db?.drop(); });

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const { PATH, HOME } = process.env;
  return spawnSync(process.execPath, [CLI, 'clients', ...args], { env: { PATH, HOME, NODE_ENV: 'development', LOG_LEVEL: 'warn', ...env }, encoding: 'utf8', timeout: 60_000 });
}

/** The row as stored, read through a connection of our own (the CLI process has exited). */
async function stored(clientId: string): Promise<ApiClientRecord | undefined> {
  const own = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR });
  try {
    return await own.clients.get(clientId);
  } finally {
    await own.close();
  }
}

describe(`ilp-gateway clients (${testDbKind()})`, () => {
  let secret = '';

  test('add prints the secret once; only its scrypt hash is stored', async () => {
    const r = cli('add', 'simpus-cli', '--org', '10000005', '--scope', 'ilp/submission.write', '--scope', 'ilp/submission.read', '--region', '3507', '--name', 'SIMPUS CLI');
    expect(r.status).toBe(0);
    const m = /client_secret: (\S+)/.exec(r.stdout);
    expect(m).not.toBeNull();
    secret = m![1]!;
    expect(r.stdout.split(secret)).toHaveLength(2); // printed exactly once
    const row = await stored('simpus-cli');
    expect(row).toMatchObject({ clientId: 'simpus-cli', organizations: ['10000005'], regions: ['3507'], status: 'active', source: 'api' });
    expect(row!.secretHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(await verifySecret(secret, row!.secretHash!)).toBe(true);
  }, 180_000);

  test('add refuses a taken id (exit 1) and bad input (exit 2), writing nothing', async () => {
    const dup = cli('add', 'simpus-cli', '--org', '10000006', '--scope', 'ilp/submission.read');
    expect(dup.status).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    expect((await stored('simpus-cli'))!.organizations).toEqual(['10000005']);
    const bad = cli('add', 'bad-one', '--org', 'x1', '--scope', 'teleport');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown scope teleport/);
    expect(await stored('bad-one')).toBeUndefined();
  }, 180_000);

  test('add with --jwks-file registers keys and prints no secret', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ilp-jwks-')), 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-384', kid: 'k1', x: 'AAAA', y: 'BBBB' }] }));
    const r = cli('add', 'pusdatin-cli', '--org', '*', '--scope', 'system/*.read', '--jwks-file', file);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/client_secret/);
    expect((await stored('pusdatin-cli'))!.secretHash).toBeUndefined();
  }, 180_000);

  test('list shows clients without secrets or hashes', () => {
    const r = cli('list');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^simpus-cli\tactive\t10000005\t3507\t/m);
    expect(r.stdout).not.toMatch(/scrypt/);
    expect(r.stdout).not.toContain(secret);
    const json = JSON.parse(cli('list', '--json').stdout) as Record<string, unknown>[];
    expect(json.map((c) => c.clientId)).toEqual(['pusdatin-cli', 'simpus-cli']);
    expect(json.every((c) => !('secretHash' in c))).toBe(true);
  }, 180_000);

  test('rotate-secret prints a new secret; the stored hash matches it and no longer the old one', async () => {
    const r = cli('rotate-secret', 'simpus-cli');
    expect(r.status).toBe(0);
    const fresh = /client_secret: (\S+)/.exec(r.stdout)![1]!;
    const row = await stored('simpus-cli');
    expect(await verifySecret(fresh, row!.secretHash!)).toBe(true);
    expect(await verifySecret(secret, row!.secretHash!)).toBe(false);
    expect(row!.secretRotatedAt).toEqual(expect.any(String));
    expect(cli('rotate-secret', 'pusdatin-cli').status).toBe(1); // keys, not a secret
  }, 180_000);

  test('revoke marks the client revoked; a second revoke and unknown ids exit 1', async () => {
    expect(cli('revoke', 'simpus-cli').status).toBe(0);
    expect((await stored('simpus-cli'))!.status).toBe('revoked');
    expect(cli('revoke', 'simpus-cli').status).toBe(1);
    expect(cli('revoke', 'nobody').status).toBe(1);
    expect(cli('rotate-secret', 'simpus-cli').status).toBe(1);
    expect(cli('frobnicate').status).toBe(2);
  }, 180_000);
});
