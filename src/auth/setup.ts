import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Config } from '../config/config';
import type { Logger } from '../kernel';
import type { ApiClientStore, AssertionReplayStore } from '../store/client-ports';
import { createClientDirectory, type ClientDirectory } from './client-directory';
import { parseClients } from './clients';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import { createRemoteJwks } from './remote-jwks';
import { calibrate, createSecretVerifier } from './secret-verifier';
import { createFailureThrottle } from './throttle';
import type { TokenDeps } from './token-endpoint';
import { createTokenSigner } from './tokens';

export interface AuthSetup extends TokenDeps {
  disabled: boolean;
  directory: ClientDirectory;
  /** Per-client API request rate; undefined when off (API_RATE_LIMIT_PER_SECOND=0). */
  rateLimit: RateLimiter | undefined;
  /** Stops the periodic purge of expired assertion ids. */
  close(): void;
}

/** Expired assertion ids are deleted this often (they can no longer be presented anyway). */
const PURGE_EVERY_MS = 5 * 60 * 1000;

/**
 * Seeds clients from AUTH_CLIENTS_FILE (when set) into the database, then decides whether
 * authentication is on. Outside production a gateway with no client at all (no file, empty
 * table) runs without authentication so `npm start` works out of the box, and says so loudly;
 * production refuses to start without an active client.
 */
export async function setUpAuth(config: Config, logger: Logger, db: { clients: ApiClientStore; assertions: AssertionReplayStore }): Promise<AuthSetup> {
  const a = config.auth;
  if (a.clientsFile) {
    const seeded = await db.clients.seed(parseClients(JSON.parse(readFileSync(a.clientsFile, 'utf8'))));
    if (seeded.skipped.length > 0) logger.warn({ clients: seeded.skipped }, 'AUTH_CLIENTS_FILE entries skipped: these clients are managed with `ilp-gateway clients` / the admin API since');
    logger.info({ inserted: seeded.inserted.length, updated: seeded.updated.length }, 'API clients seeded from AUTH_CLIENTS_FILE');
  }
  const active = await db.clients.countActive();
  const disabled = config.authDisabled || (active === 0 && config.nodeEnv !== 'production');
  if (!config.authDisabled && active === 0 && config.nodeEnv === 'production') {
    throw new Error('no active API client: add one with `ilp-gateway clients add` or AUTH_CLIENTS_FILE before starting in production');
  }
  if (disabled) {
    logger.warn(config.authDisabled ? 'AUTH_DISABLED=1: API authentication is OFF (development only)'
      : 'no API clients configured (AUTH_CLIENTS_FILE, ilp-gateway clients add): API authentication is OFF; never run like this outside development');
  }
  if (!a.signingKey && !disabled) {
    logger.warn('AUTH_SIGNING_KEY unset: a random key is used, so tokens do not survive a restart and other replicas reject them');
  }
  const secrets = createSecretVerifier(a.scrypt);
  if (!disabled) await calibrate(secrets);
  const directory = createClientDirectory(db.clients, a.clientCacheSeconds);
  const jwks = createRemoteJwks(a.jwks);
  const purge = (): void => { db.assertions.purgeExpired().catch((err: unknown) => logger.warn({ err }, 'purging expired client assertion ids failed')); };
  purge();
  const timer = setInterval(purge, PURGE_EVERY_MS);
  timer.unref();
  return {
    disabled,
    directory,
    findClient: (id) => directory.findActive(id),
    signer: createTokenSigner(a.signingKey ?? new Uint8Array(randomBytes(32)), a.tokenTtlSeconds, Date.now, a.previousSigningKeys),
    secrets,
    remoteJwks: (uri, kid) => jwks.get(uri, kid),
    firstUse: (clientId, jti, exp) => db.assertions.firstUse(clientId, jti, new Date(exp * 1000)),
    throttle: {
      client: createFailureThrottle({ limit: a.throttle.clientFailures, windowSeconds: a.throttle.windowSeconds }),
      address: createFailureThrottle({ limit: a.throttle.addressFailures, windowSeconds: a.throttle.windowSeconds }),
    },
    rateLimit: a.rateLimit.perSecond > 0 ? createRateLimiter(a.rateLimit) : undefined,
    close: () => clearInterval(timer),
  };
}
