import type { DataSource } from 'typeorm';
import type { ResourceStore, StoredResource } from './ports';
import { RESOURCE_COLUMNS, toStoredResource, type ResourceRow } from './rows';
import { withConnection } from './sql';

/** Reads of stored FHIR resources: current version, one version, all versions, by identifier. */
export class SqlResourceStore implements ResourceStore {
  constructor(private readonly ds: DataSource) {}

  private async select(text: string, params: unknown[]): Promise<StoredResource[]> {
    const rows = await withConnection(this.ds, (sql) => sql.rows<ResourceRow>(text, params));
    return rows.map(toStoredResource);
  }

  async read(resourceType: string, id: string): Promise<StoredResource | undefined> {
    const [found] = await this.select(`SELECT ${RESOURCE_COLUMNS} FROM resource WHERE resource_type = $1 AND id = $2`, [resourceType, id]);
    return found;
  }

  async vread(resourceType: string, id: string, versionId: number): Promise<StoredResource | undefined> {
    if (!Number.isSafeInteger(versionId)) return undefined;
    const [found] = await this.select(
      `SELECT ${RESOURCE_COLUMNS} FROM resource_history WHERE resource_type = $1 AND id = $2 AND version_id = $3`,
      [resourceType, id, versionId],
    );
    return found;
  }

  /** Newest first, as in a FHIR history Bundle (http.html#history). */
  history(resourceType: string, id: string): Promise<StoredResource[]> {
    return this.select(
      `SELECT ${RESOURCE_COLUMNS} FROM resource_history WHERE resource_type = $1 AND id = $2 ORDER BY version_id DESC`,
      [resourceType, id],
    );
  }

  /** `system` '' finds identifiers that have no system. Deleted resources are not indexed. */
  findByIdentifier(resourceType: string, system: string, value: string): Promise<StoredResource[]> {
    return this.select(
      `SELECT ${RESOURCE_COLUMNS} FROM resource
        WHERE resource_type = $1 AND NOT deleted AND id IN (
          SELECT id FROM resource_identifier WHERE resource_type = $1 AND system = $2 AND value = $3)
        ORDER BY id`,
      [resourceType, system, value],
    );
  }
}
