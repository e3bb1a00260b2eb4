import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp, listen } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { createLogger } from '../../src/kernel';
import { openDatabase } from '../../src/store/open-database';
import type { Database } from '../../src/store/ports';
import type { TestDatabase } from './database';

export interface RunningGateway {
  url: string;
  /** Stops the HTTP server and the app; the database stays (a restart or a second replica uses it). */
  stop(): Promise<void>;
}

/** A gateway process's app on an ephemeral port over a database it does not own (restarts, replicas). */
export async function gatewayOn(db: Database, env: Record<string, string>): Promise<RunningGateway> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', RELAY_ENABLED: '0', ...env });
  const app = await buildApp(config, createLogger('silent'), { db });
  const server: Server = await listen(app.http, 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await app.close();
    },
  };
}

/**
 * A second, independent connection pool on the same database, as another replica has: on
 * PostgreSQL its own DataSource; PGlite is one in-process session, so replicas share it.
 */
export async function anotherReplicaDatabase(db: TestDatabase): Promise<{ db: Database; close(): Promise<void> }> {
  if (!db.url) return { db, close: async () => undefined };
  const other = await openDatabase({ url: db.url });
  return { db: other, close: () => other.close() };
}
