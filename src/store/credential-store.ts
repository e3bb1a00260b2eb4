import type { DataSource } from 'typeorm';
import type { CredentialRecord, CredentialStore } from './ports';
import { iso, withConnection } from './sql';

/**
 * National client credentials per organisation (each SATUSEHAT client id/secret is bound to one
 * organisation, satusehat-api.md §1.2). The secret arrives sealed (AES-256-GCM, src/relay/
 * credential-vault.ts): this table never sees it in clear, so a database dump does not leak it.
 */
export class SqlCredentialStore implements CredentialStore {
  constructor(private readonly ds: DataSource) {}

  async put(organizationId: string, clientId: string, sealedSecret: string): Promise<void> {
    await withConnection(this.ds, (sql) =>
      sql.rows(
        `INSERT INTO national_credential (organization_id, client_id, sealed_secret) VALUES ($1, $2, $3)
         ON CONFLICT (organization_id) DO UPDATE SET client_id = EXCLUDED.client_id, sealed_secret = EXCLUDED.sealed_secret, updated_at = now()`,
        [organizationId, clientId, sealedSecret],
      ),
    );
  }

  async get(organizationId: string): Promise<CredentialRecord | undefined> {
    const [row] = await withConnection(this.ds, (sql) =>
      sql.rows<CredentialRecord>(
        `SELECT organization_id AS "organizationId", client_id AS "clientId", sealed_secret AS "sealedSecret", ${iso('updated_at')} AS "updatedAt"
           FROM national_credential WHERE organization_id = $1`,
        [organizationId],
      ),
    );
    return row;
  }

  list(): Promise<Omit<CredentialRecord, 'sealedSecret'>[]> {
    return withConnection(this.ds, (sql) =>
      sql.rows(
        `SELECT organization_id AS "organizationId", client_id AS "clientId", ${iso('updated_at')} AS "updatedAt"
           FROM national_credential ORDER BY organization_id`,
      ),
    );
  }

  async remove(organizationId: string): Promise<boolean> {
    const rows = await withConnection(this.ds, (sql) =>
      sql.rows(`DELETE FROM national_credential WHERE organization_id = $1 RETURNING organization_id`, [organizationId]),
    );
    return rows.length > 0;
  }
}
