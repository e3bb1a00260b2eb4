import type { AddressInfo } from 'node:net';
import { buildApp, listen, VERSION } from './app';
import { Config, ConfigError, loadConfig } from './config/config';
import { createLogger } from './kernel';

/** Process entry: load config → build app → listen; SIGTERM/SIGINT close everything in order. */
export async function serve(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const started = Date.now();
  const app = await buildApp(config, logger);
  const server = await listen(app.http, config.port, config.host);
  const { port } = server.address() as AddressInfo;
  logger.info({
    version: VERSION,
    url: `http://localhost:${port}`,
    database: app.db.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)',
    relay: 'not started: the relay to the national platform arrives with issue #4; accepted visits wait in the outbox',
    startupMs: Date.now() - started,
  }, `ILP Gateway listening on http://localhost:${port}`);

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing in-flight ones');
    server.close(() => {
      app.close().then(
        () => { logger.info('closed'); process.exit(0); },
        (err: unknown) => { logger.error({ err }, 'error while closing'); process.exit(1); },
      );
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}
