import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp, listen } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/kernel';
import type { Materialiser } from '../../src/pipeline/materialise';
import type { Database } from '../../src/store/ports';
import { openTestDatabase } from './database';

export interface TestGateway {
  url: string;
  db: Database;
  /** INTAKE_MODE=queued: the app's materialiser, not started (tests drain it when they choose). */
  materialiser: Materialiser | undefined;
  close(): Promise<void>;
}

/** The real gateway on an ephemeral port, over a fresh test database (PostgreSQL or PGlite per TEST_DB). */
export async function startGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const db = await openTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const app = await buildApp(config, createLogger('silent'), { db });
  const server: Server = await listen(app.http, 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    materialiser: app.materialiser,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await app.close();
      await db.drop();
    },
  };
}
