import type { AddressInfo } from 'node:net';
import { buildApp, listen, VERSION } from './app';
import { Config, ConfigError, loadConfig } from './config/config';
import { createLogger } from './kernel';

/** Process entry: load config → build app → listen; SIGTERM/SIGINT close everything in order. */
export async function serve(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const started = Date.now();
  // No national platform configured: relay to the built-in simulator (docs/decisions/0006-simulator.md).
  const sim = config.national.fhirUrl ? undefined : await (await import('./sim/start')).startSimulator(config.sim, config.simPort);
  const app = await buildApp(config, logger, sim ? { national: { authUrl: sim.authUrl, fhirUrl: sim.fhirUrl, simulated: true } } : {});
  const server = await listen(app.http, config.port, config.host);
  const { port } = server.address() as AddressInfo;
  app.relay?.start();
  app.materialiser?.start();
  app.pwsReports?.start();
  logger.info({
    version: VERSION,
    url: `http://localhost:${port}`,
    database: app.db.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)',
    relay: relayDescription(config, app.relay?.target.fhirUrl, sim !== undefined),
    intake: config.intake.mode === 'queued' ? `queued: visits answered 202 received, written by ${config.intake.writers} materialiser loop(s)` : 'direct: visits written before their 202',
    startupMs: Date.now() - started,
  }, `ILP Gateway listening on http://localhost:${port}`);

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: no new requests, finishing in-flight ones');
    // The relay stops now, beside the HTTP server (not after every keep-alive connection drained),
    // within its own budget (8 s) under the hard exit below; app.close() awaits the same stop.
    app.relay?.stop().catch((err: unknown) => logger.error({ err }, 'error while stopping the relay'));
    // Queued visits stay queued: the round in progress finishes, the rest is handed back at once.
    app.materialiser?.stop().catch((err: unknown) => logger.error({ err }, 'error while stopping the materialiser'));
    // The MeasureReport job stops between provinces; its month is left for another replica at once.
    app.pwsReports?.stop().catch((err: unknown) => logger.error({ err }, 'error while stopping the MeasureReport job'));
    server.close(() => {
      app.close().then(() => sim?.sim.close()).then(
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

function relayDescription(config: Config, fhirUrl: string | undefined, simulated: boolean): string {
  if (!fhirUrl) return config.relay.enabled ? 'not started: NATIONAL_FHIR_URL is set without a usable target' : 'disabled (RELAY_ENABLED=0): accepted visits wait in the outbox';
  return simulated ? `relaying to the built-in SATUSEHAT simulator at ${fhirUrl} (NATIONAL_FHIR_URL is unset)` : `relaying to ${fhirUrl}`;
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
