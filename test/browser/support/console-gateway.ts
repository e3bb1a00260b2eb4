import { Client } from 'pg';
import { hashSecret } from '../../../src/auth/secrets';
import type { ConsoleRole } from '../../../src/store/console-ports';
import { testDbKind } from '../../support/database';
import { startGateway, type TestGateway } from '../../support/gateway';

/**
 * A real gateway (ephemeral port, fresh PostgreSQL database) for the browser tests, and a plain
 * `pg` connection of the test's own for the figures it computes independently of the gateway.
 * Console sign-in is on unless the test passes AUTH_DISABLED=1.
 */
export interface ConsoleGateway extends TestGateway {
  sql: Client;
  addUser(username: string, password: string, role: ConsoleRole, scope?: { regions?: string[]; organizations?: string[] }): Promise<void>;
}

export async function startConsoleGateway(env: Record<string, string> = {}): Promise<ConsoleGateway> {
  if (testDbKind() !== 'postgres') throw new Error('the browser tests run in the PostgreSQL pass (TEST_DB=postgres): they check figures with SQL of their own');
  const gw = await startGateway({ RELAY_ENABLED: '0', AUDIT_FLUSH_INTERVAL_MS: '50', ...env });
  const url = (gw.db as unknown as { url?: string }).url;
  if (!url) throw new Error('the test database has no URL');
  const sql = new Client({ connectionString: url });
  await sql.connect();
  return {
    ...gw,
    sql,
    async addUser(username, password, role, scope = {}) {
      const created = await gw.db.console.create({ username, passwordHash: await hashSecret(password), role, regions: scope.regions ?? [], organizations: scope.organizations ?? [] });
      if (!created) throw new Error(`user ${username} exists`);
    },
    async close() {
      await sql.end();
      await gw.close();
    },
  };
}
