import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CredentialStore } from '../store/ports';

/** One SATUSEHAT client, bound to one organisation (satusehat-api.md §1.2). */
export interface NationalCredentials {
  organizationId: string;
  clientId: string;
  clientSecret: string;
}

export interface CredentialProvider {
  get(organizationId: string): Promise<NationalCredentials | undefined>;
}

/**
 * AES-256-GCM sealing of client secrets at rest, with the organisation and client id as
 * associated data (a sealed secret copied to another organisation's row does not open).
 * Format: `v1.<iv b64url>.<tag b64url>.<ciphertext b64url>`.
 */
export class CredentialVault {
  private constructor(private readonly key: Buffer) {}

  /** `CREDENTIALS_KEY`: 32 bytes, base64. Validated by config; checked again here. */
  static fromBase64(keyB64: string): CredentialVault {
    const key = Buffer.from(keyB64, 'base64');
    if (key.length !== 32) throw new Error('CREDENTIALS_KEY must be 32 bytes (base64)');
    return new CredentialVault(key);
  }

  seal(organizationId: string, clientId: string, secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`${organizationId}\n${clientId}`));
    const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), ct].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** Throws when the key is wrong or the sealed value was altered. */
  open(organizationId: string, clientId: string, sealed: string): string {
    const [version, iv, tag, ct] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unknown sealed secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${organizationId}\n${clientId}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/**
 * Where credentials come from: the environment for one organisation (NATIONAL_CLIENT_ID,
 * NATIONAL_CLIENT_SECRET, NATIONAL_ORG_ID), then the encrypted store (admin API) for many.
 */
export function credentialProvider(single: NationalCredentials | undefined, store: CredentialStore, vault: CredentialVault | undefined): CredentialProvider {
  return {
    async get(organizationId) {
      if (single && single.organizationId === organizationId) return single;
      if (!vault) return undefined;
      const row = await store.get(organizationId);
      if (!row) return undefined;
      return { organizationId, clientId: row.clientId, clientSecret: vault.open(organizationId, row.clientId, row.sealedSecret) };
    },
  };
}
