import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Config } from '../config/config';
import type { Logger } from '../kernel';
import { ApiClient, parseClients } from './clients';
import { createReplayCache } from './token-endpoint';
import { TokenSigner, createTokenSigner } from './tokens';

export interface AuthSetup {
  disabled: boolean;
  clients: ReadonlyMap<string, ApiClient>;
  signer: TokenSigner;
  seenAssertion: (key: string, expiresAtSeconds: number) => boolean;
}

/**
 * Reads the clients file once at start-up. Outside production a gateway without a clients file runs
 * without authentication (so `npm start` works out of the box) and says so loudly; production
 * refuses that in config.
 */
export function setUpAuth(config: Config, logger: Logger): AuthSetup {
  const clients = config.auth.clientsFile ? parseClients(JSON.parse(readFileSync(config.auth.clientsFile, 'utf8'))) : [];
  // No clients file outside production is the laptop case; production refuses it in config.
  const disabled = config.authDisabled || (!config.auth.clientsFile && config.nodeEnv !== 'production');
  if (disabled) {
    logger.warn(config.authDisabled ? 'AUTH_DISABLED=1: API authentication is OFF (development only)'
      : 'no API clients configured (AUTH_CLIENTS_FILE): API authentication is OFF; never run like this outside development');
  }
  if (!config.auth.signingKey && !disabled) {
    logger.warn('AUTH_SIGNING_KEY unset: a random key is used, so tokens do not survive a restart and other replicas reject them');
  }
  return {
    disabled,
    clients: new Map(clients.map((c) => [c.clientId, c])),
    signer: createTokenSigner(config.auth.signingKey ?? new Uint8Array(randomBytes(32)), config.auth.tokenTtlSeconds),
    seenAssertion: createReplayCache(),
  };
}
