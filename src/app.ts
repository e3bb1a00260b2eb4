import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { createHttpApp } from './api/http-app';
import { createMetrics } from './api/metrics';
import { loadCatalogue } from './catalog';
import type { Config } from './config/config';
import { validateBundleStructure } from './fhir/structural-validation';
import { compileSubmissionValidator } from './intake/schema-validator';
import type { Logger } from './kernel';
import { openDatabase } from './store/open-database';
import type { Database } from './store/ports';

export const VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

export interface App {
  http: Express;
  db: Database;
  /** Closes everything in reverse order of creation. */
  close(): Promise<void>;
}

/**
 * The composition root: the only place that creates adapters (database, later the national
 * client) and wires them into the core. Everything it builds is built once, here.
 */
export async function buildApp(config: Config, logger: Logger, opts: { db?: Database } = {}): Promise<App> {
  const catalogue = loadCatalogue();
  const schema = compileSubmissionValidator(catalogue);
  const db = opts.db ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, logger }));
  const metrics = createMetrics();
  const http = createHttpApp({
    logger,
    metrics,
    version: VERSION,
    bodyLimitBytes: config.bodyLimitBytes,
    maxJsonDepth: config.maxJsonDepth,
    submissions: db.submissions,
    intake: { catalogue, schema, validateBundle: validateBundleStructure, now: () => Date.now() },
    ready: () => db.ping(),
  });
  return {
    http,
    db,
    close: async () => {
      if (!opts.db) await db.close();
    },
  };
}

/** Listens and resolves once the port is bound (port 0 → an ephemeral port, for tests). */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}
